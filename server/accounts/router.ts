import { RateLimited } from "@/server/errors";
import { consumeLimit, retryMessage } from "@/server/rate-limit";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import type { LimitRule } from "@/server/rate-limit";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "@/server/trpc";
import { isNameAvailable, nameCheckLimit } from "./name-keys";
import { confirmIdentity } from "./confirm-identity";
import { beginPasskeyAssertion, beginPasskeyRegistration, finishPasskeyRegistration, removePasskey, renamePasskey } from "./passkeys";
import { relyingParty, requestHeaders } from "./relying-party";
import { renewalFor } from "./session-renewal";
import { assertRecentAuth, endSessions } from "./sessions";
import { beginTotp, confirmTotp, disableTotp, ensureRecoveryCodes, regenerateRecoveryCodes, securityStatus } from "./two-factor";
import {
  confirmIdentityInput,
  confirmTotpInput,
  finishPasskeyRegistrationInput,
  removePasskeyInput,
  renamePasskeyInput,
} from "./two-factor-schemas";
import { nameAvailableInput, signUpInput, updateProfileInput } from "./schemas";
import { sendVerificationLink, cancelEmailChange, emailStatus, requestEmailChange, resendVerification, verifyEmail } from "./email-address";
import { changePassword, requestPasswordReset, resetPassword } from "./recovery";
import {
  changePasswordInput,
  requestEmailChangeInput,
  requestPasswordResetInput,
  resetPasswordInput,
  verifyEmailInput,
} from "./recovery-schemas";
import { getProfile, removeAvatar, signUp, signUpLimit, updateProfile } from "./service";
import { signOutEverywhere } from "./suspensions";

/** Passkey sign-in challenges handed out to one address (each is a row until it expires). */
const passkeyChallengeLimit = { name: "passkey-challenge:ip", points: 60, durationSeconds: 15 * 60 } satisfies LimitRule;

