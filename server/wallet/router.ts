import { z } from "zod";
import { assertEmailVerified } from "@/server/accounts/email-address";
import { RateLimited } from "@/server/errors";
import { paymentGateway } from "@/server/payments/provider";
import { getOwnPayment } from "@/server/payments/service";
import { consumeLimit, retryMessage, type LimitRule } from "@/server/rate-limit";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc";
import { historyInput, paymentIdInput, topUpInput } from "./schemas";
import { balanceSeries, cancelTopUp, startTopUp, walletHistory, walletOverview } from "./service";

const topUpLimit: LimitRule = { name: "topup:user", points: 30, durationSeconds: 60 };

export const walletRouter = createTRPCRouter({
  overview: protectedProcedure.query(({ ctx }) => walletOverview(ctx.db, ctx.user.id)),
  history: protectedProcedure.input(historyInput).query(({ ctx, input }) => walletHistory(ctx.db, ctx.user.id, input)),
  balanceSeries: protectedProcedure
    .input(z.object({ days: z.number().int().min(7).max(365).default(90) }).default({ days: 90 }))
    .query(({ ctx, input }) => balanceSeries(ctx.db, ctx.user.id, input.days)),
  /** Starts (or, with the same key, finds again) a card top-up; the card step comes next. */
  startTopUp: protectedProcedure.input(topUpInput).mutation(async ({ ctx, input }) => {
    assertEmailVerified(ctx.user);
    const limit = await consumeLimit(ctx.db, topUpLimit, ctx.user.id);
    if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
    return startTopUp(ctx.db, await paymentGateway(ctx.db), { userId: ctx.user.id, ...input });
  }),
  /** Cancels an unfinished top-up of the caller's; one the card had already paid is credited and said so. */
  cancelTopUp: protectedProcedure
    .input(paymentIdInput)
    .mutation(async ({ ctx, input }) => cancelTopUp(ctx.db, await paymentGateway(ctx.db), ctx.user.id, input.paymentId)),
  payment: protectedProcedure.input(paymentIdInput).query(({ ctx, input }) => getOwnPayment(ctx.db, ctx.user.id, input.paymentId)),
});
