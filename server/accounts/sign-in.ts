import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema/accounts";
import { consumeLimit, refundLimit, type LimitRule } from "@/server/rate-limit";
import { verifyPasskeyAssertion } from "./passkeys";
import { burnPasswordCheck, verifyPassword } from "./password";
import type { SessionUser } from "./roles";
import { sessionColumns } from "./service";
import { relyingParty, type RelyingParty } from "./relying-party";
import { suspensionInForce } from "./sessions";
import { type SecondFactorProof, secondFactorsOf, verifySecondFactor } from "./two-factor";

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
  /**
   * Wrong second factors for one account, after its right password: refusing here locks out only
   * someone who already knows the password, and it caps guessing six-digit codes from many addresses.
   */
  secondFactor: { name: "sign-in:second-factor", points: 10, durationSeconds: 15 * 60 },
  /** Passwordless passkey sign-ins (and their challenges) from one address. */
  passkeyPerIp: { name: "sign-in:passkey-ip", points: 30, durationSeconds: 15 * 60 },
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
  | { status: "rate_limited"; retryAfterSeconds: number }
  /** The password was right; the account also asks for one of these (nothing was refunded or spent). */
  | { status: "second_factor_required"; methods: ("totp" | "passkey")[] }
  /** The password was right and the second factor wrong: counted as a failure. */
  | { status: "invalid_second_factor" };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Checks a credentials sign-in. Every attempt takes a point under each count and a successful one
 * gives them back, so the counts are of failures (and of attempts still running).
 */
export async function verifySignIn(
  db: Db,
  input: { email: string; password: string; ip: string; secondFactor?: SecondFactorProof | null },
  options: { wait?: (ms: number) => Promise<void>; rp?: RelyingParty; now?: Date } = {},
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

  const refundPassword = () =>
    Promise.all([
      refundLimit(db, signInLimits.perEmailAndIp, pairKey),
      refundLimit(db, signInLimits.perIp, input.ip),
      refundLimit(db, signInLimits.perEmail, email),
    ]);
  const methods = await secondFactorsOf(db, user.id);
  if (methods.length > 0) {
    if (!input.secondFactor) {
      await refundPassword();
      return { status: "second_factor_required", methods };
    }
    const limit = await consumeLimit(db, signInLimits.secondFactor, user.id);
    if (!limit.allowed) return { status: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
    const rp = options.rp ?? relyingParty(new Headers());
    // A wrong one keeps the points taken above: it counts under every sign-in limit.
    if (!(await verifySecondFactor(db, user.id, input.secondFactor, { rp, purpose: "sign_in", now: options.now }))) {
      return { status: "invalid_second_factor" };
    }
    await refundLimit(db, signInLimits.secondFactor, user.id);
  }
  await refundPassword();
  const { passwordHash: _omit, suspendedAt, suspendedUntil, suspensionReason, ...sessionUser } = user;
  // Told only to whoever knows the password: a suspension is nobody else's business.
  const suspension = suspensionInForce({ suspendedAt, suspendedUntil });
  if (suspension) return { status: "suspended", until: suspension.until, reason: suspensionReason ?? "" };
  return { status: "ok", user: sessionUser };
}

/**
 * A passwordless sign-in with a passkey: the assertion answers a challenge issued to nobody in
 * particular and names its credential, which names the account. Counted per address like
 * password failures; a suspended account is refused as at a password sign-in.
 */
export async function verifyPasskeySignIn(
  db: Db,
  input: { challengeId: string; response: AuthenticationResponseJSON; ip: string },
  options: { rp: RelyingParty; now?: Date },
): Promise<SignInResult> {
  const limit = await consumeLimit(db, signInLimits.passkeyPerIp, input.ip);
  if (!limit.allowed) return { status: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  const verified = await verifyPasskeyAssertion(db, options.rp, {
    challengeId: input.challengeId,
    response: input.response,
    purpose: "sign_in",
    challengeUserId: null,
    userId: null,
    now: options.now,
  });
  if (!verified) return { status: "invalid" };
  await refundLimit(db, signInLimits.passkeyPerIp, input.ip);
  const [user] = await db
    .select({
      ...sessionColumns,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      suspensionReason: users.suspensionReason,
    })
    .from(users)
    .where(eq(users.id, verified.userId));
  if (!user) return { status: "invalid" };
  const { suspendedAt, suspendedUntil, suspensionReason, ...sessionUser } = user;
  const suspension = suspensionInForce({ suspendedAt, suspendedUntil }, options.now);
  if (suspension) return { status: "suspended", until: suspension.until, reason: suspensionReason ?? "" };
  return { status: "ok", user: sessionUser };
}
