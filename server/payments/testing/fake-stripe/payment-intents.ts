/** `/v1/payment_intents`: create, list, retrieve and cancel; and the browser's confirmation, as a test hook. */
import {
  allowOnly,
  booleanParam,
  currencyParam,
  enumParam,
  integerParam,
  metadataParam,
  ParamError,
  required,
  stringParam,
  type Params,
} from "./params";
import { failure, noSuchIntent, ok, type Reply } from "./replies";
import type { Route } from "./routes";
import { listPage, token, type FakePaymentIntent, type FakeStripeStore } from "./store";

export const MAX_AMOUNT = 99_999_999;
/** Stripe's smallest chargeable amounts; a fee below these would fail in production, so it fails here. */
const MINIMUM_AMOUNT: Record<string, number> = { usd: 50, eur: 50, gbp: 30 };
const CANCELLATION_REASONS = ["duplicate", "fraudulent", "requested_by_customer", "abandoned"];

export function paymentIntentRoutes(store: FakeStripeStore): Route[] {
  const { intents, unixNow } = store;

  function createIntent(params: Params): Reply {
    allowOnly(params, ["amount", "currency", "description", "metadata", "automatic_payment_methods"]);
    const currency = currencyParam(params);
    const amount = required(integerParam(params, "amount", 1, MAX_AMOUNT), "amount");
    const minimum = MINIMUM_AMOUNT[currency] ?? 1;
    if (amount < minimum) {
      throw new ParamError(`Amount must be at least ${minimum} ${currency} minor units.`, "amount", "amount_too_small");
    }
    const automatic = params.automatic_payment_methods;
    let automaticPaymentMethods: FakePaymentIntent["automatic_payment_methods"] = null;
    if (automatic !== undefined) {
      if (typeof automatic === "string") throw new ParamError("Invalid object", "automatic_payment_methods");
      allowOnly(automatic, ["enabled"], "automatic_payment_methods");
      const enabled = required(
        booleanParam(automatic, "enabled", "automatic_payment_methods[enabled]"),
        "automatic_payment_methods[enabled]",
      );
      automaticPaymentMethods = { enabled };
    }
    const id = `pi_fake_${token()}`;
    const intent: FakePaymentIntent = {
      id,
      object: "payment_intent",
      amount,
      amount_received: 0,
      currency,
      status: "requires_payment_method",
      client_secret: `${id}_secret_${token()}`,
      description: stringParam(params, "description") ?? null,
      metadata: metadataParam(params),
      automatic_payment_methods: automaticPaymentMethods,
      last_payment_error: null,
      canceled_at: null,
      cancellation_reason: null,
      created: unixNow(),
      livemode: false,
    };
    intents.set(id, { seq: store.nextSeq(), object: intent });
    return ok(intent);
  }

  function retrieveIntent(params: Params, id: string): Reply {
    allowOnly(params, []);
    const stored = intents.get(id);
    return stored ? ok(stored.object) : noSuchIntent(id, "intent");
  }

  function cancelIntent(params: Params, id: string): Reply {
    allowOnly(params, ["cancellation_reason"]);
    const reason = enumParam(params, "cancellation_reason", CANCELLATION_REASONS);
    const intent = intents.get(id)?.object;
    if (!intent) return noSuchIntent(id, "intent");
    if (intent.status === "succeeded" || intent.status === "canceled") {
      return failure(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message:
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with ` +
          "one of the following statuses may be canceled: requires_payment_method, requires_capture, " +
          "requires_confirmation, requires_action, processing.",
      });
    }
    intent.status = "canceled";
    intent.canceled_at = unixNow();
    intent.cancellation_reason = reason ?? null;
    return ok(intent);
  }

  function listIntents(params: Params): Reply {
    allowOnly(params, ["created", "limit", "starting_after"]);
    return listPage(intents, params, "/v1/payment_intents", () => true);
  }

  return [
    { method: "POST", path: /^\/v1\/payment_intents$/, handler: createIntent },
    { method: "GET", path: /^\/v1\/payment_intents$/, handler: listIntents },
    { method: "GET", path: /^\/v1\/payment_intents\/([^/]+)$/, handler: retrieveIntent },
    { method: "POST", path: /^\/v1\/payment_intents\/([^/]+)\/cancel$/, handler: cancelIntent },
  ];
}

/** What the browser's confirmation would have done: the card succeeds or is declined. */
export function confirmPaymentIntent(store: FakeStripeStore, paymentIntentId: string, outcome: "succeeded" | "declined") {
  const intent = store.intents.get(paymentIntentId)?.object;
  if (!intent) throw new Error(`fake Stripe: no payment intent ${paymentIntentId}`);
  if (intent.status !== "requires_payment_method") {
    throw new Error(`fake Stripe: cannot confirm ${paymentIntentId}, it is ${intent.status}`);
  }
  if (outcome === "succeeded") {
    intent.status = "succeeded";
    intent.amount_received = intent.amount;
    intent.last_payment_error = null;
  } else {
    intent.last_payment_error = {
      type: "card_error",
      code: "card_declined",
      decline_code: "generic_decline",
      message: "Your card was declined.",
    };
  }
}
