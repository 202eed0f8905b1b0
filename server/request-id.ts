/**
 * Request ids: every request has one, given to it as it arrives (server/http.ts) unless the caller
 * sent a well-formed one, carried in the x-request-id header to the handlers, returned to the
 * client, and found on every log line and span of that request.
 */
export const REQUEST_ID_HEADER = "x-request-id";

export function isRequestId(value: unknown): value is string {
  return typeof value === "string" && /^[\w.-]{8,128}$/.test(value);
}

/** The request's id from its headers when it looks like one, otherwise a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return isRequestId(given) ? given : crypto.randomUUID();
}
