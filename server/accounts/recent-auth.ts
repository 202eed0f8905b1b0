// Browser-safe: loaded by client components; imports nothing server-only.
/** The message a sensitive action answers with when the last proof of identity is too old. */
export const RECENT_AUTH_MESSAGE = "For your security, confirm it is you: enter your password (or a second factor) again, then retry.";

/** Whether a refusal (a tRPC error on the client, a domain error on the server) asks for a fresh proof of identity. */
export function isRecentAuthRefusal(error: unknown): boolean {
  return error instanceof Error && error.message === RECENT_AUTH_MESSAGE;
}
