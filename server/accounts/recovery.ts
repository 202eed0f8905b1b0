import { eq, isNull, and, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema/accounts";
import { Invalid, RateLimited } from "@/server/errors";
import { consumeLimit, type LimitRule, retryMessage } from "@/server/rate-limit";
import { queueLinkEmail, queueNotice } from "./account-emails";
import { checkToken, issueToken, lifetimePhrase, retireTokens, tokenWorkWithoutToken, useToken } from "./account-tokens";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";
import { endSessions } from "./sessions";

/** Reset links asked for from one address: enough for a household, too few to mail-bomb. */
export const resetRequestIpLimit: LimitRule = { name: "password-reset:ip", points: 10, durationSeconds: 60 * 60 };
/** Reset links asked for one email address (whether or not it has an account). */
export const resetRequestEmailLimit: LimitRule = { name: "password-reset:email", points: 3, durationSeconds: 60 * 60 };
/** Links tried (right or wrong) from one address. */
export const resetAttemptLimit: LimitRule = { name: "password-reset-use:ip", points: 20, durationSeconds: 15 * 60 };
/** Current-password checks (password change, email change) per account: wrong guesses count. */
export const passwordCheckLimit: LimitRule = { name: "password-check:user", points: 10, durationSeconds: 15 * 60 };

async function takeLimit(db: Db, rule: LimitRule, key: string): Promise<void> {
  const outcome = await consumeLimit(db, rule, key);
  if (!outcome.allowed) throw new RateLimited(retryMessage(outcome.retryAfterSeconds), outcome.retryAfterSeconds);
}

/** The answer to every reset request that was not refused, whether or not the address has an account. */
export function resetRequestAnswer(email: string): { message: string } {
  return {
    message: `If an account exists for ${email}, we sent it a link to choose a new password. The link is valid for ${lifetimePhrase("password_reset")}.`,
  };
}

/**
 * Sends a reset link when an account has this address. The answer and the work are the same either
 * way (one look-up, one transaction with a token statement), so neither says whether it exists.
 */
export async function requestPasswordReset(db: Db, input: { email: string; ip: string }): Promise<{ message: string }> {
  await takeLimit(db, resetRequestIpLimit, input.ip);
  await takeLimit(db, resetRequestEmailLimit, input.email);
  const [user] = await db.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = ${input.email}`);
  await db.transaction(async (tx) => {
    if (!user) {
      await tokenWorkWithoutToken(tx, queueLinkEmail);
      return;
    }
    const token = await issueToken(tx, { userId: user.id, purpose: "password_reset", email: user.email });
    await queueLinkEmail(tx, token.id);
  });
  return resetRequestAnswer(input.email);
}

/**
 * Sets a new password from a reset link: the link works once (of two uses at the same moment one
 * wins), every other reset link of the account stops working, every session ends (this browser
 * then signs in with the new password) and the account is told by email. Two-factor sign-in stays.
 */
export async function resetPassword(db: Db, input: { token: string; password: string; ip: string }): Promise<{ email: string }> {
  await takeLimit(db, resetAttemptLimit, input.ip);
  const row = await checkToken(db, input.token, ["password_reset"]);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await useToken(tx, row);
    const now = new Date();
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: now })
      .where(eq(users.id, row.userId))
      .returning({ email: users.email });
    if (!user) throw new Invalid("This account no longer exists.", { field: "token" });
    // The link reached the account's address: that address is proven (unless it changed since).
    if (user.email.toLowerCase() === row.email.toLowerCase()) {
      await tx
        .update(users)
        .set({ emailVerified: now })
        .where(and(eq(users.id, row.userId), isNull(users.emailVerified)));
    }
    await retireTokens(tx, row.userId, ["password_reset"], now);
    await endSessions(tx, row.userId);
    await queueNotice(tx, { userId: row.userId, notice: "password_reset", to: user.email });
    return { email: user.email };
  });
}

const noPasswordYet = (field: string) =>
  new Invalid(
    "Your account has no password yet (you sign in with Discord or Google). Set one first with “Forgot password?” on the sign-in page.",
    {
      field,
    },
  );

/**
 * The signed-in user's current password, checked (counted against passwordCheckLimit); throws a
 * field error on `field` when it is wrong. Returns the account's current email.
 */
export async function checkCurrentPassword(db: Db, userId: string, password: string, field: string): Promise<{ email: string }> {
  await takeLimit(db, passwordCheckLimit, userId);
  const [user] = await db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user?.passwordHash) {
    await burnPasswordCheck(password);
    throw noPasswordYet(field);
  }
  if (!(await verifyPassword(user.passwordHash, password))) throw new Invalid("That is not your current password.", { field });
  return { email: user.email };
}

/**
 * Changes the password: the current one is checked, every session ends (the caller's carries on
 * through a renewal ticket), outstanding reset links stop working, and the account is told.
 * Returns the new session version.
 */
export async function changePassword(
  db: Db,
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<{ sessionVersion: number }> {
  const { email } = await checkCurrentPassword(db, userId, input.currentPassword, "currentPassword");
  if (input.currentPassword === input.newPassword) {
    throw new Invalid("Choose a password different from your current one.", { field: "newPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
    await retireTokens(tx, userId, ["password_reset"]);
    const sessionVersion = await endSessions(tx, userId);
    await queueNotice(tx, { userId, notice: "password_changed", to: email });
    return { sessionVersion };
  });
}
