import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { accountTokens, type AccountTokenPurpose, users } from "@/db/schema/accounts";
import { env } from "@/server/env";
import { enqueueJob } from "@/server/jobs/queue";
import { logger } from "@/server/logger";
import type { Mailer } from "@/server/mail";
import { lifetimePhrase, linkToken } from "./account-tokens";

/**
 * The account's security emails: links (reset, verification, email change) and notices (password
 * changed or reset, sign-in email changing or changed). Queued inside the action's transaction,
 * sent by the `send-account-email` job after commit; the mailer's dedupe key makes a retried job
 * send once. A link's job carries only the token's id (the secret is derived again when sending).
 */
export const SEND_ACCOUNT_EMAIL_TASK = "send-account-email";

export const accountNotices = ["password_changed", "password_reset", "email_change_requested", "email_changed"] as const;
export type AccountNotice = (typeof accountNotices)[number];

export const accountEmailPayload = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("link"), tokenId: z.uuid() }),
  z.object({
    kind: z.literal("notice"),
    noticeId: z.uuid(),
    userId: z.uuid(),
    notice: z.enum(accountNotices),
    /** The address told (for an email change, the old one). */
    to: z.string().min(1).max(254),
    newEmail: z.string().max(254).optional(),
  }),
]);
export type AccountEmailPayload = z.infer<typeof accountEmailPayload>;

const DEFAULT_APP_URL = "http://localhost:3000";
let warnedAboutUrl = false;

/** The app's public origin for links in emails: AUTH_URL's, or the local development address. */
export function appOrigin(): string {
  if (env.AUTH_URL) return new URL(env.AUTH_URL).origin;
  if (env.NODE_ENV === "production" && !warnedAboutUrl) {
    warnedAboutUrl = true;
    logger.warn({ component: "account-emails" }, `AUTH_URL is unset: links in emails point to ${DEFAULT_APP_URL}; set AUTH_URL`);
  }
  return DEFAULT_APP_URL;
}

export function queueLinkEmail(tx: DbOrTx, tokenId: string): Promise<void> {
  return enqueueJob(tx, SEND_ACCOUNT_EMAIL_TASK, { kind: "link", tokenId } satisfies AccountEmailPayload, { maxAttempts: 10 });
}

export function queueNotice(tx: DbOrTx, notice: { userId: string; notice: AccountNotice; to: string; newEmail?: string }): Promise<void> {
  const payload: AccountEmailPayload = { kind: "notice", noticeId: crypto.randomUUID(), ...notice };
  return enqueueJob(tx, SEND_ACCOUNT_EMAIL_TASK, payload, { maxAttempts: 10 });
}

const pagePath: Record<AccountTokenPurpose, string> = {
  password_reset: "/reset-password",
  email_verification: "/verify-email",
  email_change: "/verify-email",
};

/** The full link a token's email carries. */
export async function linkFor(tokenId: string, purpose: AccountTokenPurpose): Promise<string> {
  return `${appOrigin()}${pagePath[purpose]}?token=${await linkToken(tokenId)}`;
}

const SIGN_OFF = "\n\n— Driftwood";

function linkMessage(purpose: AccountTokenPurpose, name: string, email: string, link: string): { subject: string; text: string } {
  const valid = lifetimePhrase(purpose);
  if (purpose === "password_reset") {
    return {
      subject: "Reset your Driftwood password",
      text: `Hi ${name},\n\nsomeone (hopefully you) asked to reset the password of your Driftwood account. Choose a new password here:\n\n${link}\n\nThe link works once, within ${valid}. Resetting signs out every device signed in to your account.\n\nIf you did not ask for this, ignore this email: your password stays as it is.${SIGN_OFF}`,
    };
  }
  if (purpose === "email_verification") {
    return {
      subject: "Confirm your email address for Driftwood",
      text: `Hi ${name},\n\nplease confirm that ${email} is your email address by opening this link:\n\n${link}\n\nThe link works once, within ${valid}. Until you confirm, you can browse, chat and enter free events, but not pay entry fees or top up your wallet.\n\nIf you did not create a Driftwood account, ignore this email.${SIGN_OFF}`,
    };
  }
  return {
    subject: "Confirm your new sign-in email for Driftwood",
    text: `Hi ${name},\n\nyou asked to sign in to Driftwood with ${email} from now on. Confirm the change by opening this link:\n\n${link}\n\nThe link works once, within ${valid}. Nothing changes until you open it.\n\nIf you did not ask for this, ignore this email.${SIGN_OFF}`,
  };
}

