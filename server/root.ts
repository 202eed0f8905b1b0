import { accountRouter } from "./accounts/router";
import { adminRouter } from "./admin/router";
import { gamesRouter } from "./games/router";
import { paymentsRouter } from "./payments/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";
import { walletRouter } from "./wallet/router";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  admin: adminRouter,
  games: gamesRouter,
  payments: paymentsRouter,
  wallet: walletRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
