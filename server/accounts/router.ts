import { RateLimited } from "@/server/errors";
import { consumeLimit, retryMessage } from "@/server/rate-limit";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "@/server/trpc";
import { isNameAvailable, nameCheckLimit } from "./name-keys";
import { nameAvailableInput, signUpInput, updateProfileInput } from "./schemas";
import { getProfile, removeAvatar, signUp, signUpLimit, updateProfile } from "./service";
import { signOutEverywhere } from "./suspensions";

export const accountRouter = createTRPCRouter({
  /** Creates a player account; the browser then signs in with the same credentials. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const limit = await consumeLimit(ctx.db, signUpLimit, ctx.ip);
    if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
    const user = await signUp(ctx.db, input);
    ctx.log.info({ userId: user.id }, "account created");
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

  // ---- Two-factor sign-in: authenticator app, recovery codes, passkeys; confirming it is you ----

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
