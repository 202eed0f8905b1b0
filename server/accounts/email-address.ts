import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { users } from "@/db/schema/accounts";
import { Forbidden, Invalid, RateLimited } from "@/server/errors";
import { consumeLimit, type LimitRule, retryMessage } from "@/server/rate-limit";
import { queueLinkEmail, queueNotice } from "./account-emails";
import { checkToken, issueToken, outstandingToken, retireTokens, useToken } from "./account-tokens";
import { checkCurrentPassword } from "./recovery";
import type { SessionUser } from "./roles";

/** New verification links per account. */
export const resendVerificationLimit: LimitRule = { name: "verify-email-resend:user", points: 5, durationSeconds: 60 * 60 };
/** Email changes asked for per account (each sends two emails). */
export const emailChangeLimit: LimitRule = { name: "email-change:user", points: 5, durationSeconds: 60 * 60 };
/** Links tried from one address (verification and email change). */
export const verifyAttemptLimit: LimitRule = { name: "verify-email-use:ip", points: 30, durationSeconds: 15 * 60 };

async function takeLimit(db: Db, rule: LimitRule, key: string): Promise<void> {
  const outcome = await consumeLimit(db, rule, key);
  if (!outcome.allowed) throw new RateLimited(retryMessage(outcome.retryAfterSeconds), outcome.retryAfterSeconds);
}

export function unverifiedMessage(email: string): string {
  return `Verify your email address first: we sent a link to ${email}. You can send a new one from Sign-in and security.`;
}

/**
 * Money comes in (entry fees, wallet top-ups, later withdrawals out) only from accounts whose email
 * is verified: the address is how a payment dispute or a stolen account is sorted out.
 */
export function assertEmailVerified(user: Pick<SessionUser, "email" | "emailVerified">): void {
  if (!user.emailVerified) throw new Forbidden(unverifiedMessage(user.email));
}

/** Queues a verification link to the account's address, inside the caller's transaction (older links stop working). */
export async function queueVerificationLink(tx: DbOrTx, user: { id: string; email: string }): Promise<void> {
  await retireTokens(tx, user.id, ["email_verification"]);
  const token = await issueToken(tx, { userId: user.id, purpose: "email_verification", email: user.email });
  await queueLinkEmail(tx, token.id);
}

/** After sign-up (credentials, or an account Auth.js created from Discord or Google). */
export async function sendVerificationLink(db: Db, user: { id: string; email: string }): Promise<void> {
  await db.transaction((tx) => queueVerificationLink(tx, user));
}

/** "Send the link again" from the security page. */
export async function resendVerification(db: Db, userId: string): Promise<{ email: string }> {
  await takeLimit(db, resendVerificationLimit, userId);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, verified: sql<boolean>`${users.emailVerified} is not null` })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user) throw new Invalid("That account no longer exists.");
    if (user.verified) throw new Invalid("Your email address is already verified.");
    await queueVerificationLink(tx, user);
    return { email: user.email };
  });
}

const addressTaken = (field: string) => new Invalid("Another account already uses this email address.", { field });

async function addressInUse(db: DbOrTx, email: string, exceptUserId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()} and ${users.id} <> ${exceptUserId}`);
  return Boolean(row);
}

export type VerifiedLink = { purpose: "email_verification" | "email_change"; email: string };

/**
 * Uses a verification or email-change link (signed in or out: the link is the proof). A
 * verification link marks the address it was sent to verified, if it is still the account's; an
 * email-change link makes its address the sign-in email, verified, and tells the old address.
 */
export async function verifyEmail(db: Db, input: { token: string; ip: string }): Promise<VerifiedLink> {
  await takeLimit(db, verifyAttemptLimit, input.ip);
  const row = await checkToken(db, input.token, ["email_verification", "email_change"]);
  const purpose = row.purpose as VerifiedLink["purpose"];
  try {
    return await db.transaction(async (tx) => {
      await useToken(tx, row);
      const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId)).for("update");
      if (!user) throw new Invalid("This account no longer exists.", { field: "token" });
      const now = new Date();
      if (purpose === "email_verification") {
        if (user.email.toLowerCase() !== row.email.toLowerCase()) {
          throw new Invalid(
            `This link was for ${row.email}, which is no longer your sign-in email. Send a new one from Sign-in and security.`,
            { field: "token" },
          );
        }
        await tx.update(users).set({ emailVerified: now, updatedAt: now }).where(eq(users.id, row.userId));
        return { purpose, email: user.email };
      }
      // Checked again now: the address may have been taken since the link was sent (the unique index decides races).
      if (await addressInUse(tx, row.email, row.userId)) throw addressTaken("token");
      await tx.update(users).set({ email: row.email, emailVerified: now, updatedAt: now }).where(eq(users.id, row.userId));
      await retireTokens(tx, row.userId, ["email_change", "email_verification", "password_reset"], now);
      await queueNotice(tx, { userId: row.userId, notice: "email_changed", to: user.email, newEmail: row.email });
      return { purpose, email: row.email };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw addressTaken("token");
    throw error;
  }
}

/**
 * Starts a change of the sign-in email: the current password is checked, the new address must be
 * free; a link goes to the new address and a notice to the old one. Nothing changes until the link
 * is used; a newer request replaces a pending one.
 */
export async function requestEmailChange(
  db: Db,
  userId: string,
  input: { newEmail: string; password: string },
): Promise<{ pendingEmail: string; expiresAt: Date }> {
  await takeLimit(db, emailChangeLimit, userId);
  const { email } = await checkCurrentPassword(db, userId, input.password, "password");
  if (email.toLowerCase() === input.newEmail) throw new Invalid("This is already your sign-in email.", { field: "newEmail" });
  if (await addressInUse(db, input.newEmail, userId)) throw addressTaken("newEmail");
  return db.transaction(async (tx) => {
    await retireTokens(tx, userId, ["email_change"]);
    const token = await issueToken(tx, { userId, purpose: "email_change", email: input.newEmail });
    await queueLinkEmail(tx, token.id);
    await queueNotice(tx, { userId, notice: "email_change_requested", to: email, newEmail: input.newEmail });
    return { pendingEmail: input.newEmail, expiresAt: token.expiresAt };
  });
}

/** Stops a pending email change: its link no longer works. */
export async function cancelEmailChange(db: Db, userId: string): Promise<void> {
  await db.transaction((tx) => retireTokens(tx, userId, ["email_change"]));
}

/** What the security page's email section shows. */
export async function emailStatus(db: DbOrTx, userId: string) {
  const [user] = await db
    .select({ email: users.email, verifiedAt: users.emailVerified, hasPassword: sql<boolean>`${users.passwordHash} is not null` })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new Invalid("That account no longer exists.");
  const pending = await outstandingToken(db, userId, "email_change");
  return {
    email: user.email,
    verified: user.verifiedAt !== null,
    hasPassword: user.hasPassword,
    pendingEmail: pending?.email ?? null,
    pendingExpiresAt: pending?.expiresAt ?? null,
  };
}
