import { TRPCClientError } from "@trpc/client";

import type { FieldErrors } from "@/server/field-errors";

export { zodFieldErrors } from "@/server/field-errors";

/** Per-field messages from a BAD_REQUEST, keyed by the input's field path. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: FieldErrors | null } | undefined;
    return data?.fieldErrors ?? {};
  }
  return {};
}

/** A sentence a player understands, whatever went wrong. */
export function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (error.message === "Failed to fetch" || error.message.includes("fetch")) {
      return "We could not reach Driftwood. Check your connection and try again.";
    }
    return error.message;
  }
  return "Something went wrong. Please try again.";
}
