import { randomInt } from "node:crypto";
import { and, count, eq, isNotNull, isNull, or, lt } from "drizzle-orm";
import QRCode from "qrcode";
import type { Db, DbOrTx } from "@/db/client";
import { passkeys, recoveryCodes, totpCredentials, users } from "@/db/schema/accounts";
import { Conflict, Invalid, PreconditionFailed } from "@/server/errors";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { listPasskeys, verifyPasskeyAssertion } from "./passkeys";
import type { RelyingParty } from "./relying-party";
import { keyedHash, openSecret, sealSecret } from "./secret-box";
import { endSessions } from "./sessions";
import { matchTotpCode, newTotpSecret, totpUri } from "./totp";

/**
 * Two-factor sign-in: an authenticator app (TOTP, its seed sealed with secret-box) with ten
 * single-use recovery codes, and passkeys (server/accounts/passkeys.ts). Turning the app on or
 * off ends every session (the router keeps the caller's with a renewal ticket).
 */
const TOTP_PURPOSE = "totp";
const RECOVERY_PURPOSE = "recovery-code";
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten fresh codes as shown to the user (xxxxx-xxxxx, about 49 bits each). */
function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

const normalizeRecoveryCode = (code: string) => code.replace(/[\s-]/g, "").toLowerCase();
const recoveryHash = (userId: string, code: string) => keyedHash(RECOVERY_PURPOSE, `${userId}:${normalizeRecoveryCode(code)}`);

/** Replaces the user's recovery codes inside the caller's transaction; returns the new ones (shown once). */
async function replaceRecoveryCodes(tx: DbOrTx, userId: string, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const rows = await Promise.all(
    codes.map(async (code) => ({ id: crypto.randomUUID(), userId, codeHash: await recoveryHash(userId, code), createdAt: now })),
  );
  await tx.insert(recoveryCodes).values(rows);
  return codes;
}

export async function securityStatus(db: DbOrTx, userId: string) {
  const [[totp], [left], keys, [account]] = await Promise.all([
    db.select({ confirmedAt: totpCredentials.confirmedAt }).from(totpCredentials).where(eq(totpCredentials.userId, userId)),
    db
      .select({ n: count() })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))),
    listPasskeys(db, userId),
    db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)),
  ]);
  return {
    totpEnabledAt: totp?.confirmedAt ?? null,
    recoveryCodesLeft: left?.n ?? 0,
    passkeys: keys,
    hasPassword: Boolean(account?.passwordHash),
  };
}

/** Which second factors a password sign-in of this account must be followed by (none: the password is enough). */
export async function secondFactorsOf(db: DbOrTx, userId: string): Promise<("totp" | "passkey")[]> {
  const [[totp], [key]] = await Promise.all([
    db
      .select({ userId: totpCredentials.userId })
      .from(totpCredentials)
      .where(and(eq(totpCredentials.userId, userId), isNotNull(totpCredentials.confirmedAt))),
    db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1),
  ]);
  return [...(totp ? (["totp"] as const) : []), ...(key ? (["passkey"] as const) : [])];
}

/**
 * Starts (or restarts) setting up an authenticator app: a fresh secret, sealed, kept unconfirmed
 * until a code from the app proves it was scanned. Returns what the app needs.
 */
export async function beginTotp(db: DbOrTx, user: { id: string; email: string }) {
  const [existing] = await db
    .select({ confirmedAt: totpCredentials.confirmedAt })
    .from(totpCredentials)
    .where(eq(totpCredentials.userId, user.id));
  if (existing?.confirmedAt) throw new Conflict("Two-factor sign-in is already on. Turn it off first to set up a new app.");
  const secret = newTotpSecret();
  const secretCiphertext = await sealSecret(TOTP_PURPOSE, secret);
  await db
    .insert(totpCredentials)
    .values({ userId: user.id, secretCiphertext })
    .onConflictDoUpdate({ target: totpCredentials.userId, set: { secretCiphertext, lastUsedStep: null, createdAt: new Date() } });
  const uri = totpUri(secret, user.email);
  return { secret, uri, qrCode: await QRCode.toDataURL(uri, { margin: 1, width: 220, errorCorrectionLevel: "M" }) };
}

/**
 * Turns the app on with one code from it: makes ten recovery codes and ends every session (the
 * returned version is the one the caller's session is renewed to).
 */
