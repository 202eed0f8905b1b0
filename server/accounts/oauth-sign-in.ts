/**
 * What Auth.js asks accounts about sign-ins through Discord and Google (server/accounts/auth.ts
 * calls these; Auth.js itself does not load under vitest, these do): whether a sign-in may go on,
 * and what a new account a provider created gets.
 */
import type { Db } from "@/db/client";
import { logger } from "@/server/logger";
import { sendVerificationLink } from "./email-address";
import { claimNameKey } from "./name-keys";
import { suspensionOf } from "./sessions";
import { suspendedCode } from "./suspension-code";

/**
 * Auth.js's signIn callback: true lets the sign-in go on; a path is where the browser goes instead.
 * A suspended account's OAuth sign-in goes back to the sign-in page with the suspension's code
 * (`?error=suspended:…`, which the page reads). Credentials sign-ins (password, passkey) are
 * decided in verifySignIn, and a provider's first sign-in names an account that does not exist yet.
 */
export async function oauthSignInDecision(
  db: Db,
  { user, account }: { user: { id?: string | null }; account?: { type?: string } | null },
): Promise<true | string> {
  if (account?.type === "credentials" || !user.id) return true;
  const suspension = await suspensionOf(db, user.id);
  return suspension ? `/sign-in?error=${encodeURIComponent(suspendedCode(suspension.until, suspension.reason))}` : true;
}

/**
 * Auth.js's createUser event, for an account a provider created: its display name's key (renamed
 * "Kestrel 2" when a look-alike is taken) and an email verification link like any other sign-up.
 * Neither failure stops the other or the sign-in: each is logged.
 */
export async function onOAuthUserCreated(db: Db, user: { id?: string | null; email?: string | null }): Promise<void> {
  const userId = user.id;
  if (!userId) return;
  await claimNameKey(db, userId).catch((error: unknown) =>
    logger.error({ component: "auth", userId, err: error }, "display name key not claimed"),
  );
  if (!user.email) return;
  await sendVerificationLink(db, { id: userId, email: user.email }).catch((error: unknown) =>
    logger.error({ component: "auth", userId, err: error }, "verification link not queued"),
  );
}
