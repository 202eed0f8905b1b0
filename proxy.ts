import { NextResponse, type NextRequest } from "next/server";
import { requestIdFrom } from "@/server/request-id";
import { CROSS_SITE_MESSAGE, isCrossSiteWrite } from "@/server/same-origin";
import { contentSecurityPolicy } from "@/server/security-headers";

/**
 * Every request gets an id (or keeps a well-formed one from the caller), passed on to the handlers
 * in the x-request-id header and returned to the client, so a user's report, the response and
 * every log line of that request can be matched. API writes from another site's pages are refused;
 * pages get a Content-Security-Policy with a fresh nonce, which Next.js puts on its own scripts.
 */
export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers);
  const { pathname } = request.nextUrl;
  const api = pathname.startsWith("/api/");

  // Stripe's webhooks come from Stripe's servers and are checked by their signature.
  if (api && !pathname.startsWith("/api/webhooks/") && isCrossSiteWrite(request.method, request.headers)) {
    return NextResponse.json({ error: CROSS_SITE_MESSAGE }, { status: 403, headers: { "x-request-id": requestId } });
  }

  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  let policy: string | undefined;
  if (!api) {
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
    const https =
      (request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? request.nextUrl.protocol.replace(":", "")) === "https";
    policy = contentSecurityPolicy({ nonce, pathname, dev: process.env.NODE_ENV === "development", https });
    headers.set("content-security-policy", policy);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  if (policy) response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Not the API (/api/trpc/…): its handler takes or makes the request id itself (requestIdFrom),
  // refuses cross-site writes itself, and returns the id; going through the proxy cost each call
  // about 1 ms of CPU (bench:checkout).
  // Not the evidence upload (POST /api/evidence): for a request the proxy sees, Next.js buffers the
  // whole body in memory and cuts it at 10 MB (proxyClientMaxBodySize); the upload streams up to 100 MB,
  // makes its own request id and refuses cross-site uploads itself.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/evidence/?$|api/trpc/).*)"],
};
