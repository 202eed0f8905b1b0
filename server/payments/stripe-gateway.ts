import Stripe from "stripe";
import {
  GatewayRequestError,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookSignatureError,
  type GatewayEvent,
  type GatewayPaymentIntent,
  type GatewayPayout,
  type GatewayRefund,
  type IntentStatus,
  type PaymentGateway,
  type PayoutStatus,
  type RefundStatus,
} from "./gateway";
import { cardLast4Of } from "./stripe-shapes";

export interface StripeGatewayOptions {
  secretKey: string;
  webhookSecret: string;
  /** Stripe signs Connect events (payouts on players' connected accounts) with its Connect endpoint's own secret. */
  connectWebhookSecret?: string;
  /** Only tests set these, to point the SDK at the local fake server. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
}

const INTENT_STATUSES: readonly IntentStatus[] = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "processing",
  "requires_capture",
  "succeeded",
  "canceled",
];
const REFUND_STATUSES: readonly RefundStatus[] = ["pending", "requires_action", "succeeded", "failed", "canceled"];
const PAYOUT_STATUSES: readonly PayoutStatus[] = ["pending", "in_transit", "paid", "failed", "canceled"];

export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const { secretKey, webhookSecret, connectWebhookSecret, host, port, protocol } = options;
  // Retries are safe: every POST carries our idempotency key (or the SDK's own), so a retried
  // request replays the first answer instead of charging twice. Telemetry (latency figures for
  // Stripe) is off because its buffer overflows under a burst of checkouts and warns on every call.
  const stripe = new Stripe(secretKey, { host, port, protocol, maxNetworkRetries: 2, timeout: 20_000, telemetry: false });

  return {
    name: "stripe",

    async createPaymentIntent({ amount, currency, idempotencyKey, description, metadata }) {
      const intent = await call(() =>
        stripe.paymentIntents.create(
          { amount, currency, description, metadata, automatic_payment_methods: { enabled: true } },
          { idempotencyKey },
        ),
      );
      return toIntent(intent);
    },

    async retrievePaymentIntent(id) {
      try {
        return toIntent(await stripe.paymentIntents.retrieve(id));
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && (error.code === "resource_missing" || error.statusCode === 404)) {
          return null;
        }
        throw translate(error);
      }
    },

    async cancelPaymentIntent(id, idempotencyKey) {
      return toIntent(await call(() => stripe.paymentIntents.cancel(id, {}, { idempotencyKey })));
    },

    async createRefund({ paymentIntentId, amount, idempotencyKey, metadata }) {
      const refund = await call(() => stripe.refunds.create({ payment_intent: paymentIntentId, amount, metadata }, { idempotencyKey }));
      return toRefund(refund, intentIdOf(refund) ?? paymentIntentId);
    },

    async *listPaymentIntents({ createdAfter }) {
      try {
        for await (const intent of stripe.paymentIntents.list({ created: { gte: unixSeconds(createdAfter) }, limit: 100 })) {
          yield toIntent(intent);
        }
      } catch (error) {
        throw translate(error);
      }
    },

    async *listRefunds({ createdAfter }) {
      try {
        for await (const refund of stripe.refunds.list({ created: { gte: unixSeconds(createdAfter) }, limit: 100 })) {
          const intentId = intentIdOf(refund);
          // Refunds of bare charges (no PaymentIntent) were not made by Driftwood.
          if (intentId) yield toRefund(refund, intentId);
        }
      } catch (error) {
        throw translate(error);
      }
    },

    async registerBankAccount({ userId, email, connectedAccountId, details, idempotencyKey }) {
      // Stripe Connect: payouts leave from the player's own (custom) connected account, created on first use.
      const accountId =
        connectedAccountId ??
        (
          await call(() =>
            stripe.accounts.create(
              {
                type: "custom",
                country: details.country,
                email,
                capabilities: { transfers: { requested: true } },
                business_type: "individual",
                metadata: { userId },
              },
              { idempotencyKey: `${idempotencyKey}:account` },
            ),
          )
        ).id;
      const external = await call(() =>
        stripe.accounts.createExternalAccount(
          accountId,
          {
            external_account: {
              object: "bank_account",
              country: details.country,
              currency: details.currency,
              account_holder_name: details.holderName,
              account_holder_type: "individual",
              account_number: details.iban ?? details.accountNumber ?? "",
              ...(details.iban || !details.routingNumber ? {} : { routing_number: details.routingNumber }),
            },
            metadata: { userId },
          },
          { idempotencyKey },
        ),
      );
      if (external.object !== "bank_account") throw new GatewayRequestError("Stripe did not register a bank account.", "invalid_request");
      return { connectedAccountId: accountId, externalAccountId: external.id, bankName: external.bank_name, last4: external.last4 };
    },

    async createPayout({ amount, currency, connectedAccountId, externalAccountId, idempotencyKey, metadata }) {
      if (!connectedAccountId) {
        throw new GatewayRequestError("This bank account has no Stripe connected account to pay out from.", "invalid_request");
      }
      // The platform's money moves to the player's connected account, then leaves it for the bank.
      const transfer = await call(() =>
        stripe.transfers.create(
          { amount, currency, destination: connectedAccountId, metadata },
          { idempotencyKey: `${idempotencyKey}:transfer` },
        ),
      );
      try {
        const payout = await stripe.payouts.create(
          { amount, currency, destination: externalAccountId, metadata },
          { idempotencyKey, stripeAccount: connectedAccountId },
        );
        return toPayout(payout, connectedAccountId);
      } catch (error) {
        const translated = translate(error);
        // Refused for good (a retry under this key gets the same answer): the caller gives the
        // withdrawal back, so the transfer comes back to the platform too, once, under its own key.
        // Not on "idempotency" (a payout under this key exists and spends the transfer) nor
        // "unavailable" (the payout may exist; the retry finds out).
        if (translated instanceof GatewayRequestError && (translated.kind === "invalid_request" || translated.kind === "card")) {
          await call(() => stripe.transfers.createReversal(transfer.id, { metadata }, { idempotencyKey: `${idempotencyKey}:reversal` }));
        }
        throw translated;
      }
    },

    async retrievePayout(id, connectedAccountId) {
      try {
        const payout = await stripe.payouts.retrieve(id, {}, connectedAccountId ? { stripeAccount: connectedAccountId } : {});
        return toPayout(payout, connectedAccountId);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && (error.code === "resource_missing" || error.statusCode === 404)) {
          return null;
        }
        throw translate(error);
      }
    },

    async *listPayouts({ createdAfter, connectedAccountIds }) {
      // One listing per connected account, merged so that the whole is newest first, as the interface promises.
      const all: GatewayPayout[] = [];
      try {
        for (const stripeAccount of new Set(connectedAccountIds)) {
          for await (const payout of stripe.payouts.list({ created: { gte: unixSeconds(createdAfter) }, limit: 100 }, { stripeAccount })) {
            all.push(toPayout(payout, stripeAccount));
          }
        }
      } catch (error) {
        throw translate(error);
      }
      yield* all.sort((a, b) => b.created - a.created);
    },

    async payoutReadiness({ connectedAccountId, returnUrl, refreshUrl }) {
      if (!connectedAccountId) return { payoutsEnabled: false, due: ["external_account"], verificationUrl: null };
      const account = await call(() => stripe.accounts.retrieve(connectedAccountId));
      const due = account.requirements?.currently_due ?? [];
      if (account.payouts_enabled && due.length === 0) return { payoutsEnabled: true, due: [], verificationUrl: null };
      const link = await call(() =>
        stripe.accountLinks.create({
          account: connectedAccountId,
          return_url: returnUrl,
          refresh_url: refreshUrl,
          type: "account_onboarding",
        }),
      );
      return { payoutsEnabled: Boolean(account.payouts_enabled), due, verificationUrl: link.url };
    },

    constructEvent(rawBody, signatureHeader) {
      let event: unknown;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signatureHeader ?? "", webhookSecret, WEBHOOK_TOLERANCE_SECONDS);
      } catch (error) {
        if (!connectWebhookSecret) throw new WebhookSignatureError(webhookFailure(error));
        try {
          event = stripe.webhooks.constructEvent(rawBody, signatureHeader ?? "", connectWebhookSecret, WEBHOOK_TOLERANCE_SECONDS);
        } catch {
          throw new WebhookSignatureError(webhookFailure(error));
        }
      }
      if (!isEvent(event)) throw new WebhookSignatureError("signed body is not a Stripe event");
      return {
        id: event.id,
        type: event.type,
        created: event.created,
        // Connect: events from a player's connected account (payouts) name it.
        ...(typeof event.account === "string" ? { account: event.account } : {}),
        data: { object: event.data.object },
      };
    },
  };
}

/** Stripe's `created[gte]` is whole seconds; rounding down errs towards including an intent, never missing it. */
function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw translate(error);
  }
}

