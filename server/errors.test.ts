import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Logger } from "pino";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import * as errors from "./errors";
import {
  Conflict,
  DomainError,
  Forbidden,
  Internal,
  Invalid,
  NotFound,
  PayloadTooLarge,
  PreconditionFailed,
  RateLimited,
  Unauthorized,
} from "./errors";
import { metrics } from "./metrics";
import { domainErrorResponse } from "./route-errors";
import { createCallerFactory, createInnerContext, createTRPCRouter, httpStatusOf, publicProcedure, trpcCodeOf } from "./trpc";

/** Each kind of domain error, the tRPC code it must answer with and so its HTTP status. */
const intended: {
  name: string;
  make: () => DomainError;
  code: TRPC_ERROR_CODE_KEY;
  status: number;
  fieldErrors?: Record<string, string[]>;
}[] = [
  { name: "Invalid", make: () => new Invalid("That split does not add up."), code: "BAD_REQUEST", status: 400 },
  {
    name: "Invalid with a field",
    make: () => new Invalid("That code has been used up.", { field: "promoCode" }),
    code: "BAD_REQUEST",
    status: 400,
    fieldErrors: { promoCode: ["That code has been used up."] },
  },
  { name: "Unauthorized", make: () => new Unauthorized("Please sign in first."), code: "UNAUTHORIZED", status: 401 },
  { name: "Forbidden", make: () => new Forbidden("Only the team's captain can do this."), code: "FORBIDDEN", status: 403 },
  { name: "NotFound", make: () => new NotFound("We could not find that event."), code: "NOT_FOUND", status: 404 },
  { name: "Conflict", make: () => new Conflict("This hold was already posted."), code: "CONFLICT", status: 409 },
  {
    name: "PreconditionFailed",
    make: () => new PreconditionFailed("The event changed meanwhile."),
    code: "PRECONDITION_FAILED",
    status: 412,
  },
  { name: "PayloadTooLarge", make: () => new PayloadTooLarge("That file is larger than 2 MB."), code: "PAYLOAD_TOO_LARGE", status: 413 },
  {
    name: "RateLimited",
    make: () => new RateLimited("Too many attempts. Please try again in 42 seconds.", 42),
    code: "TOO_MANY_REQUESTS",
    status: 429,
  },
  { name: "Internal", make: () => new Internal("The ledger answered surprise."), code: "INTERNAL_SERVER_ERROR", status: 500 },
];
const byName = new Map(intended.map((row) => [row.name, row]));
const INTERNAL_MESSAGE = "Something went wrong on our side. Please try again in a moment.";

describe("domain errors map to tRPC codes and HTTP statuses", () => {
  it("every DomainError class exported by server/errors.ts is in the table", () => {
    const exported = Object.values(errors).filter((value) => typeof value === "function" && value.prototype instanceof DomainError);
    expect(new Set<unknown>(intended.map((row) => row.make().constructor))).toEqual(new Set<unknown>(exported));
  });

  it.each(intended)("$name is $code, HTTP $status", ({ make, code, status, fieldErrors }) => {
    const error = make();
    expect(trpcCodeOf(error)).toBe(code);
    expect(httpStatusOf(error)).toBe(status);
    expect(errors.fieldErrorsOf(error)).toEqual(fieldErrors ?? null);
  });

  it("a rate limit carries its wait; an error keeps its cause", () => {
    expect(new RateLimited("Too many attempts.", 42).retryAfterSeconds).toBe(42);
    const cause = new Error("23505");
    expect(new Conflict("Already invited.", { cause }).cause).toBe(cause);
    expect(new Invalid("Already invited.", { field: "handle", cause }).cause).toBe(cause);
  });
});

// A router of its own whose procedures throw each kind of domain error, and the same refusal as
// services threw it before domain errors: a TRPCError with the code written out.
const failInput = z.object({ name: z.string() });
const failures = createTRPCRouter({
  fail: publicProcedure.input(failInput).mutation(({ input }): never => {
    throw byName.get(input.name)!.make();
  }),
  failAsTRPCError: publicProcedure.input(failInput).mutation(({ input }): never => {
    const { make, code } = byName.get(input.name)!;
    throw new TRPCError({ code, message: make().message });
  }),
});

