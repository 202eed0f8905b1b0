import type { DbOrTx } from "@/db/client";
import type { PaymentPurpose, payments, paymentRefunds } from "@/db/schema/payments";
import { globalRegistry } from "@/server/registry";

type Payment = typeof payments.$inferSelect;
type Refund = typeof paymentRefunds.$inferSelect;

/**
 * What a card payment is for, told to the one who pays it on the card step (the caller checks
 * that it is theirs): an entry fee names its event, splits the fee into what the wallet already
 * holds and what the card pays, and says until when the seat is kept.
 */
export interface PayerContext {
  /** What is being paid for, e.g. the event's name, and where it is. */
  title: string;
  path: string;
  /** The whole price, the part already held from the wallet and the part on the card (cents). */
  total: number;
  walletHeld: number;
  card: number;
  /** When the seat (or whatever the payment secures) is let go if the card has not paid; null when nothing waits. */
  heldUntil: Date | null;
}

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
  /** Where the card step sends the payer back to, when it is not their wallet (an entry fee: the event). */
  returnTo?(db: DbOrTx, payment: Payment): Promise<{ path: string; label: string } | null>;
  /** What the card step shows its payer about what they pay for (a top-up needs nothing more than its amount). */
  describeForPayer?(db: DbOrTx, payment: Payment): Promise<PayerContext | null>;
}

/**
 * The hooks of each purpose, contributed by the domain that sells it (the wallet its top-ups,
 * registration its entry fees) through server/composition.ts: payments never imports them.
 */
const purposes = globalRegistry<PaymentPurpose, PurposeHooks>("driftwoodPaymentPurposes", "payment purpose");

/** Registers what the domain's purposes do with the money; called by the composition root only. */
export function registerPaymentPurposes(hooks: Partial<Record<PaymentPurpose, PurposeHooks>>): void {
  for (const [purpose, purposeHooks] of Object.entries(hooks) as [PaymentPurpose, PurposeHooks][]) purposes.register(purpose, purposeHooks);
}

/** The hooks of `purpose`; an Internal error when nothing registered them (the composition was not loaded). */
export function purposeHooks(purpose: PaymentPurpose): PurposeHooks {
  return purposes.get(purpose);
}

/** The purposes registered in this process. */
export function registeredPaymentPurposes(): PaymentPurpose[] {
  return purposes.keys();
}

/** The payer's context of a payment (see PayerContext); null when its purpose has nothing to add. The caller checks whose payment it is. */
export async function payerContext(db: DbOrTx, payment: Payment): Promise<PayerContext | null> {
  return (await purposeHooks(payment.purpose).describeForPayer?.(db, payment)) ?? null;
}
