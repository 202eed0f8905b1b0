import { and, eq, gte, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { payoutAccounts, withdrawals } from "@/db/schema/withdrawals";
import type { PayoutBook, RecordedPayout } from "@/server/payments/payout-events";
import { applyPayout } from "./payouts";

/** Withdrawals' side of payouts, for payments' webhook handling and reconciliation (registered in server/composition.ts). */
export const withdrawalsPayoutBook: PayoutBook = {
  apply: (tx, payout) => applyPayout(tx, payout),
  async recordedSince(db: Db, gateway: string, since: Date): Promise<RecordedPayout[]> {
    const rows = await db
      .select({
        withdrawalId: withdrawals.id,
        gatewayPayoutId: withdrawals.gatewayPayoutId,
        connectedAccountId: payoutAccounts.gatewayConnectedAccountId,
        status: withdrawals.status,
        amount: withdrawals.amount,
      })
      .from(withdrawals)
      .innerJoin(payoutAccounts, eq(payoutAccounts.id, withdrawals.payoutAccountId))
      .where(
        and(
          eq(payoutAccounts.gateway, gateway),
          inArray(withdrawals.status, ["approved", "sent", "paid", "failed"]),
          gte(withdrawals.approvedAt, since),
        ),
      );
    return rows as RecordedPayout[];
  },
};
