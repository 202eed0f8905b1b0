import type { Db } from "@/db/client";
import type { MismatchKind } from "@/db/schema/payments";
import type { PaymentGateway } from "./gateway";
import { payoutBook } from "./payout-events";

export interface PayoutMismatch {
  kind: MismatchKind;
  gatewayPayoutId: string | null;
  withdrawalId: string | null;
  /** What the processor says was paid out. */
  expected: number | null;
  /** What our books say. */
  actual: number | null;
  repaired: boolean;
}

const SENT = new Set(["pending", "in_transit", "paid"]);

/**
 * Payouts, both ways. The gateway's payouts since `since` are applied through the same code the
 * webhook uses (it moves each withdrawal forward once, however often it runs): one ahead of our
 * books ("paid out, not recorded": a crash between the payout and recording it, a lost webhook) is
 * repaired. Then every payout our books say went out is looked for at the gateway: one it does not
 * know, or knows as failed while we say sent, is listed for a person ("recorded, not paid out").
 */
export async function reconcilePayouts(
  db: Db,
  gateway: PaymentGateway,
  since: Date,
): Promise<{ checked: number; mismatches: PayoutMismatch[] }> {
  const book = payoutBook();
  const recorded = await book.recordedSince(db, gateway.name, since);
  const byWithdrawal = new Map(recorded.map((row) => [row.withdrawalId, row]));
  const connectedAccountIds = [...new Set(recorded.map((row) => row.connectedAccountId).filter((id): id is string => id !== null))];
  const mismatches: PayoutMismatch[] = [];
  const seen = new Map<string, { status: string; amount: number }>();
  let checked = 0;

  for await (const payout of gateway.listPayouts({ createdAfter: since, connectedAccountIds })) {
    checked++;
    const withdrawalId = payout.metadata.withdrawalId ?? null;
    if (withdrawalId) seen.set(withdrawalId, { status: payout.status, amount: payout.amount });
    const ours = withdrawalId ? byWithdrawal.get(withdrawalId) : undefined;
    const behind =
      ours !== undefined &&
      ((ours.status === "approved" && (SENT.has(payout.status) || payout.status === "failed")) ||
        (ours.status === "sent" && (payout.status === "paid" || payout.status === "failed")) ||
        (ours.status === "paid" && payout.status === "failed"));
    if (!behind) continue;
    const outcome = await db.transaction((tx) => book.apply(tx, payout));
    mismatches.push({
      kind: "payout_not_recorded",
      gatewayPayoutId: payout.id,
      withdrawalId,
      expected: payout.status === "failed" ? 0 : payout.amount,
      actual: ours.status === "approved" ? 0 : ours.amount,
      repaired: outcome === "changed",
    });
  }

  for (const ours of recorded) {
    if (ours.status !== "sent" && ours.status !== "paid") continue;
    let theirs = seen.get(ours.withdrawalId);
    if (!theirs && ours.gatewayPayoutId) {
      const fetched = await gateway.retrievePayout(ours.gatewayPayoutId, ours.connectedAccountId);
      theirs = fetched ? { status: fetched.status, amount: fetched.amount } : undefined;
    }
    if (theirs && SENT.has(theirs.status) && theirs.amount === ours.amount) continue;
    mismatches.push({
      kind: "payout_recorded_not_paid",
      gatewayPayoutId: ours.gatewayPayoutId,
      withdrawalId: ours.withdrawalId,
      expected: theirs && SENT.has(theirs.status) ? theirs.amount : 0,
      actual: ours.amount,
      repaired: false,
    });
  }
  return { checked, mismatches };
}