/** Stripe's errors in the interface's terms; anything that is not a Stripe error is a bug and passes through. */
function translate(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const translated = new GatewayRequestError(error.message, kindOf(error));
  translated.cause = error;
  return translated;
}

function kindOf(error: Stripe.errors.StripeError): GatewayRequestError["kind"] {
  if (error instanceof Stripe.errors.StripeIdempotencyError) return "idempotency";
  if (error instanceof Stripe.errors.StripeInvalidRequestError) return "invalid_request";
  if (error instanceof Stripe.errors.StripeCardError) return "card";
  // Connection failures, Stripe's 5xx, rate limits and a rejected API key: nothing in the
  // caller's input can fix them, so trying again later is the only sensible answer.
  return "unavailable";
}

function toIntent(intent: Stripe.PaymentIntent): GatewayPaymentIntent {
  return {
    id: intent.id,
    amount: intent.amount,
    currency: intent.currency,
    status: intentStatus(intent.status),
    clientSecret: intent.client_secret,
    metadata: { ...intent.metadata },
    lastPaymentError: intent.last_payment_error?.message ?? null,
    cardLast4: cardLast4Of(intent.latest_charge),
    created: intent.created,
  };
}

/**
 * A status this code does not know yet (Stripe adds them) is treated as still in flight: the
 * reconciliation job looks again later rather than fulfilling or releasing anything on a guess.
 */
