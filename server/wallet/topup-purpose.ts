import { creditFromCard, debit, platformAccount } from "@/server/ledger";
import { announce } from "@/server/live/announce";
import type { PurposeHooks } from "@/server/payments/purposes";
import { formatMoney } from "@/lib/money";

/**
 * What a card top-up (payment purpose `wallet_topup`) does with the money: the wallet's part of the
 * payments machinery, registered in server/composition.ts. Top-ups use payments, not the reverse.
 */
export const walletTopupPurpose: PurposeHooks = {
  async onSucceeded(tx, payment) {
    const posted = await creditFromCard(tx, {
      userId: payment.userId,
      amount: payment.amount,
      category: "topup",
      description: "Card top-up",
      idempotencyKey: `payment:${payment.id}:credit`,
      metadata: { paymentId: payment.id },
    });
    await announce(tx, `user:${payment.userId}`, { kind: "wallet.changed" });
    return posted.transferId;
  },
  async onRefundRequested(tx, payment, refund) {
    const posted = await debit(tx, {
      userId: payment.userId,
      amount: refund.amount,
      toAccountId: await platformAccount(tx, "card_clearing"),
      category: "refund",
      description: `Refund of a ${formatMoney(payment.amount)} top-up to your card`,
      idempotencyKey: `refund:${refund.id}:debit`,
      metadata: { paymentId: payment.id, refundId: refund.id },
    });
    return posted.transferId;
  },
  async onRefundFailed(tx, payment, refund) {
    const posted = await creditFromCard(tx, {
      userId: payment.userId,
      amount: refund.amount,
      category: "refund",
      description: "Card refund failed: money returned to your wallet",
      idempotencyKey: `refund:${refund.id}:reversal`,
      metadata: { paymentId: payment.id, refundId: refund.id },
    });
    return posted.transferId;
  },
};
