import { createTRPCRouter, protectedProcedure } from "@/server/trpc";
import { getFirebaseApp, mintCustomToken } from "./firebase";

export const liveRouter = createTRPCRouter({
  /**
   * A Firebase custom token for the signed-in user, so the browser can read the private live
   * documents (rooms, their own user topic) that firestore.rules open to them. A mutation: it mints
   * a credential and must never be cached. `{ enabled: false }` when Firestore is not configured.
   */
  firebaseToken: protectedProcedure.mutation(async ({ ctx }) => {
    const app = getFirebaseApp();
    if (!app) return { enabled: false as const };
    const token = await mintCustomToken(await app, ctx.user);
    return { enabled: true as const, token, uid: ctx.user.id };
  }),
});
