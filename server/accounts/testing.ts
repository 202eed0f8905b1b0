import { encode } from "next-auth/jwt";
import type { SessionUser } from "./roles";

const COOKIE = "authjs.session-token";

/** A session cookie as Auth.js writes it: an encrypted JWT whose sub is the user id, salted with the cookie name. */
export async function sessionCookieFor(user: Pick<SessionUser, "id" | "name" | "email">): Promise<string> {
  const token = await encode({
    token: { sub: user.id, name: user.name, email: user.email },
    secret: process.env.AUTH_SECRET!,
    salt: COOKIE,
    maxAge: 3600,
  });
  return `${COOKIE}=${token}`;
}
