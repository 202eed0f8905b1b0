/** `/v1/refunds`: create (of a succeeded payment intent, at most what is left) and list. */
import { allowOnly, enumParam, integerParam, metadataParam, required, stringParam, type Params } from "./params";
import { MAX_AMOUNT } from "./payment-intents";
import { failure, noSuchIntent, ok, type Reply } from "./replies";
import type { Route } from "./routes";
import { listPage, token, type FakeRefund, type FakeStripeStore } from "./store";

const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"];

export function refundRoutes(store: FakeStripeStore): Route[] {
  const { intents, refunds, unixNow } = store;

  function createRefund(params: Params): Reply {
    allowOnly(params, ["payment_intent", "amount", "metadata", "reason"]);
    const intentId = required(stringParam(params, "payment_intent"), "payment_intent");
    const requested = integerParam(params, "amount", 1, MAX_AMOUNT);
    const reason = enumParam(params, "reason", REFUND_REASONS);
    const metadata = metadataParam(params);
    const intent = intents.get(intentId)?.object;
    if (!intent) return noSuchIntent(intentId, "payment_intent");
    if (intent.status !== "succeeded") {
      return failure(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        param: "payment_intent",
        message: `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
      });
    }
    const refunded = [...refunds.values()]
      .filter(({ object }) => object.payment_intent === intent.id)
      .reduce((sum, { object }) => sum + object.amount, 0);
    const left = intent.amount_received - refunded;
    if (left === 0) {
      return failure(400, {
        type: "invalid_request_error",
        code: "charge_already_refunded",
        message: `PaymentIntent ${intent.id} has already been refunded.`,
      });
    }
    const amount = requested ?? left;
    if (amount > left) {
      return failure(400, {
        type: "invalid_request_error",
        code: "amount_too_large",
        param: "amount",
        message: `Refund amount (${amount}) is greater than the amount left to refund (${left}).`,
      });
    }
    const refund: FakeRefund = {
      id: `re_fake_${token()}`,
      object: "refund",
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      status: "succeeded",
      reason: reason ?? null,
      metadata,
      created: unixNow(),
      livemode: false,
    };
    refunds.set(refund.id, { seq: store.nextSeq(), object: refund });
    return ok(refund);
  }

  function listRefunds(params: Params): Reply {
    allowOnly(params, ["created", "limit", "starting_after", "payment_intent"]);
    const intentId = stringParam(params, "payment_intent");
    return listPage(refunds, params, "/v1/refunds", (refund) => intentId === undefined || refund.payment_intent === intentId);
  }

  return [
    { method: "POST", path: /^\/v1\/refunds$/, handler: createRefund },
    { method: "GET", path: /^\/v1\/refunds$/, handler: listRefunds },
  ];
}
