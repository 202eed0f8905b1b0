import { createTRPCRouter, organizerProcedure, protectedProcedure } from "@/server/trpc";
import { fileStore } from "@/server/storage/provider";
import { disputeQueue, getDispute } from "./read";
import { disputeIdInput, queueInput, raiseDisputeInput, resolveDisputeInput, respondInput } from "./schemas";
import { raiseDispute, resolveDispute, respondToDispute, withdrawDispute } from "./service";

/** Players raise, answer and withdraw; the event's organizer (or an admin) sees the queue and resolves. */
export const disputesRouter = createTRPCRouter({
  raise: protectedProcedure.input(raiseDisputeInput).mutation(({ ctx, input }) => raiseDispute(ctx.db, fileStore(), ctx.user, input)),
  respond: protectedProcedure.input(respondInput).mutation(({ ctx, input }) => respondToDispute(ctx.db, fileStore(), ctx.user, input)),
  withdraw: protectedProcedure.input(disputeIdInput).mutation(({ ctx, input }) => withdrawDispute(ctx.db, ctx.user, input)),
  get: protectedProcedure.input(disputeIdInput).query(({ ctx, input }) => getDispute(ctx.db, ctx.user, input.disputeId)),
  queue: organizerProcedure.input(queueInput).query(({ ctx, input }) => disputeQueue(ctx.db, ctx.user, input)),
  resolve: organizerProcedure.input(resolveDisputeInput).mutation(({ ctx, input }) => resolveDispute(ctx.db, ctx.user, input)),
});