export const accountRouter = createTRPCRouter({
  /** Creates a player account; the browser then signs in with the same credentials. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const limit = await consumeLimit(ctx.db, signUpLimit, ctx.ip);
    if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
    const user = await signUp(ctx.db, input);
    ctx.log.info({ userId: user.id }, "account created");
    await sendVerificationLink(ctx.db, user);
    return { id: user.id, name: user.name, email: user.email };
  }),
  /** While a name is typed (sign-up, profile): free, or taken by another account, also by a look-alike. */
  nameAvailable: publicProcedure.input(nameAvailableInput).query(async ({ ctx, input }) => {
    const limit = await consumeLimit(ctx.db, nameCheckLimit, ctx.ip);
    if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
    return { available: await isNameAvailable(ctx.db, input.name, ctx.user?.id) };
  }),
  me: protectedProcedure.query(({ ctx }) => getProfile(ctx.db, ctx.user.id)),
  updateProfile: protectedProcedure.input(updateProfileInput).mutation(({ ctx, input }) => updateProfile(ctx.db, ctx.user.id, input)),
  removeAvatar: protectedProcedure.mutation(async ({ ctx }) => {
    await removeAvatar(ctx.db, ctx.user.id);
    return { image: null };
  }),

  // ---- Password reset, email verification, email and password changes ----
  /** The same answer whether or not an account has this address. */
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx.db, { email: input.email, ip: ctx.ip })),
  /** Ends every session, this browser's too: it signs in again with the new password. */
  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    const result = await resetPassword(ctx.db, { ...input, ip: ctx.ip });
    ctx.log.info({ procedure: "account.resetPassword" }, "password reset");
    return result;
  }),
  /** Verification and email-change links alike; works signed in or out. */
  verifyEmail: publicProcedure
    .input(verifyEmailInput)
    .mutation(({ ctx, input }) => verifyEmail(ctx.db, { token: input.token, ip: ctx.ip })),
  resendVerification: protectedProcedure.mutation(({ ctx }) => resendVerification(ctx.db, ctx.user.id)),
  emailStatus: protectedProcedure.query(({ ctx }) => emailStatus(ctx.db, ctx.user.id)),
  requestEmailChange: protectedProcedure
    .input(requestEmailChangeInput)
    .mutation(({ ctx, input }) => requestEmailChange(ctx.db, ctx.user.id, input)),
  cancelEmailChange: protectedProcedure.mutation(async ({ ctx }) => {
    await cancelEmailChange(ctx.db, ctx.user.id);
    return { cancelled: true };
  }),
  /** Ends every other session; `renew` keeps this one (the browser hands it to renewSession). */
  changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const { sessionVersion } = await changePassword(ctx.db, ctx.user.id, input);
    return { renew: await renewalFor(ctx.user, sessionVersion) };
  }),

  // ---- Two-factor sign-in: authenticator app, recovery codes, passkeys; confirming it is you ----
  /** Authenticator app on or off, recovery codes left, passkeys. */
  securityStatus: protectedProcedure.query(({ ctx }) => securityStatus(ctx.db, ctx.user.id)),
  /** A fresh authenticator secret to scan (QR code) or type in; on once confirmTotp gets a code from it. */
  beginTotp: protectedProcedure.mutation(({ ctx }) => {
    assertRecentAuth(ctx.user);
    return beginTotp(ctx.db, ctx.user);
  }),
  /** Turns the app on; the ten recovery codes are shown this once; every other session ends. */
  confirmTotp: protectedProcedure.input(confirmTotpInput).mutation(async ({ ctx, input }) => {
    assertRecentAuth(ctx.user);
    const { recoveryCodes, sessionVersion } = await confirmTotp(ctx.db, ctx.user.id, input.code);
    ctx.log.info({ userId: ctx.user.id }, "two-factor sign-in turned on");
    return { recoveryCodes, renew: await renewalFor(ctx.user, sessionVersion) };
  }),
  disableTotp: protectedProcedure.mutation(async ({ ctx }) => {
    assertRecentAuth(ctx.user);
    const { sessionVersion } = await disableTotp(ctx.db, ctx.user.id);
    ctx.log.info({ userId: ctx.user.id }, "two-factor sign-in turned off");
    return { renew: await renewalFor(ctx.user, sessionVersion) };
  }),
  regenerateRecoveryCodes: protectedProcedure.mutation(async ({ ctx }) => {
    assertRecentAuth(ctx.user);
    return { recoveryCodes: await regenerateRecoveryCodes(ctx.db, ctx.user.id) };
  }),
  beginPasskeyRegistration: protectedProcedure.mutation(async ({ ctx }) => {
    assertRecentAuth(ctx.user);
    return beginPasskeyRegistration(ctx.db, ctx.user, relyingParty(await requestHeaders()));
  }),
  finishPasskeyRegistration: protectedProcedure.input(finishPasskeyRegistrationInput).mutation(async ({ ctx, input }) => {
    assertRecentAuth(ctx.user);
    const rp = relyingParty(await requestHeaders());
    const passkey = await finishPasskeyRegistration(ctx.db, ctx.user.id, rp, {
      ...input,
      response: input.response as unknown as RegistrationResponseJSON,
    });
    ctx.log.info({ userId: ctx.user.id }, "passkey added");
    // A first second factor comes with recovery codes (shown once), so losing it cannot lock the account.
    return { ...passkey, recoveryCodes: await ensureRecoveryCodes(ctx.db, ctx.user.id) };
  }),
  renamePasskey: protectedProcedure.input(renamePasskeyInput).mutation(({ ctx, input }) => renamePasskey(ctx.db, ctx.user.id, input)),
  /** Removing a passkey ends every other session (it may be what a thief signed in with). */
  removePasskey: protectedProcedure.input(removePasskeyInput).mutation(async ({ ctx, input }) => {
    assertRecentAuth(ctx.user);
    const sessionVersion = await ctx.db.transaction(async (tx) => {
      await removePasskey(tx, ctx.user.id, input.id);
      return endSessions(tx, ctx.user.id);
    });
    ctx.log.info({ userId: ctx.user.id }, "passkey removed");
    return { renew: await renewalFor(ctx.user, sessionVersion) };
  }),
  /** A challenge for "Sign in with a passkey" (and the passkey step after a password): any passkey for this site. */
  beginPasskeySignIn: publicProcedure.mutation(async ({ ctx }) => {
    const limit = await consumeLimit(ctx.db, passkeyChallengeLimit, ctx.ip);
    if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
    return beginPasskeyAssertion(ctx.db, { userId: null, purpose: "sign_in", rp: relyingParty(await requestHeaders()) });
  }),
  /** A challenge for confirming it is you with one of your passkeys. */
  beginPasskeyConfirmation: protectedProcedure.mutation(async ({ ctx }) =>
    beginPasskeyAssertion(ctx.db, { userId: ctx.user.id, purpose: "confirm", rp: relyingParty(await requestHeaders()) }),
  ),
  /** "Confirm it is you": a renewal ticket that makes this session's proof of identity recent. */
  confirmIdentity: protectedProcedure.input(confirmIdentityInput).mutation(async ({ ctx, input }) => {
    const { sessionVersion } = await confirmIdentity(ctx.db, ctx.user.id, input, { rp: relyingParty(await requestHeaders()) });
    return { renew: await renewalFor(ctx.user, sessionVersion) };
  }),

  // ---- Sessions ----
  /** This session: when it last proved who it is (sign-in, or a password or second factor asked again). */
  currentSession: protectedProcedure.query(({ ctx }) => ({ authenticatedAt: ctx.user.authenticatedAt ?? null })),
  /** Ends every session of the account, this one included: the browser then signs out. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.db.transaction((tx) => signOutEverywhere(tx, ctx.user.id));
    ctx.log.info({ userId: ctx.user.id }, "signed out everywhere");
    return { signedOut: true as const };
  }),
});
