import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Logger } from "pino";
import superjson from "superjson";
import type { Db } from "@/db/client";
import { hasRole, type SessionUser } from "./accounts/roles";
import { DomainError, type DomainErrorKind, fieldErrorsOf } from "./errors";
import { currentRequestId, logger, runWithRequestId } from "./logger";
import { recordTrpcCall } from "./metrics";
import { failSpan, inSpan } from "./tracing";

export type { SessionUser };

export interface Context {
  db: Db;
  user: SessionUser | null;
  requestId: string;
  log: Logger;
  ip: string;
}

/** The context without HTTP: used by the route handler, server prefetch and tests alike. */
export function createInnerContext(input: { db: Db; user: SessionUser | null; requestId?: string; ip?: string }): Context {
  const requestId = input.requestId ?? crypto.randomUUID();
  return {
    db: input.db,
    user: input.user,
    requestId,
    ip: input.ip ?? "unknown",
    log: logger.child({ requestId, userId: input.user?.id }),
  };
}

/**
 * The one mapping from a domain error to a tRPC code, and so to an HTTP status: procedures (through
 * the middleware below), server-side callers, plain route handlers and tests all use it.
 */
const trpcCodes: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  precondition_failed: "PRECONDITION_FAILED",
  payload_too_large: "PAYLOAD_TOO_LARGE",
  rate_limited: "TOO_MANY_REQUESTS",
  internal: "INTERNAL_SERVER_ERROR",
};

export function trpcCodeOf(error: DomainError): TRPC_ERROR_CODE_KEY {
  return trpcCodes[error.kind];
}

/** The TRPCError a procedure answers with for a domain error: its code, its message, the error as cause (field errors). */
export function toTRPCError(error: DomainError): TRPCError {
  const trpcError = new TRPCError({ code: trpcCodeOf(error), message: error.message, cause: error });
  if (error.stack) trpcError.stack = error.stack;
  return trpcError;
}

export function httpStatusOf(error: DomainError): number {
  return getHTTPStatusCodeFromError(toTRPCError(error));
}

const INTERNAL_MESSAGE = "Something went wrong on our side. Please try again in a moment.";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Never send stack traces to the browser, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: internal ? INTERNAL_MESSAGE : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: error.code === "BAD_REQUEST" ? fieldErrorsOf(error.cause) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure call: timed into the metrics, logged, and traced as a span of its own (with the
 * request id in scope, so the statements and gateway calls under it carry it too, even when a page
 * calls the procedure on the server).
 */
const observed = t.middleware(({ ctx, path, type, next }) => {
  const call = () =>
    inSpan(`trpc ${path}`, { attributes: { "rpc.system.name": "trpc", "rpc.method": path, "trpc.type": type } }, async (span) => {
      const started = performance.now();
      const result = await next();
      const seconds = (performance.now() - started) / 1000;
      const code = result.ok ? "OK" : result.error.code;
      recordTrpcCall(path, type, code, seconds);
      span?.setAttribute("rpc.response.status_code", code);
      if (!result.ok && code === "INTERNAL_SERVER_ERROR") {
        if (span) failSpan(span, result.error.cause ?? result.error);
        ctx.log.error({ procedure: path, err: result.error.cause ?? result.error }, "procedure failed");
      } else {
        ctx.log.info({ procedure: path, type, code, ms: Math.round(seconds * 1000) }, "trpc call");
      }
      return result;
    });
  return currentRequestId() === ctx.requestId ? call() : runWithRequestId(ctx.requestId, call);
});

/**
 * Services throw domain errors; tRPC wraps anything that is not a TRPCError as an
 * INTERNAL_SERVER_ERROR with the error as its cause. This turns such a wrapper back into the
 * TRPCError the domain error maps to, inside `observed`, so metrics and logs see the real code.
 */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && result.error.cause instanceof DomainError) {
    throw toTRPCError(result.error.cause);
  }
  return result;
});

export const publicProcedure = t.procedure.use(observed).use(domainErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in first." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const organizerProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!hasRole(ctx.user, "organizer")) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only organizers can do this." });
  }
  return next();
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!hasRole(ctx.user, "admin")) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators can do this." });
  }
  return next();
});
