/**
 * The payment provider as Driftwood sees it. Two implementations: Stripe (the official SDK) and a
 * simulated gateway, the default when STRIPE_SECRET_KEY is unset. Both speak Stripe's shapes and
 * sign their webhooks Stripe's way, so one webhook handler serves both. Never call a gateway while
 * holding a database transaction.
 */

export type IntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "succeeded"
  | "canceled";

export interface GatewayPaymentIntent {
  id: string;
  amount: number;
  currency: string;
  status: IntentStatus;
  /** Given to the browser to confirm the payment (Stripe Elements, or the simulated card page). */
  clientSecret: string | null;
  metadata: Record<string, string>;
  /** The provider's words for the last failed attempt, e.g. "Your card was declined." */
  lastPaymentError: string | null;
  /** The last four digits of the card that paid, when the provider says (Stripe: an expanded latest_charge). */
  cardLast4?: string | null;
  /** Unix seconds. */
  created: number;
}

export type RefundStatus = "pending" | "requires_action" | "succeeded" | "failed" | "canceled";

export interface GatewayRefund {
  id: string;
  paymentIntentId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  metadata: Record<string, string>;
  created: number;
}

/**
 * A payout's life at the provider, as Stripe names it: created `pending`, then `in_transit` to the
 * bank, and finally `paid` (arrived) or `failed` (the bank returned it, possibly days later);
 * `canceled` only before it left.
 */
export type PayoutStatus = "pending" | "in_transit" | "paid" | "failed" | "canceled";

export interface GatewayPayout {
  id: string;
  amount: number;
  currency: string;
  status: PayoutStatus;
  /** The external (bank) account it goes to. */
  destination: string | null;
  /** The connected account it is paid from (Stripe Connect), or null on the simulated gateway. */
  connectedAccountId: string | null;
  metadata: Record<string, string>;
  /** The provider's words for a failure, e.g. "The bank account has been closed." */
  failureMessage: string | null;
  /** Unix seconds: when the bank is expected to (or did) receive it. */
  arrivalDate: number | null;
  /** Unix seconds. */
  created: number;
}

/** A bank account as the player typed it; never logged, never stored in clear. */
export interface BankAccountDetails {
  holderName: string;
  /** ISO 3166 alpha-2. */
  country: string;
  /** Lower-case ISO 4217. */
  currency: string;
  /** Either an IBAN (no spaces, upper case)… */
  iban?: string;
  /** …or a local account number and routing (sort, ABA) number. */
  accountNumber?: string;
  routingNumber?: string;
}

export interface PayoutReadiness {
  payoutsEnabled: boolean;
  /** What the provider still asks for, in its words (e.g. "individual.verification.document"). */
  due: string[];
  /** A link to the provider's own identity check, when one is due. */
  verificationUrl: string | null;
}

/** Where the provider will send payouts for a player. */
export interface GatewayBankAccount {
  /** Stripe Connect: the player's connected account (created on first use), null on the simulated gateway. */
  connectedAccountId: string | null;
  /** The external account: `ba_…`. */
  externalAccountId: string;
  bankName: string | null;
  last4: string;
}

/** A verified webhook event, in Stripe's envelope. */
export interface GatewayEvent {
  id: string;
  type: string;
  created: number;
  /** Stripe Connect: the connected account the event happened on. */
  account?: string;
  data: { object: Record<string, unknown> };
}

export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookSignatureError";
  }
}

/** The provider refused a request (bad parameters, idempotency key reused with other parameters…). */
export class GatewayRequestError extends Error {
  constructor(
    message: string,
    readonly kind: "idempotency" | "invalid_request" | "card" | "unavailable",
  ) {
    super(message);
    this.name = "GatewayRequestError";
  }
}

export interface PaymentGateway {
  readonly name: "stripe" | "simulated";
  /** Same idempotency key, same parameters: the same intent, however often it is called. */
  createPaymentIntent(input: {
    amount: number;
    currency: string;
    idempotencyKey: string;
    description: string;
    metadata: Record<string, string>;
  }): Promise<GatewayPaymentIntent>;
  retrievePaymentIntent(id: string): Promise<GatewayPaymentIntent | null>;
  cancelPaymentIntent(id: string, idempotencyKey: string): Promise<GatewayPaymentIntent>;
  createRefund(input: {
    paymentIntentId: string;
    amount: number;
    idempotencyKey: string;
    metadata: Record<string, string>;
  }): Promise<GatewayRefund>;
  /** Intents created at or after `createdAfter`, newest first, across all pages. */
  listPaymentIntents(input: { createdAfter: Date }): AsyncIterable<GatewayPaymentIntent>;
  listRefunds(input: { createdAfter: Date }): AsyncIterable<GatewayRefund>;
  /**
   * Registers (or, with the same key, finds again) a bank account for payouts. Stripe: on the
   * player's connected account, which is created first when `connectedAccountId` is null.
   */
  registerBankAccount(input: {
    userId: string;
    email: string;
    connectedAccountId: string | null;
    details: BankAccountDetails;
    idempotencyKey: string;
  }): Promise<GatewayBankAccount>;
  /**
   * Sends money to a registered bank account. Same idempotency key, same parameters: the same
   * payout, however often it is called. Stripe: a transfer to the connected account, then a payout
   * from it, each under its own key derived from this one.
   */
  createPayout(input: {
    amount: number;
    currency: string;
    connectedAccountId: string | null;
    externalAccountId: string;
    idempotencyKey: string;
    metadata: Record<string, string>;
  }): Promise<GatewayPayout>;
  retrievePayout(id: string, connectedAccountId: string | null): Promise<GatewayPayout | null>;
  /**
   * Whether the provider lets this player's money out yet, and if not, where they prove who they
   * are (Stripe: its hosted onboarding for the connected account, a link that expires in minutes;
   * the simulated provider asks for nothing).
   */
  payoutReadiness(input: { connectedAccountId: string | null; returnUrl: string; refreshUrl: string }): Promise<PayoutReadiness>;
  /** Payouts created at or after `createdAfter` from these connected accounts (all, on the simulated gateway), newest first. */
  listPayouts(input: { createdAfter: Date; connectedAccountIds: readonly string[] }): AsyncIterable<GatewayPayout>;
  /**
   * Verifies the Stripe-Signature header over the raw body (tolerance five minutes) and parses the
   * event; throws WebhookSignatureError when it does not verify.
   */
  constructEvent(rawBody: string, signatureHeader: string | null): GatewayEvent;
}

/** Stripe refuses webhooks older than this; so do we. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