export async function confirmTotp(db: Db, userId: string, code: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const [credential] = await tx.select().from(totpCredentials).where(eq(totpCredentials.userId, userId)).for("update");
    if (!credential) throw new PreconditionFailed("Start setting up your authenticator app first.");
    if (credential.confirmedAt) throw new Conflict("Two-factor sign-in is already on.");
    const step = matchTotpCode(await openSecret(TOTP_PURPOSE, credential.secretCiphertext), code, { now, lastUsedStep: null });
    if (step === null)
      throw new Invalid("That code is not right. Check your app shows Driftwood and type the current code.", { field: "code" });
    await tx.update(totpCredentials).set({ confirmedAt: now, lastUsedStep: step }).where(eq(totpCredentials.userId, userId));
    const codes = await replaceRecoveryCodes(tx, userId, now);
    const sessionVersion = await endSessions(tx, userId);
    return { recoveryCodes: codes, sessionVersion };
  });
}

/**
 * The first second factor of any kind comes with recovery codes: an account whose only second
 * factor is a passkey would otherwise be locked out with the passkey lost (a password reset keeps
 * second factors). Ten new codes (shown once) when the user has none left unused; otherwise null.
 */
export async function ensureRecoveryCodes(db: Db, userId: string, now = new Date()): Promise<string[] | null> {
  return db.transaction(async (tx) => {
    // One at a time per user, so two passkeys added at once make one set.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    const [left] = await tx
      .select({ n: count() })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
    if ((left?.n ?? 0) > 0) return null;
    return replaceRecoveryCodes(tx, userId, now);
  });
}

/** Turns the app off (its secret goes; the recovery codes too, unless a passkey still needs them) and ends every session. */
export async function disableTotp(db: Db, userId: string): Promise<{ sessionVersion: number }> {
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(totpCredentials)
      .where(eq(totpCredentials.userId, userId))
      .returning({ confirmedAt: totpCredentials.confirmedAt });
    if (!removed[0]?.confirmedAt) throw new PreconditionFailed("Two-factor sign-in is not on.");
    const [passkey] = await tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1);
    if (!passkey) await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    return { sessionVersion: await endSessions(tx, userId) };
  });
}

/** Ten new recovery codes in place of the old ones (which stop working), for an account with a second factor. */
export async function regenerateRecoveryCodes(db: Db, userId: string, now = new Date()): Promise<string[]> {
  if ((await secondFactorsOf(db, userId)).length === 0) throw new PreconditionFailed("Turn on two-factor sign-in first.");
  return db.transaction((tx) => replaceRecoveryCodes(tx, userId, now));
}

/**
 * Accepts an authenticator code once: the step is recorded by an update that only succeeds when
 * it is later than the last one, so two sign-ins racing with one code cannot both pass.
 */
export async function spendTotpCode(db: DbOrTx, userId: string, code: string, now = new Date()): Promise<boolean> {
  const [credential] = await db
    .select()
    .from(totpCredentials)
    .where(and(eq(totpCredentials.userId, userId), isNotNull(totpCredentials.confirmedAt)));
  if (!credential) return false;
  const step = matchTotpCode(await openSecret(TOTP_PURPOSE, credential.secretCiphertext), code, {
    now,
    lastUsedStep: credential.lastUsedStep,
  });
  if (step === null) return false;
  const taken = await db
    .update(totpCredentials)
    .set({ lastUsedStep: step })
    .where(and(eq(totpCredentials.userId, userId), or(isNull(totpCredentials.lastUsedStep), lt(totpCredentials.lastUsedStep, step))))
    .returning({ userId: totpCredentials.userId });
  return taken.length === 1;
}

/** Accepts a recovery code once: marking it used is the check, so of two concurrent uses one wins. */
export async function spendRecoveryCode(db: DbOrTx, userId: string, code: string, now = new Date()): Promise<boolean> {
  if (!/^[a-z0-9]{10}$/.test(normalizeRecoveryCode(code))) return false;
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(
      and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, await recoveryHash(userId, code)), isNull(recoveryCodes.usedAt)),
    )
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

/** A second factor as given after a password or when confirming it is you. */
export type SecondFactorProof =
  | { kind: "totp"; code: string }
  | { kind: "recovery"; code: string }
  | { kind: "passkey"; challengeId: string; response: AuthenticationResponseJSON };

/** Whether the proof is good for `userId` (and, being single use, it is now spent). */
export async function verifySecondFactor(
  db: DbOrTx,
  userId: string,
  proof: SecondFactorProof,
  options: { rp: RelyingParty; purpose: "sign_in" | "confirm"; now?: Date },
): Promise<boolean> {
  const now = options.now ?? new Date();
  if (proof.kind === "totp") return spendTotpCode(db, userId, proof.code, now);
  if (proof.kind === "recovery") return spendRecoveryCode(db, userId, proof.code, now);
  const verified = await verifyPasskeyAssertion(db, options.rp, {
    challengeId: proof.challengeId,
    response: proof.response,
    purpose: options.purpose,
    // A sign-in's challenge was issued before anyone was known; a confirmation's, to the user.
    challengeUserId: options.purpose === "sign_in" ? null : userId,
    userId,
    now,
  });
  return verified !== null;
}
