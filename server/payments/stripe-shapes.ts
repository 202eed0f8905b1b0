import type { GatewayPaymentIntent, GatewayPayout, GatewayRefund, IntentStatus, PayoutStatus, RefundStatus } from "./gateway";

/** Stripe's wire objects (snake_case), as webhooks and the simulated gateway carry them. */
type WireObject = Record<string, unknown>;

const text = (value: unknown) => (typeof value === "string" ? value : null);
const metadataOf = (value: unknown) =>
  Object.fromEntries(Object.entries((value as Record<string, unknown>) ?? {}).map(([k, v]) => [k, String(v)]));

export function intentFromWire(object: WireObject): GatewayPaymentIntent {
  const error = object.last_payment_error as { message?: string } | null | undefined;
  return {
    id: String(object.id),
    amount: Number(object.amount),
    currency: String(object.currency ?? "usd"),
    status: String(object.status) as IntentStatus,
    clientSecret: text(object.client_secret),
    metadata: metadataOf(object.metadata),
    lastPaymentError: error?.message ?? null,
    cardLast4: cardLast4Of(object.latest_charge),
    created: Number(object.created ?? 0),
  };
}

/** Stripe sends latest_charge as an id unless it was expanded: then its card's last four digits. */
export function cardLast4Of(charge: unknown): string | null {
  if (!charge || typeof charge !== "object") return null;
  const card = (charge as { payment_method_details?: { card?: { last4?: unknown } } }).payment_method_details?.card;
  return typeof card?.last4 === "string" && /^\d{4}$/.test(card.last4) ? card.last4 : null;
}

export function intentToWire(intent: GatewayPaymentIntent): WireObject {
  return {
    id: intent.id,
    object: "payment_intent",
    amount: intent.amount,
    currency: intent.currency,
    status: intent.status,
    client_secret: intent.clientSecret,
    metadata: intent.metadata,
    last_payment_error: intent.lastPaymentError ? { message: intent.lastPaymentError } : null,
    latest_charge: intent.cardLast4
      ? { object: "charge", payment_method_details: { type: "card", card: { last4: intent.cardLast4 } } }
      : null,
    created: intent.created,
    livemode: false,
  };
}

export function refundFromWire(object: WireObject): GatewayRefund {
  const intent = object.payment_intent;
  return {
    id: String(object.id),
    paymentIntentId: typeof intent === "string" ? intent : String((intent as { id?: string } | null)?.id ?? ""),
    amount: Number(object.amount),
    currency: String(object.currency ?? "usd"),
    status: String(object.status) as RefundStatus,
    metadata: metadataOf(object.metadata),
    created: Number(object.created ?? 0),
  };
}

export function refundToWire(refund: GatewayRefund): WireObject {
  return {
    id: refund.id,
    object: "refund",
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    payment_intent: refund.paymentIntentId,
    metadata: refund.metadata,
    created: refund.created,
  };
}

export function payoutFromWire(object: WireObject, account?: string | null): GatewayPayout {
  const destination = object.destination;
  return {
    id: String(object.id),
    amount: Number(object.amount),
    currency: String(object.currency ?? "usd"),
    status: String(object.status) as PayoutStatus,
    destination: typeof destination === "string" ? destination : text((destination as { id?: unknown } | null)?.id),
    connectedAccountId: account ?? null,
    metadata: metadataOf(object.metadata),
    failureMessage: text(object.failure_message),
    arrivalDate: typeof object.arrival_date === "number" ? object.arrival_date : null,
    created: Number(object.created ?? 0),
  };
}

export function payoutToWire(payout: GatewayPayout): WireObject {
  return {
    id: payout.id,
    object: "payout",
    amount: payout.amount,
    currency: payout.currency,
    status: payout.status,
    destination: payout.destination,
    metadata: payout.metadata,
    failure_message: payout.failureMessage,
    arrival_date: payout.arrivalDate,
    created: payout.created,
    livemode: false,
  };
}
