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

/** A verified webhook event, in Stripe's envelope. */
export interface GatewayEvent {
  id: string;
  type: string;
  created: number;
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
   * Verifies the Stripe-Signature header over the raw body (tolerance five minutes) and parses the
   * event; throws WebhookSignatureError when it does not verify.
   */
  constructEvent(rawBody: string, signatureHeader: string | null): GatewayEvent;
}

/** Stripe refuses webhooks older than this; so do we. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
