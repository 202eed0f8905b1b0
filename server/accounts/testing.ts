import { encode } from "next-auth/jwt";
import type { SessionUser } from "./roles";

/** The session cookie's name over plain HTTP (Auth.js prefixes it with `__Secure-` over HTTPS). */
export const SESSION_COOKIE = "authjs.session-token";

/** The claims a test session may carry (see SessionClaims): the session version, the sign-in's id, when it proved who it is. */
export interface TestSessionClaims {
  sv?: number;
  sid?: string;
  /** Seconds since the epoch. */
  authAt?: number;
}

/**
 * A session cookie as Auth.js writes it: an encrypted JWT whose sub is the user id, salted with the
 * cookie name, with the claims given (none by default: a token from before session versions, version 0).
 * `secret`: the server's auth secret, when it is not this process's AUTH_SECRET (the e2e server's).
 */
export async function sessionCookieFor(
  user: Pick<SessionUser, "id" | "name" | "email">,
  claims: TestSessionClaims = {},
  options: { secret?: string } = {},
): Promise<string> {
  const secret = options.secret ?? process.env.AUTH_SECRET;
  if (!secret) throw new Error("sessionCookieFor needs the auth secret: set AUTH_SECRET or pass { secret }");
  const token = await encode({
    token: { sub: user.id, name: user.name, email: user.email, ...claims },
    secret,
    salt: SESSION_COOKIE,
    maxAge: 3600,
  });
  return `${SESSION_COOKIE}=${token}`;
}
