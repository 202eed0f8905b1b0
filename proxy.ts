import { NextResponse, type NextRequest } from "next/server";

/**
 * Gives every request an id (or keeps a well-formed one from the caller), passes it on to the
 * handlers in the x-request-id header and returns it to the client, so a user's report, the
 * response and every log line of that request can be matched.
 */
export function proxy(request: NextRequest) {
  const given = request.headers.get("x-request-id");
  const requestId = given && /^[\w.-]{8,128}$/.test(given) ? given : crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  // Not the API (/api/trpc/…): its handler takes or makes the request id itself (requestIdFrom) and
  // returns it, and going through the proxy cost each call about 1 ms of CPU (bench:checkout).
  // Not the evidence upload (POST /api/evidence): for a request the proxy sees, Next.js buffers the
  // whole body in memory and cuts it at 10 MB (proxyClientMaxBodySize); the upload streams up to 100 MB
  // and makes its own request id.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/evidence/?$|api/trpc/).*)"],
};
