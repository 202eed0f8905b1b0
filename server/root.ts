import { accountRouter } from "./accounts/router";
import { adminRouter } from "./admin/router";
import { gamesRouter } from "./games/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  admin: adminRouter,
  games: gamesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
