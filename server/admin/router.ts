import { listUsersInput, setRoleInput } from "@/server/accounts/schemas";
import { listUsers, setRole } from "@/server/accounts/service";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { reconciliationMismatchesOf, recentReconciliationRuns } from "@/server/payments/reconciliation";
import { userDirectory } from "@/server/accounts/directory";
import { NotFound } from "@/server/errors";
import { listFailedJobs, retryJob } from "@/server/jobs/failed";
import { enqueueJob } from "@/server/jobs/queue";
import { RECONCILE_TASK } from "@/server/payments/jobs";
import { walletBalances } from "@/server/ledger";
import { adjustWalletInput, historyInput } from "@/server/wallet/schemas";
import { adjustWallet, walletAuditTrail, walletHistory } from "@/server/wallet/service";
import { adminProcedure, createTRPCRouter } from "@/server/trpc";
import { assertRecentAuth } from "@/server/accounts/sessions";
import { withdrawalQueue, withdrawalQueueCounts } from "@/server/withdrawals/admin-queue";
import { decideWithdrawalsInput, withdrawalQueueInput } from "@/server/withdrawals/admin-schemas";
import { decideWithdrawals } from "@/server/withdrawals/decisions";
import { auditLogPage } from "./audit";
import { auditLogInput, liftSuspensionInput, suspendUserInput } from "./schemas";
import { liftAccountSuspension, suspendAccount } from "./suspensions";

const userIdInput = z.object({ userId: z.uuid({ message: "Unknown user." }) });

export const adminRouter = createTRPCRouter({
  users: adminProcedure.input(listUsersInput).query(({ ctx, input }) => listUsers(ctx.db, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(async ({ ctx, input }) => {
    const result = await setRole(ctx.db, ctx.user, input);
    if (result.changed) ctx.log.info({ targetUserId: input.userId, role: input.role }, "role changed");
    return result;
  }),

  wallet: adminProcedure.input(userIdInput).query(async ({ ctx, input }) => {
    const [user] = await ctx.db
      .select({ id: userDirectory.id, name: userDirectory.name, email: userDirectory.email, role: userDirectory.role })
      .from(userDirectory)
      .where(eq(userDirectory.id, input.userId));
    if (!user) throw new NotFound("That user does not exist.");
    const [balances, adjustments] = await Promise.all([walletBalances(ctx.db, user.id), walletAuditTrail(ctx.db, user.id)]);
    return { user, balances, adjustments };
  }),
  walletHistory: adminProcedure
    .input(historyInput.extend(userIdInput.shape))
    .query(({ ctx, input }) => walletHistory(ctx.db, input.userId, input)),
  adjustWallet: adminProcedure.input(adjustWalletInput).mutation(async ({ ctx, input }) => {
    const result = await adjustWallet(ctx.db, ctx.user, input);
    ctx.log.info({ targetUserId: input.userId, amount: input.amount }, "wallet adjusted");
    return result;
  }),

  reconciliationRuns: adminProcedure.query(({ ctx }) => recentReconciliationRuns(ctx.db)),
  reconciliationMismatches: adminProcedure
    .input(z.object({ runId: z.uuid({ message: "Unknown run." }) }))
    .query(({ ctx, input }) => reconciliationMismatchesOf(ctx.db, input.runId)),
  /** Queues a reconciliation now; the job key keeps a double click from queueing two. */
  runReconciliation: adminProcedure.mutation(async ({ ctx }) => {
    await enqueueJob(ctx.db, RECONCILE_TASK, { trigger: "manual", actorId: ctx.user.id }, { jobKey: "reconcile-manual", maxAttempts: 3 });
    return { queued: true };
  }),

  /** Jobs whose last attempt failed, with their error (at most 100). */
  failedJobs: adminProcedure.query(({ ctx }) => listFailedJobs(ctx.db)),
  /** Runs a failed job again now, attempts from zero. */
  retryJob: adminProcedure
    .input(
      z.object({
        jobId: z
          .string()
          .max(18)
          .regex(/^[1-9][0-9]{0,17}$/, { message: "Unknown job." }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await retryJob(ctx.db, input.jobId);
      ctx.log.info({ jobId: input.jobId }, "failed job retried");
      return result;
    }),

  /** Suspends a player or organizer until a time or with no end: their sessions end and they are told. */
  suspendUser: adminProcedure.input(suspendUserInput).mutation(async ({ ctx, input }) => {
    const result = await suspendAccount(ctx.db, ctx.user, input);
    ctx.log.info({ targetUserId: input.userId, until: input.until, replaced: result.replaced }, "user suspended");
    return result;
  }),
  liftSuspension: adminProcedure.input(liftSuspensionInput).mutation(async ({ ctx, input }) => {
    const result = await liftAccountSuspension(ctx.db, ctx.user, input);
    ctx.log.info({ targetUserId: input.userId }, "suspension lifted");
    return result;
  }),
  /** Who did what to whom, newest first, filtered; a page at a time. */
  auditLog: adminProcedure.input(auditLogInput).query(({ ctx, input }) => auditLogPage(ctx.db, input)),

  /** The withdrawal review queue: waiting requests oldest first (other statuses newest first), filtered, a page at a time. */
  withdrawals: adminProcedure.input(withdrawalQueueInput).query(({ ctx, input }) => withdrawalQueue(ctx.db, input)),
  /** Requests waiting for review, and velocity alerts of the last 24 hours (the nav's badge). */
  withdrawalCounts: adminProcedure.query(({ ctx }) => withdrawalQueueCounts(ctx.db)),
  /** Approves (payouts queued) or rejects (money back, the player told why) up to 100 waiting requests; money leaves, so a recent sign-in. */
  decideWithdrawals: adminProcedure.input(decideWithdrawalsInput).mutation(async ({ ctx, input }) => {
    assertRecentAuth(ctx.user);
    const result = await decideWithdrawals(
      ctx.db,
      ctx.user,
      input.ids,
      input.decision === "approve" ? { kind: "approve", reason: input.reason } : { kind: "reject", reason: input.reason ?? "" },
    );
    ctx.log.info({ decision: input.decision, decided: result.decided.length, skipped: result.skipped.length }, "withdrawals decided");
    return result;
  }),
});
