import { eq, sql } from "drizzle-orm";
import { reusableQuery, type DbOrTx } from "@/db/client";
import { users } from "@/db/schema/accounts";
import { Forbidden } from "@/server/errors";
import { globalRegistry } from "@/server/registry";
import { RECENT_AUTH_MESSAGE } from "./recent-auth";
import type { SessionUser } from "./roles";
import { sessionColumns } from "./service";

/**
 * What a session cookie says about its holder: who, under which session version, and when they
 * last proved it was them (a password or a second factor, at sign-in or when asked again).
 */
export interface SessionClaims {
  userId: string;
  /** One per sign-in (renewal tickets name it); null in tokens from before it existed. */
  sessionId: string | null;
  /** Tokens from before session versions existed carry none: they count as version 0. */
  sessionVersion: number;
  /** Seconds since the epoch; null when the token does not say. */
  authenticatedAt: number | null;
}

/** The claims in an Auth.js token (`sub`, `sid`, `sv`, `authAt`), or null when it names nobody. */
export function claimsOfToken(token: Record<string, unknown> | null | undefined): SessionClaims | null {
  if (!token || typeof token.sub !== "string") return null;
  return {
    userId: token.sub,
    sessionId: typeof token.sid === "string" ? token.sid : null,
    sessionVersion: typeof token.sv === "number" ? token.sv : 0,
    authenticatedAt: typeof token.authAt === "number" ? token.authAt : null,
  };
}

/** A suspension in force at `now`: a ban (no end) or one whose end is still ahead. */
export function suspensionInForce(
  row: { suspendedAt: Date | null; suspendedUntil: Date | null },
  now = new Date(),
): { until: Date | null } | null {
  if (!row.suspendedAt) return null;
  if (row.suspendedUntil && row.suspendedUntil <= now) return null;
  return { until: row.suspendedUntil };
}

/** A user's session version now (0 for an account that is gone: its token will name nobody anyway). */
export async function sessionVersionOf(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return row?.sessionVersion ?? 0;
}

/** The suspension in force on `userId` now, with its reason, or null. */
export async function suspensionOf(db: DbOrTx, userId: string): Promise<{ until: Date | null; reason: string } | null> {
  const [row] = await db
    .select({ suspendedAt: users.suspendedAt, suspendedUntil: users.suspendedUntil, reason: users.suspensionReason })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) return null;
  const inForce = suspensionInForce(row);
  return inForce ? { until: inForce.until, reason: row.reason ?? "" } : null;
}

const sessionRowById = reusableQuery<
  { userId: string },
  (Omit<SessionUser, "authenticatedAt" | "sessionId"> & { sessionVersion: number; suspendedAt: Date | null; suspendedUntil: Date | null })[]
>("session_row", (db) =>
  db
    .select({
      ...sessionColumns,
      sessionVersion: users.sessionVersion,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId"))),
);

/**
 * The user a session cookie stands for, as stored now, or null when the session has ended: the
 * account is gone, its session version moved on (sign out everywhere, a password change or reset,
 * a second-factor change, a suspension) or it is suspended. Read once per request.
 */
export async function userOfSession(db: DbOrTx, claims: SessionClaims | null): Promise<SessionUser | null> {
  if (!claims || !/^[0-9a-f-]{36}$/i.test(claims.userId)) return null;
  const [row] = await sessionRowById(db, { userId: claims.userId });
  if (!row || row.sessionVersion !== claims.sessionVersion || suspensionInForce(row)) return null;
  const { sessionVersion: _version, suspendedAt: _at, suspendedUntil: _until, ...user } = row;
  return {
    ...user,
    sessionId: claims.sessionId,
    authenticatedAt: claims.authenticatedAt === null ? null : new Date(claims.authenticatedAt * 1000),
  };
}

/** What happens when a user's sessions end, besides the version moving on (live: their streams close). */
export type SessionsEndedHook = (tx: DbOrTx, userId: string) => Promise<void>;
const sessionsEndedHooks = globalRegistry<string, SessionsEndedHook>("driftwoodSessionsEndedHooks", "sessions-ended hook");

/** Registered by the composition root (server/composition.ts), one entry per domain that cares. */
export function registerSessionsEndedHook(name: string, hook: SessionsEndedHook): void {
  sessionsEndedHooks.register(name, hook);
}

/**
 * Ends every session of `userId` by moving its session version on, inside the caller's
 * transaction; returns the new version (for a session minted right after, like the one that asked).
 */
export async function endSessions(tx: DbOrTx, userId: string): Promise<number> {
  const [row] = await tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  for (const name of sessionsEndedHooks.keys()) await sessionsEndedHooks.get(name)(tx, userId);
  return row?.sessionVersion ?? 0;
}

/** How long a password or a second factor counts as recent, for actions that ask for one. */
export const RECENT_AUTH_SECONDS = 10 * 60;

/** The message a sensitive action answers with when the last proof of identity is too old (browser-safe: the form asking for it reads it). */
export { RECENT_AUTH_MESSAGE };

/**
 * For sensitive actions (changing the email or password, turning two-factor sign-in off, adding a
 * payout account, withdrawing): the caller proved who they are within RECENT_AUTH_SECONDS.
 */
export function assertRecentAuth(user: Pick<SessionUser, "authenticatedAt">, now = new Date()): void {
  const at = user.authenticatedAt;
  if (!at || now.getTime() - at.getTime() > RECENT_AUTH_SECONDS * 1000) throw new Forbidden(RECENT_AUTH_MESSAGE);
}