function intentStatus(status: string): IntentStatus {
  return (INTENT_STATUSES as readonly string[]).includes(status) ? (status as IntentStatus) : "processing";
}

function intentIdOf(refund: Stripe.Refund): string | null {
  const intent = refund.payment_intent;
  if (!intent) return null;
  return typeof intent === "string" ? intent : intent.id;
}

function toRefund(refund: Stripe.Refund, paymentIntentId: string): GatewayRefund {
  const status = refund.status ?? "pending";
  return {
    id: refund.id,
    paymentIntentId,
    amount: refund.amount,
    currency: refund.currency,
    // Unknown or missing means not settled yet, the same caution as for intents.
    status: (REFUND_STATUSES as readonly string[]).includes(status) ? (status as RefundStatus) : "pending",
    metadata: { ...refund.metadata },
    created: refund.created,
  };
}

function toPayout(payout: Stripe.Payout, connectedAccountId: string | null): GatewayPayout {
  const destination = payout.destination;
  return {
    id: payout.id,
    amount: payout.amount,
    currency: payout.currency,
    // Unknown means still on its way: nothing is paid or given back on a guess.
    status: (PAYOUT_STATUSES as readonly string[]).includes(payout.status) ? (payout.status as PayoutStatus) : "pending",
    destination: typeof destination === "string" ? destination : (destination?.id ?? null),
    connectedAccountId,
    metadata: { ...payout.metadata },
    failureMessage: payout.failure_message,
    arrivalDate: payout.arrival_date ?? null,
    created: payout.created,
  };
}

/** The SDK's messages run to several lines with links; the webhook route logs one short line. */
function webhookFailure(error: unknown): string {
  if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
    const first = error.message.split("\n")[0] ?? "";
    return first.split(/(?<=\.)\s/)[0]?.trim() || "signature verification failed";
  }
  if (error instanceof SyntaxError) return "signed body is not JSON";
  return "signature verification failed";
}

function isEvent(value: unknown): value is GatewayEvent {
  if (typeof value !== "object" || value === null) return false;
  const event = value as Record<string, unknown>;
  const data = event.data as Record<string, unknown> | null | undefined;
  return (
    typeof event.id === "string" &&
    typeof event.type === "string" &&
    typeof event.created === "number" &&
    typeof data === "object" &&
    data !== null &&
    typeof data.object === "object" &&
    data.object !== null
  );
}
