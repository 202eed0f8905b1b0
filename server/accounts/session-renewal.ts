import { jwtVerify, SignJWT } from "jose";
import { authSecret } from "@/server/auth-secret";

/**
 * A session renewal ticket: what lets the session that just changed the account's security (a new
 * password, two-factor sign-in turned on or off) or proved who it is again (recent authentication)
 * carry on, when the others end. A procedure issues it for the calling session (its `sid`); the
 * browser hands it to the `renewSession` server action, which asks Auth.js to update the cookie;
 * the jwt callback takes the new version and time only from a ticket that verifies, for the same
 * user and session. Signed (HS256) with a key derived from the auth secret; valid two minutes.
 */
export interface Renewal {
  userId: string;
  /** The session (sign-in) the ticket is for: another session of the same user cannot use it. */
  sessionId: string;
  sessionVersion: number;
  /** Seconds since the epoch. */
  authenticatedAt: number;
}

const AUDIENCE = "driftwood:session-renewal";

async function key(): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${AUDIENCE}\0${await authSecret()}`));
  return new Uint8Array(digest);
}

export async function issueRenewal(renewal: Renewal): Promise<string> {
  return new SignJWT({ sid: renewal.sessionId, sv: renewal.sessionVersion, authAt: renewal.authenticatedAt })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(renewal.userId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("2m")
    .sign(await key());
}

/** The renewal a ticket carries, when it verifies and names this user and session; otherwise null. */
export async function verifyRenewal(ticket: unknown, current: { userId: string; sessionId: string }): Promise<Renewal | null> {
  if (typeof ticket !== "string" || ticket.length > 2_000) return null;
  try {
    const { payload } = await jwtVerify(ticket, await key(), { audience: AUDIENCE, algorithms: ["HS256"] });
    const { sub, sid, sv, authAt } = payload as { sub?: unknown; sid?: unknown; sv?: unknown; authAt?: unknown };
    if (sub !== current.userId || sid !== current.sessionId || typeof sv !== "number" || typeof authAt !== "number") return null;
    return { userId: sub, sessionId: sid, sessionVersion: sv, authenticatedAt: authAt };
  } catch {
    return null;
  }
}

/**
 * The ticket that keeps the calling session signed in at `sessionVersion` (after its own change
 * moved the version on) and counts it as having just proved who it is; null for a session from
 * before session ids existed, which then ends with the others.
 */
export async function renewalFor(user: { id: string; sessionId?: string | null }, sessionVersion: number): Promise<string | null> {
  if (!user.sessionId) return null;
  return issueRenewal({
    userId: user.id,
    sessionId: user.sessionId,
    sessionVersion,
    authenticatedAt: Math.floor(Date.now() / 1000),
  });
}
