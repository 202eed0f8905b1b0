/**
 * Paying a withdrawal out, exactly once, in the three committed phases the checkout uses: the
 * approved request is the recorded intent; the gateway is asked (outside any transaction) under a
 * key derived from the withdrawal's id, so a retry, a crash and a second worker all reach the same
 * payout; its answer is recorded by applyPayout, which webhooks and reconciliation call too.
 *
 * The money: from request to send, amount + fee are held in the wallet. Sent: the hold is posted
 * to withdrawals payable and the fee moves on to fee revenue. Paid (arrived): the amount moves
 * from withdrawals payable to card clearing (what the gateway paid out for us). Failed, at once or
 * later (a bank may return a payout days after it was paid): the amount and the fee go back to the
 * wallet from wherever they are. Statuses only move forward, so events twice or out of order end
 * in the same balances.
 */
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { withdrawals, type WithdrawalStatus } from "@/db/schema/withdrawals";
import { logger } from "@/server/logger";
import { credit, platformAccount, postHold, transfer, voidHold } from "@/server/ledger";
import { announce } from "@/server/live/announce";
import { metrics } from "@/server/metrics";
import { notify } from "@/server/notifications/service";
import { GatewayRequestError, type GatewayPayout, type PaymentGateway } from "@/server/payments/gateway";
import { CURRENCY, formatMoney } from "@/lib/money";
import { payoutAccountById } from "./payout-accounts";
import { bankWords } from "./requests";

type Withdrawal = typeof withdrawals.$inferSelect;
const log = logger.child({ component: "withdrawals" });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The gateway's idempotency key for a withdrawal's payout. */
export const payoutKey = (withdrawalId: string) => `withdrawal:${withdrawalId}`;

export type PayoutOutcome = "sent" | "paid" | "failed";

/**
 * The payout job: asks the gateway for an approved withdrawal's payout and records the answer.
 * Anything but an approved withdrawal is left alone (already sent, or ended). A gateway that does
 * not answer throws, and the job retries with the same key; a refusal fails the withdrawal and
 * gives the money back.
 */
export async function sendPayout(db: Db, gateway: PaymentGateway, withdrawalId: string): Promise<WithdrawalStatus | "unknown"> {
  const [row] = await db.select().from(withdrawals).where(eq(withdrawals.id, withdrawalId));
  if (!row) return "unknown";
  if (row.status !== "approved") return row.status;
  const account = (await payoutAccountById(db, row.payoutAccountId))!;
  if (account.gateway !== gateway.name || !account.gatewayExternalAccountId) {
    return recordRefusal(db, row, "This bank account was registered with another payment processor. Please add it again.");
  }
  let payout: GatewayPayout;
  try {
    payout = await gateway.createPayout({
      amount: row.amount,
      currency: CURRENCY.toLowerCase(),
      connectedAccountId: account.gatewayConnectedAccountId,
      externalAccountId: account.gatewayExternalAccountId,
      idempotencyKey: payoutKey(row.id),
      metadata: { withdrawalId: row.id, userId: row.userId },
    });
  } catch (error) {
    metrics.paymentGatewayErrors.inc({ gateway: gateway.name, operation: "create_payout" });
    if (error instanceof GatewayRequestError && error.kind !== "unavailable" && error.kind !== "idempotency") {
      return recordRefusal(db, row, error.message);
    }
    log.warn({ withdrawalId: row.id, err: error instanceof Error ? error.message : String(error) }, "payout not sent yet; the job retries");
    throw error;
  }
  const outcomes: PayoutOutcome[] = [];
  await db.transaction((tx) => applyPayout(tx, payout, outcomes));
  countOutcomes(outcomes);
  const [after] = await db.select({ status: withdrawals.status }).from(withdrawals).where(eq(withdrawals.id, row.id));
  return after!.status;
}

async function recordRefusal(db: Db, row: Withdrawal, message: string): Promise<WithdrawalStatus> {
  const outcomes: PayoutOutcome[] = [];
  await db.transaction((tx) =>
    applyPayout(
      tx,
      {
        id: `refused:${row.id}`,
        amount: row.amount,
        currency: CURRENCY.toLowerCase(),
        status: "failed",
        destination: null,
        connectedAccountId: null,
        metadata: { withdrawalId: row.id },
        failureMessage: message,
        arrivalDate: null,
        created: 0,
      },
      outcomes,
    ),
  );
  countOutcomes(outcomes);
  return "failed";
}

