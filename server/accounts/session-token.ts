import { getToken } from "next-auth/jwt";
import { authSecret } from "@/server/auth-secret";

/**
 * The signed-in user's id from the Auth.js session cookie, decrypted directly. API calls use this
 * instead of auth(), which also rebuilds the configuration and re-encrypts the cookie on every
 * call (measured by bench:checkout); pages keep auth() so sessions still slide forward.
 */
export async function sessionUserIdFromRequest(request: { headers: Headers; url: string }): Promise<string | null> {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const protocol = forwarded ? `${forwarded}:` : new URL(request.url).protocol;
  const token = await getToken({ req: { headers: request.headers }, secret: await authSecret(), secureCookie: protocol === "https:" });
  return typeof token?.sub === "string" ? token.sub : null;
}
