import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { type FieldErrors, zodFieldErrors } from "./field-errors";

/** Carries per-field messages from a service to the form that sent the input. */
export class FieldValidationError extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super(Object.values(fieldErrors).flat()[0] ?? "Please check the form.");
    this.name = "FieldValidationError";
  }
}

export function fieldError(field: string, message: string): TRPCError {
  return new TRPCError({
    code: "BAD_REQUEST",
    message,
    cause: new FieldValidationError({ [field]: [message] }),
  });
}

/** Field messages from any error tRPC may see: zod input errors or a service's field errors. */
export function fieldErrorsOf(cause: unknown): FieldErrors | null {
  if (cause instanceof ZodError) return zodFieldErrors(cause);
  if (cause instanceof FieldValidationError) return cause.fieldErrors;
  return null;
}
