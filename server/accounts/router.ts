import { RateLimited } from "@/server/errors";
import { consumeLimit, retryMessage } from "@/server/rate-limit";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "@/server/trpc";
import { sendVerificationLink, cancelEmailChange, emailStatus, requestEmailChange, resendVerification, verifyEmail } from "./email-address";
import { changePassword, requestPasswordReset, resetPassword } from "./recovery";
import {
  changePasswordInput,
  requestEmailChangeInput,
  requestPasswordResetInput,
  resetPasswordInput,
  verifyEmailInput,
} from "./recovery-schemas";
import { signUpInput, updateProfileInput } from "./schemas";
import { renewalFor } from "./session-renewal";
import { getProfile, removeAvatar, signUp, signUpLimit, updateProfile } from "./service";

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

  // ---- Sessions ----
});