function noticeMessage(notice: AccountNotice, name: string, newEmail: string | undefined): { subject: string; text: string } {
  const origin = appOrigin();
  const notYou = `If this was not you, reset your password now at ${origin}/forgot-password and check your account's security at ${origin}/profile/security.`;
  switch (notice) {
    case "password_changed":
      return {
        subject: "Your Driftwood password was changed",
        text: `Hi ${name},\n\nthe password of your Driftwood account was just changed. Every other device signed in to your account was signed out.\n\n${notYou}${SIGN_OFF}`,
      };
    case "password_reset":
      return {
        subject: "Your Driftwood password was reset",
        text: `Hi ${name},\n\nthe password of your Driftwood account was just reset with a link sent to this address. Every device signed in to your account was signed out.\n\n${notYou}${SIGN_OFF}`,
      };
    case "email_change_requested":
      return {
        subject: "Your Driftwood sign-in email is being changed",
        text: `Hi ${name},\n\nsomeone signed in to your Driftwood account asked to change its sign-in email to ${newEmail}. Nothing changes until the link sent to that address is opened; you can cancel the change at ${origin}/profile/security.\n\nIf this was not you, change your password at ${origin}/profile/security (or reset it at ${origin}/forgot-password) and cancel the change.${SIGN_OFF}`,
      };
    case "email_changed":
      return {
        subject: "Your Driftwood sign-in email was changed",
        text: `Hi ${name},\n\nyour Driftwood account now signs in with ${newEmail} instead of this address; emails about the account go there from now on.\n\nIf this was not you, reply to this email right away so we can help you get your account back.${SIGN_OFF}`,
      };
  }
}

const log = logger.child({ component: "account-emails" });

/** The `send-account-email` job: one email per payload, once per dedupe key. */
export async function sendAccountEmail(
  db: DbOrTx,
  mailer: Mailer,
  payload: AccountEmailPayload,
  now = new Date(),
): Promise<"sent" | "already_sent" | "skipped"> {
  if (payload.kind === "link") {
    const [row] = await db
      .select({
        id: accountTokens.id,
        purpose: accountTokens.purpose,
        email: accountTokens.email,
        usedAt: accountTokens.usedAt,
        expiresAt: accountTokens.expiresAt,
        name: users.name,
      })
      .from(accountTokens)
      .innerJoin(users, eq(users.id, accountTokens.userId))
      .where(eq(accountTokens.id, payload.tokenId));
    // A link already used, expired or replaced (the account gone with it) has nothing left to say.
    if (!row || row.usedAt || row.expiresAt <= now) {
      log.info({ tokenId: payload.tokenId }, "account link email skipped: the link no longer works");
      return "skipped";
    }
    const message = linkMessage(row.purpose, row.name, row.email, await linkFor(row.id, row.purpose));
    return (await mailer.send({ dedupeKey: `account-link-${row.id}`, to: { name: row.name, address: row.email }, ...message })).status;
  }
  const [user] = await db.select({ name: users.name }).from(users).where(eq(users.id, payload.userId));
  if (!user) return "skipped";
  const message = noticeMessage(payload.notice, user.name, payload.newEmail);
  return (await mailer.send({ dedupeKey: `account-notice-${payload.noticeId}`, to: { name: user.name, address: payload.to }, ...message }))
    .status;
}
