import { DomainError, RateLimited } from "./errors";
import { httpStatusOf } from "./trpc";

/**
 * How a plain route handler (a route.ts under app/api) answers an error from a service: a domain error
 * becomes `{ error: message }` with the HTTP status a procedure would answer it with (and
 * Retry-After for a rate limit). Anything else, an internal failure included, is thrown on: Next.js
 * logs it and answers 500 without detail.
 */
export function domainErrorResponse(error: unknown, headers?: Record<string, string>): Response {
  if (!(error instanceof DomainError) || error.kind === "internal") throw error;
  const response = Response.json({ error: error.message }, { status: httpStatusOf(error), headers });
  if (error instanceof RateLimited) response.headers.set("retry-after", String(error.retryAfterSeconds));
  return response;
}
