import { TRPCClientError } from "@trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";

/** The tRPC error code of a failed call, or null when the server never answered (offline, dropped). */
export function errorCode(error: unknown): string | null {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string } | null | undefined;
    return data?.code ?? null;
  }
  return null;
}

/** A failure worth retrying as it is: the request never got an answer, or the server broke. */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code === null || code === "INTERNAL_SERVER_ERROR";
}

/** The sentence to show: the first field's message for bad input, else the server's message. */
export function chatErrorMessage(error: unknown): string {
  const fields = Object.values(fieldErrorsOf(error)).flat();
  if (fields.length > 0) return fields.join(" ");
  if (errorCode(error) === null && error instanceof TRPCClientError)
    return "Not sent: we could not reach Driftwood. Check your connection and retry.";
  return messageOf(error);
}

/** Whether the query failed because the viewer may not see what they asked for. */
export function isHidden(error: unknown): boolean {
  const code = errorCode(error);
  return code === "NOT_FOUND" || code === "FORBIDDEN" || code === "BAD_REQUEST" || code === "UNAUTHORIZED";
}
