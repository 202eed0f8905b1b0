/**
 * What Auth.js's jwt callback (server/accounts/auth.ts) writes into the session token: at sign-in
 * the account's id, a new sign-in id (`sid`), its session version (`sv`) and the time the user proved
 * who they are (`authAt`); on an update, a new version and time only from a renewal ticket issued
 * for this very session (server/accounts/session-renewal.ts): the update endpoint is open to the
 * browser. Here, apart from Auth.js, so it can be tested.
 */
import type { DbOrTx } from "@/db/client";
import { verifyRenewal } from "./session-renewal";
import { sessionVersionOf } from "./sessions";

/** The token as the jwt callback sees it (Auth.js's JWT: `sub` and whatever claims were written). */
export type SessionToken = Record<string, unknown> & { sub?: string };

export interface SessionTokenEvent {
  /** Present only at sign-in: the account signing in. */
  user?: { id?: string | null } | null;
  /** "update" when the browser asked for the session to be updated (the renew route). */
  trigger?: "signIn" | "signUp" | "update";
  /** What an update sent: `{ renew: <ticket> }`. */
  session?: unknown;
}

/** The token to keep, changed in place (and returned) as the jwt callback returns it. */
export async function nextSessionToken(
  db: DbOrTx,
  token: SessionToken,
  { user, trigger, session }: SessionTokenEvent,
  now = new Date(),
): Promise<SessionToken> {
  if (user?.id) {
    token.sub = user.id;
    token.sid = crypto.randomUUID();
    token.sv = await sessionVersionOf(db, user.id);
    token.authAt = Math.floor(now.getTime() / 1000);
  } else if (trigger === "update" && typeof token.sub === "string" && typeof token.sid === "string") {
    const renewal = await verifyRenewal((session as { renew?: unknown } | null | undefined)?.renew, {
      userId: token.sub,
      sessionId: token.sid,
    });
    if (renewal) {
      token.sv = renewal.sessionVersion;
      token.authAt = renewal.authenticatedAt;
    }
  }
  return token;
}
