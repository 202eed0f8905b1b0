import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema/accounts";
import { consumeLimit, refundLimit, type LimitRule } from "@/server/rate-limit";
import { burnPasswordCheck, verifyPassword } from "./password";
import type { SessionUser } from "./roles";
import { sessionColumns } from "./service";
import { suspensionInForce } from "./sessions";

/**
 * Failed sign-ins are counted three ways. Two refuse: one account from one address (a mistyping
 * owner or one guesser), and one address across accounts (password spraying). The third, one
 * account from anywhere, only slows down: refusing there would let anyone lock an owner out by
 * failing five times for their email from a few addresses.
 */
export const signInLimits = {
  perEmailAndIp: { name: "sign-in:email-ip", points: 5, durationSeconds: 5 * 60 },
  perIp: { name: "sign-in:ip", points: 20, durationSeconds: 15 * 60 },
  perEmail: { name: "sign-in:email", points: 1_000_000, durationSeconds: 15 * 60 },
} satisfies Record<string, LimitRule>;

/** Failures for one account (from any address) after which every attempt for it waits first. */
export const SLOW_DOWN_AFTER = 5;
const MAX_DELAY_MS = 8_000;

/** The wait before checking a password, given the failures already counted for its account. */
export function signInDelayMs(failures: number): number {
  if (failures < SLOW_DOWN_AFTER) return 0;
  return Math.min(MAX_DELAY_MS, 500 * 2 ** (failures - SLOW_DOWN_AFTER));
}

export type SignInResult =
  | { status: "ok"; user: SessionUser }
  | { status: "invalid" }
  | { status: "suspended"; until: Date | null; reason: string }
  | { status: "rate_limited"; retryAfterSeconds: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Checks a credentials sign-in. Every attempt takes a point under each count and a successful one
 * gives them back, so the counts are of failures (and of attempts still running).
 */
export async function verifySignIn(
  db: Db,
  input: { email: string; password: string; ip: string },
  options: { wait?: (ms: number) => Promise<void> } = {},
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const pairKey = `${email}|${input.ip}`;
  const [pair, address, account] = await Promise.all([
    consumeLimit(db, signInLimits.perEmailAndIp, pairKey),
    consumeLimit(db, signInLimits.perIp, input.ip),
    consumeLimit(db, signInLimits.perEmail, email),
  ]);
  const refused = [pair, address].flatMap((o) => (o.allowed ? [] : [o.retryAfterSeconds]));
  if (refused.length > 0) {
    // A refused attempt checks no password, so it is not a failure for the account.
    if (account.allowed) await refundLimit(db, signInLimits.perEmail, email);
    return { status: "rate_limited", retryAfterSeconds: Math.max(...refused) };
  }
  const delay = signInDelayMs(account.allowed ? account.used - 1 : SLOW_DOWN_AFTER);
  if (delay > 0) await (options.wait ?? sleep)(delay);

  const [user] = await db
    .select({
      ...sessionColumns,
      passwordHash: users.passwordHash,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      suspensionReason: users.suspensionReason,
    })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);
  if (!user?.passwordHash) {
    await burnPasswordCheck(input.password);
    return { status: "invalid" };
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) return { status: "invalid" };

  await Promise.all([
    refundLimit(db, signInLimits.perEmailAndIp, pairKey),
    refundLimit(db, signInLimits.perIp, input.ip),
    refundLimit(db, signInLimits.perEmail, email),
  ]);
  const { passwordHash: _omit, suspendedAt, suspendedUntil, suspensionReason, ...sessionUser } = user;
  // Told only to whoever knows the password: a suspension is nobody else's business.
  const suspension = suspensionInForce({ suspendedAt, suspendedUntil });
  if (suspension) return { status: "suspended", until: suspension.until, reason: suspensionReason ?? "" };
  return { status: "ok", user: sessionUser };
}
