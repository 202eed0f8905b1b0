/**
 * An admin's decisions on withdrawal requests waiting for review: approve (the payout is queued)
 * or reject with a reason (the amount and the fee return to the wallet, and the player is told
 * why). Each request is decided in its own transaction, audited in it; a request someone else
 * decided meanwhile is skipped and said so, never decided twice.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema/platform";
import { withdrawals } from "@/db/schema/withdrawals";
import type { SessionUser } from "@/server/accounts/roles";
import { enqueueJob } from "@/server/jobs/queue";
import { voidHold } from "@/server/ledger";
import { announce } from "@/server/live/announce";
import { notify } from "@/server/notifications/service";
import { formatMoney } from "@/lib/money";
import { payoutAccountById } from "./payout-accounts";
import { bankWords, SEND_PAYOUT_TASK } from "./requests";

export interface DecisionResult {
  decided: string[];
  skipped: { id: string; reason: string }[];
}

type Decision = { kind: "approve"; reason?: string } | { kind: "reject"; reason: string };

export async function decideWithdrawals(db: Db, actor: SessionUser, ids: readonly string[], decision: Decision): Promise<DecisionResult> {
  const result: DecisionResult = { decided: [], skipped: [] };
  for (const id of new Set(ids)) {
    const outcome = await db.transaction(async (tx) => {
      const [row] = await tx.select().from(withdrawals).where(eq(withdrawals.id, id)).for("update");
      if (!row) return "We could not find this withdrawal.";
      if (row.status !== "requested") return `It is already ${row.status}.`;
      if (row.userId === actor.id) return "Nobody may decide their own withdrawal.";
      const now = new Date();
      const account = (await payoutAccountById(tx, row.payoutAccountId))!;
      if (decision.kind === "approve") {
        await tx
          .update(withdrawals)
          .set({ status: "approved", decidedBy: actor.id, decisionReason: decision.reason ?? null, approvedAt: now, updatedAt: now })
          .where(eq(withdrawals.id, id));
        await enqueueJob(tx, SEND_PAYOUT_TASK, { withdrawalId: id }, { jobKey: `payout:${id}`, maxAttempts: 25 });
        await notify(tx, {
          userId: row.userId,
          dedupeKey: `withdrawal:${id}:approved`,
          title: `Your withdrawal of ${formatMoney(row.amount)} was approved`,
          body: `It is being sent to ${bankWords(account)}.`,
          link: "/wallet/withdraw",
          email: {
            subject: "Your withdrawal was approved",
            text: `Your withdrawal of ${formatMoney(row.amount)} to ${bankWords(account)} was approved and is being sent. Banks usually take 1–3 business days.`,
          },
        });
      } else {
        await voidHold(tx, { holdId: row.holdId, idempotencyKey: `withdrawal:${id}:release`, description: "Withdrawal rejected" });
        await tx
          .update(withdrawals)
          .set({ status: "rejected", decidedBy: actor.id, decisionReason: decision.reason, closedAt: now, updatedAt: now })
          .where(eq(withdrawals.id, id));
        await notify(tx, {
          userId: row.userId,
          dedupeKey: `withdrawal:${id}:rejected`,
          title: `Your withdrawal of ${formatMoney(row.amount)} was not approved`,
          body: `${decision.reason} ${formatMoney(row.amount + row.fee)} is back in your wallet.`,
          link: "/wallet/withdraw",
          email: {
            subject: "Your withdrawal was not approved",
            text: `Your withdrawal of ${formatMoney(row.amount)} to ${bankWords(account)} was not approved: ${decision.reason}\n\nThe amount and the fee (${formatMoney(row.amount + row.fee)}) are back in your Driftwood wallet. Reply to this email if you have questions.`,
          },
        });
      }
      const audit = decision.kind === "approve" ? { action: "withdrawal.approved" } : { action: "withdrawal.rejected" };
      await tx.insert(auditLog).values({
        actorId: actor.id,
        ...audit,
        targetUserId: row.userId,
        details: { withdrawalId: id, amount: row.amount, ...(decision.reason ? { reason: decision.reason } : {}) },
      });
      await announce(tx, `user:${row.userId}`, { kind: "wallet.changed" });
      return null;
    });
    if (outcome) result.skipped.push({ id, reason: outcome });
    else result.decided.push(id);
  }
  return result;
}
