/**
 * Domain errors: what services, jobs and scripts throw when they refuse a request. They say what
 * went wrong in the words the person who asked will read (the UI and tests show the message as
 * it is) and know nothing of tRPC or HTTP: server/trpc.ts maps each kind to a tRPC code, and so
 * to an HTTP status, in one table.
 */
import { ZodError } from "zod";
import { type FieldErrors, zodFieldErrors } from "./field-errors";

export type DomainErrorKind =
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "payload_too_large"
  | "rate_limited"
  | "internal";

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * The input (or the state it asks for) is not acceptable. With a `field`, the form that sent the
 * input shows the message beside that field (`data.fieldErrors`).
 */
export class Invalid extends DomainError {
  override readonly name = "Invalid";
  readonly kind = "invalid";
  /** Messages per input field for the form; null when the refusal is about no one field. */
  readonly fieldErrors: FieldErrors | null;

  constructor(message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options);
    this.fieldErrors = options?.field === undefined ? null : { [options.field]: [message] };
  }
}

/** Nobody is signed in, and the request needs someone. */
export class Unauthorized extends DomainError {
  override readonly name = "Unauthorized";
  readonly kind = "unauthorized";
}

/** Someone is signed in, and may not do this. */
export class Forbidden extends DomainError {
  override readonly name = "Forbidden";
  readonly kind = "forbidden";
}

/** The thing does not exist (or its existence is private to others). */
export class NotFound extends DomainError {
  override readonly name = "NotFound";
  readonly kind = "not_found";
}

/** The request clashes with the state: a replay with different details, a race that was lost. */
export class Conflict extends DomainError {
  override readonly name = "Conflict";
  readonly kind = "conflict";
}

/** A condition the request depends on no longer holds. */
export class PreconditionFailed extends DomainError {
  override readonly name = "PreconditionFailed";
  readonly kind = "precondition_failed";
}

/** The request carries more than is accepted. */
export class PayloadTooLarge extends DomainError {
  override readonly name = "PayloadTooLarge";
  readonly kind = "payload_too_large";
}

/** Too many requests: the caller may try again in `retryAfterSeconds`. */
export class RateLimited extends DomainError {
  override readonly name = "RateLimited";
  readonly kind = "rate_limited";

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Our side failed in a way the service can name (an answer the ledger should never give, a card
 * processor that did not answer). Logged as an error; the browser gets a plain apology instead.
 */
export class Internal extends DomainError {
  override readonly name = "Internal";
  readonly kind = "internal";
}

/** Field messages from any error tRPC may see: zod input errors or a service's field errors. */
export function fieldErrorsOf(cause: unknown): FieldErrors | null {
  if (cause instanceof ZodError) return zodFieldErrors(cause);
  if (cause instanceof Invalid) return cause.fieldErrors;
  return null;
}
