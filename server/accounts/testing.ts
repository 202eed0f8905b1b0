import { encode } from "next-auth/jwt";
import type { SessionUser } from "./roles";

const COOKIE = "authjs.session-token";

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
 */
export async function sessionCookieFor(user: Pick<SessionUser, "id" | "name" | "email">, claims: TestSessionClaims = {}): Promise<string> {
  const token = await encode({
    token: { sub: user.id, name: user.name, email: user.email, ...claims },
    secret: process.env.AUTH_SECRET!,
    salt: COOKIE,
    maxAge: 3600,
  });
  return `${COOKIE}=${token}`;
}
