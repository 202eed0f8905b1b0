import { initTRPC, TRPCError } from "@trpc/server";
import type { Logger } from "pino";
import superjson from "superjson";
import type { Db } from "@/db/client";
import { hasRole, type SessionUser } from "./accounts/roles";
import { fieldErrorsOf } from "./errors";
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
export function createInnerContext(input: {
  db: Db;
  user: SessionUser | null;
  requestId?: string;
  ip?: string;
}): Context {
  const requestId = input.requestId ?? crypto.randomUUID();
  return {
    db: input.db,
    user: input.user,
    requestId,
    ip: input.ip ?? "unknown",
    log: logger.child({ requestId, userId: input.user?.id }),
  };
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

export const publicProcedure = t.procedure.use(observed);

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
