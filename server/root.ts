// What the procedures reach (payment purposes, live access) is registered by the composition root,
// also where the router runs without the web start-up (tests, scripts).
import "./composition";
import { accountRouter } from "./accounts/router";
import { adminRouter } from "./admin/router";
import { bracketsRouter, matchesRouter } from "./brackets/router";
import { chatRouter } from "./chat/router";
import { disputesRouter } from "./disputes/router";
import { eventsRouter } from "./events/router";
import { gamesRouter } from "./games/router";
import { liveRouter } from "./live/router";
import { notificationsRouter } from "./notifications/router";
import { paymentsRouter } from "./payments/router";
import { registrationRouter } from "./registration/router";
import { teamsRouter } from "./teams/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";
import { walletRouter } from "./wallet/router";
import { withdrawalsRouter } from "./withdrawals/router";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  admin: adminRouter,
  brackets: bracketsRouter,
  chat: chatRouter,
  disputes: disputesRouter,
  events: eventsRouter,
  games: gamesRouter,
  live: liveRouter,
  matches: matchesRouter,
  notifications: notificationsRouter,
  payments: paymentsRouter,
  registration: registrationRouter,
  teams: teamsRouter,
  wallet: walletRouter,
  withdrawals: withdrawalsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