function recordingContext() {
  const lines: { level: "info" | "error"; fields: Record<string, unknown> }[] = [];
  const log = {
    info: (fields: Record<string, unknown>) => lines.push({ level: "info", fields }),
    error: (fields: Record<string, unknown>) => lines.push({ level: "error", fields }),
  } as unknown as Logger;
  // The procedures never touch the database.
  return { ctx: { ...createInnerContext({ db: {} as Db, user: null }), log }, lines };
}

type ErrorBody = {
  error: { json: { message: string; code: number; data: { code: string; httpStatus: number; path: string; fieldErrors: unknown } } };
};

async function post(path: "fail" | "failAsTRPCError", name: string) {
  const { ctx, lines } = recordingContext();
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { name } }),
    }),
    router: failures,
    createContext: () => ctx,
  });
  return { status: response.status, body: ((await response.json()) as ErrorBody).error.json, lines };
}

const counted = async (procedure: string, code: string) =>
  (await metrics.trpcRequests.get()).values.find((v) => v.labels.procedure === procedure && v.labels.code === code)?.value ?? 0;

describe("a procedure that throws a domain error answers as it did with a TRPCError", () => {
  it.each(intended)("$name: HTTP $status, $code, the message and field errors", async ({ name, make, code, status, fieldErrors }) => {
    const before = await counted("fail", code);
    const answer = await post("fail", name);
    expect(answer.status).toBe(status);
    expect(answer.body.message).toBe(code === "INTERNAL_SERVER_ERROR" ? INTERNAL_MESSAGE : make().message);
    expect(answer.body.data).toEqual({ code, httpStatus: status, path: "fail", fieldErrors: fieldErrors ?? null });
    // The metrics count the mapped code, and only an internal failure is logged as an error.
    expect((await counted("fail", code)) - before).toBe(1);
    expect(answer.lines.map((line) => line.level)).toEqual([code === "INTERNAL_SERVER_ERROR" ? "error" : "info"]);
    if (code === "INTERNAL_SERVER_ERROR") expect(answer.lines[0]!.fields.err).toBeInstanceOf(Internal);
    else expect(answer.lines[0]!.fields.code).toBe(code);

    // The same refusal thrown as a TRPCError (as services did) answers the same, field errors aside.
    const legacy = await post("failAsTRPCError", name);
    expect(legacy.status).toBe(answer.status);
    expect({ ...legacy.body, data: { ...legacy.body.data, path: "fail", fieldErrors: null } }).toEqual({
      ...answer.body,
      data: { ...answer.body.data, fieldErrors: null },
    });
  });

  it.each(intended)(
    "$name: a server-side caller gets the TRPCError with $code, the domain error as its cause",
    async ({ name, make, code }) => {
      const { ctx } = recordingContext();
      const refused = await createCallerFactory(failures)(ctx)
        .fail({ name })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TRPCError);
      expect((refused as TRPCError).code).toBe(code);
      expect((refused as TRPCError).message).toBe(make().message);
      expect((refused as TRPCError).cause).toBeInstanceOf(make().constructor);
    },
  );
});

describe("route handlers answer a domain error with its status and { error }", () => {
  it.each(intended.filter((row) => row.code !== "INTERNAL_SERVER_ERROR"))("$name: HTTP $status", async ({ make, status }) => {
    const response = domainErrorResponse(make(), { "cache-control": "no-store" });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: make().message });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("retry-after")).toBe(make() instanceof RateLimited ? "42" : null);
  });

  it("throws anything else on, an internal failure included, for Next.js to answer 500", () => {
    const internal = new Internal("The card processor did not answer.");
    expect(() => domainErrorResponse(internal)).toThrow(internal);
    const crash = new TypeError("undefined is not a function");
    expect(() => domainErrorResponse(crash)).toThrow(crash);
  });
});
