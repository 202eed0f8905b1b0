import type { DbOrTx } from "@/db/client";
import type { PaymentPurpose, payments, paymentRefunds } from "@/db/schema";
import { creditFromCard, debit, platformAccount } from "@/server/ledger";
import { announce } from "@/server/live/announce";
import { registrationPaymentHooks } from "@/server/registration/payment-hooks";
import { formatMoney } from "@/server/wallet/money";

type Payment = typeof payments.$inferSelect;
type Refund = typeof paymentRefunds.$inferSelect;

/**
 * What each kind of card payment does with the money. Every hook is idempotent (its ledger key is
 * derived from the payment or refund id), because webhooks and jobs may run it more than once.
 */
export interface PurposeHooks {
  /** The payment succeeded: deliver what it paid for; returns the ledger transfer. */
  onSucceeded(tx: DbOrTx, payment: Payment): Promise<string>;
  /** A refund was asked for: take the money back now so it cannot be spent meanwhile. */
  onRefundRequested(tx: DbOrTx, payment: Payment, refund: Refund): Promise<string>;
  /** The provider could not refund: give the money back. */
  onRefundFailed(tx: DbOrTx, payment: Payment, refund: Refund): Promise<string>;
  /** The card was declined or the payment cancelled (it may still succeed later with another card). */
  onFailed?(tx: DbOrTx, payment: Payment): Promise<void>;
}

const walletTopup: PurposeHooks = {
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

export const purposeHooks: Record<PaymentPurpose, PurposeHooks> = {
  wallet_topup: walletTopup,
  registration: registrationPaymentHooks,
};