export function countOutcomes(outcomes: readonly PayoutOutcome[]): void {
  for (const outcome of outcomes) metrics.withdrawalPayouts.inc({ outcome });
}

const RANK: Record<WithdrawalStatus, number> = { requested: 0, approved: 1, sent: 2, paid: 3, failed: 4, rejected: 4, canceled: 4 };

async function lockWithdrawalFor(tx: DbOrTx, payout: GatewayPayout): Promise<Withdrawal | null> {
  const byMetadata = payout.metadata.withdrawalId;
  const where = byMetadata && UUID.test(byMetadata) ? eq(withdrawals.id, byMetadata) : eq(withdrawals.gatewayPayoutId, payout.id);
  const [row] = await tx.select().from(withdrawals).where(where).for("update");
  return row ?? null;
}

/**
 * Brings a withdrawal in line with the gateway's payout (job, webhook or reconciliation), once.
 * Returns what changed; outcomes it records are added to `outcomes`, for counting after commit.
 */
export async function applyPayout(
  tx: DbOrTx,
  payout: GatewayPayout,
  outcomes?: PayoutOutcome[],
): Promise<"changed" | "unchanged" | "unknown"> {
  const row = await lockWithdrawalFor(tx, payout);
  if (!row) {
    log.warn({ gatewayPayoutId: payout.id }, "provider payout does not match any withdrawal");
    return "unknown";
  }
  if (row.gatewayPayoutId && !payout.id.startsWith("refused:") && row.gatewayPayoutId !== payout.id) {
    log.error({ withdrawalId: row.id, gatewayPayoutId: payout.id }, "payout does not belong to this withdrawal");
    return "unknown";
  }
  const target: WithdrawalStatus | null =
    payout.status === "paid"
      ? "paid"
      : payout.status === "failed" || payout.status === "canceled"
        ? "failed"
        : payout.status === "pending" || payout.status === "in_transit"
          ? "sent"
          : null;
  if (!target) return "unchanged";
  // Nothing moves a request an admin has not approved, or one that ended (failed, rejected, canceled).
  if (row.status === "requested" || RANK[row.status] >= RANK[target]) {
    if (!row.gatewayPayoutId && !payout.id.startsWith("refused:") && row.status !== "requested") {
      await tx.update(withdrawals).set({ gatewayPayoutId: payout.id, updatedAt: new Date() }).where(eq(withdrawals.id, row.id));
    }
    return "unchanged";
  }
  const now = new Date();
  const account = (await payoutAccountById(tx, row.payoutAccountId))!;
  const gatewayPayoutId = payout.id.startsWith("refused:") ? row.gatewayPayoutId : payout.id;
  let status = row.status;

  if (target === "failed") {
    await giveBack(tx, row, status);
    await tx
      .update(withdrawals)
      .set({
        status: "failed",
        gatewayPayoutId,
        failedAt: now,
        failureMessage: payout.failureMessage ?? "The bank did not accept the payout.",
        updatedAt: now,
      })
      .where(eq(withdrawals.id, row.id));
    outcomes?.push("failed");
    await notify(tx, {
      userId: row.userId,
      dedupeKey: `withdrawal:${row.id}:failed`,
      title: `Your withdrawal of ${formatMoney(row.amount)} could not be paid`,
      body: `${payout.failureMessage ?? "The bank did not accept it."} ${formatMoney(row.amount + row.fee)} is back in your wallet.`,
      link: "/wallet/withdraw",
      email: {
        subject: "Your withdrawal was returned",
        text: `Your withdrawal of ${formatMoney(row.amount)} to ${bankWords(account)} could not be paid: ${payout.failureMessage ?? "the bank did not accept it"}.\n\nThe amount and the fee (${formatMoney(row.amount + row.fee)}) are back in your Driftwood wallet. Check your bank details and try again.`,
      },
    });
    await announce(tx, `user:${row.userId}`, { kind: "wallet.changed" });
    return "changed";
  }

  if (status === "approved") {
    await postHold(tx, {
      holdId: row.holdId,
      toAccountId: await platformAccount(tx, "withdrawals_payable"),
      idempotencyKey: `withdrawal:${row.id}:sent`,
      description: `Withdrawal to ${bankWords(account)}`,
      metadata: { withdrawalId: row.id },
    });
    if (row.fee > 0) {
      await transfer(tx, {
        fromAccountId: await platformAccount(tx, "withdrawals_payable"),
        toAccountId: await platformAccount(tx, "fee_revenue"),
        amount: row.fee,
        category: "withdrawal",
        description: "Withdrawal fee",
        idempotencyKey: `withdrawal:${row.id}:fee`,
        metadata: { withdrawalId: row.id },
      });
    }
    status = "sent";
    outcomes?.push("sent");
    await notify(tx, {
      userId: row.userId,
      dedupeKey: `withdrawal:${row.id}:sent`,
      title: `${formatMoney(row.amount)} is on its way to your bank`,
      body: payout.arrivalDate
        ? `Expected at ${bankWords(account)} by ${new Date(payout.arrivalDate * 1000).toUTCString().slice(0, 16)}.`
        : `Sent to ${bankWords(account)}; banks usually take 1–3 business days.`,
      link: "/wallet/withdraw",
      email: {
        subject: "Your withdrawal is on its way",
        text: `We sent ${formatMoney(row.amount)} to ${bankWords(account)}. Banks usually take 1–3 business days.`,
      },
    });
  }
  if (target === "paid") {
    await transfer(tx, {
      fromAccountId: await platformAccount(tx, "withdrawals_payable"),
      toAccountId: await platformAccount(tx, "card_clearing"),
      amount: row.amount,
      category: "withdrawal",
      description: "Withdrawal paid out by the gateway",
      idempotencyKey: `withdrawal:${row.id}:paid`,
      metadata: { withdrawalId: row.id },
    });
    status = "paid";
    outcomes?.push("paid");
    await notify(tx, {
      userId: row.userId,
      dedupeKey: `withdrawal:${row.id}:paid`,
      title: `${formatMoney(row.amount)} arrived at your bank`,
      body: `Your withdrawal to ${bankWords(account)} has been paid.`,
      link: "/wallet/withdraw",
      email: {
        subject: "Your withdrawal has arrived",
        text: `${formatMoney(row.amount)} has been paid to ${bankWords(account)}. If it is not in your account within two business days, contact your bank with the date of this email, then us.`,
      },
    });
  }
  await tx
    .update(withdrawals)
    .set({
      status,
      gatewayPayoutId,
      sentAt: row.sentAt ?? now,
      paidAt: status === "paid" ? now : null,
      updatedAt: now,
    })
    .where(eq(withdrawals.id, row.id));
  await announce(tx, `user:${row.userId}`, { kind: "wallet.changed" });
  return "changed";
}

/** A failed payout's money back to the wallet, from wherever it is now. */
async function giveBack(tx: DbOrTx, row: Withdrawal, status: WithdrawalStatus): Promise<void> {
  if (status === "approved") {
    await voidHold(tx, { holdId: row.holdId, idempotencyKey: `withdrawal:${row.id}:release`, description: "Withdrawal returned" });
    return;
  }
  const from = await platformAccount(tx, status === "paid" ? "card_clearing" : "withdrawals_payable");
  await credit(tx, {
    userId: row.userId,
    fromAccountId: from,
    amount: row.amount,
    category: "withdrawal",
    description: "Withdrawal returned by the bank",
    idempotencyKey: `withdrawal:${row.id}:returned`,
    metadata: { withdrawalId: row.id },
  });
  if (row.fee > 0) {
    await credit(tx, {
      userId: row.userId,
      fromAccountId: await platformAccount(tx, "fee_revenue"),
      amount: row.fee,
      category: "withdrawal",
      description: "Withdrawal fee returned",
      idempotencyKey: `withdrawal:${row.id}:fee-returned`,
      metadata: { withdrawalId: row.id },
    });
  }
}
