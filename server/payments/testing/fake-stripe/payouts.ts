/**
 * `/v1/payouts` on a connected account (the Stripe-Account header): create (from the account's
 * transferred balance, to one of its bank accounts), retrieve and list; and the bank's answer
 * (paid, or failed and the money back on the account), as test hooks.
 */
import { allowOnly, currencyParam, enumParam, integerParam, metadataParam, required, stringParam, type Params } from "./params";
import { MAX_AMOUNT } from "./payment-intents";
import { failure, ok, type Reply } from "./replies";
import type { RequestContext, Route } from "./routes";
import { listPage, token, type FakePayout, type FakeStripeStore } from "./store";

const METHODS = ["standard", "instant"];
/** Stripe's standard payouts arrive in about two business days. */
const ARRIVAL_SECONDS = 2 * 86_400;

function noSuchPayout(id: string): Reply {
  return failure(404, { type: "invalid_request_error", code: "resource_missing", param: "id", message: `No such payout: '${id}'` });
}

/** Payouts in the fake are made from connected accounts only, the way Driftwood makes them. */
function connectedOnly(context: RequestContext): Reply | null {
  if (context.account !== null) return null;
  return failure(400, {
    type: "invalid_request_error",
    message: "The fake Stripe makes payouts from connected accounts only: send a Stripe-Account header.",
  });
}

export function payoutRoutes(store: FakeStripeStore): Route[] {
  const { bankAccounts, payouts, payoutAccounts, unixNow } = store;

  function createPayout(params: Params, _id: string, context: RequestContext): Reply {
    allowOnly(params, ["amount", "currency", "destination", "metadata", "description", "method", "statement_descriptor"]);
    const amount = required(integerParam(params, "amount", 1, MAX_AMOUNT), "amount");
    const currency = currencyParam(params);
    const destinationId = stringParam(params, "destination");
    const method = enumParam(params, "method", METHODS) ?? "standard";
    const metadata = metadataParam(params);
    const refusal = connectedOnly(context);
    if (refusal) return refusal;
    const account = context.account!;
    if (store.accounts.get(account)?.object.payouts_enabled === false) {
      return failure(400, {
        type: "invalid_request_error",
        code: "payouts_not_allowed",
        message: "Payouts have been disabled on this account until the account holder provides the requested information.",
      });
    }
    const destination = [...bankAccounts.values()]
      .map(({ object }) => object)
      .find((bank) => bank.account === account && (destinationId === undefined ? bank.currency === currency : bank.id === destinationId));
    if (!destination) {
      return failure(400, {
        type: "invalid_request_error",
        code: "resource_missing",
        param: "destination",
        message: `No such external account: '${destinationId ?? `default for ${currency}`}'`,
      });
    }
    if (destination.currency !== currency) {
      return failure(400, {
        type: "invalid_request_error",
        param: "currency",
        message: `The currency of the payout (${currency}) does not match the bank account's (${destination.currency}).`,
      });
    }
    const available = store.balanceOf(account, currency);
    if (available < amount) {
      return failure(400, {
        type: "invalid_request_error",
        code: "balance_insufficient",
        message: `You have insufficient funds in your Stripe account for this payout (available: ${available} ${currency}).`,
      });
    }
    const created = unixNow();
    const payout: FakePayout = {
      id: `po_fake_${token()}`,
      object: "payout",
      amount,
      currency,
      destination: destination.id,
      status: "pending",
      arrival_date: created + ARRIVAL_SECONDS,
      automatic: false,
      method,
      type: "bank_account",
      failure_code: null,
      failure_message: null,
      metadata,
      created,
      livemode: false,
    };
    payouts.set(payout.id, { seq: store.nextSeq(), object: payout });
    payoutAccounts.set(payout.id, account);
    store.addBalance(account, currency, -amount);
    return ok(payout);
  }

  /** A payout is seen only from the connected account it was made on. */
  function retrievePayout(params: Params, id: string, context: RequestContext): Reply {
    allowOnly(params, []);
    const stored = payouts.get(id);
    return stored && payoutAccounts.get(id) === context.account ? ok(stored.object) : noSuchPayout(id);
  }

  function listPayouts(params: Params, _id: string, context: RequestContext): Reply {
    allowOnly(params, ["created", "limit", "starting_after", "status", "destination"]);
    const status = stringParam(params, "status");
    const destination = stringParam(params, "destination");
    return listPage(
      payouts,
      params,
      "/v1/payouts",
      (payout) =>
        payoutAccounts.get(payout.id) === context.account &&
        (status === undefined || payout.status === status) &&
        (destination === undefined || payout.destination === destination),
    );
  }

  return [
    { method: "POST", path: /^\/v1\/payouts$/, handler: createPayout },
    { method: "GET", path: /^\/v1\/payouts$/, handler: listPayouts },
    { method: "GET", path: /^\/v1\/payouts\/([^/]+)$/, handler: retrievePayout },
  ];
}

function payoutIn(store: FakeStripeStore, payoutId: string, statuses: readonly FakePayout["status"][]): FakePayout {
  const payout = store.payouts.get(payoutId)?.object;
  if (!payout) throw new Error(`fake Stripe: no payout ${payoutId}`);
  if (!statuses.includes(payout.status)) throw new Error(`fake Stripe: payout ${payoutId} is already ${payout.status}`);
  return payout;
}

/** The bank received the payout. */
export function payPayout(store: FakeStripeStore, payoutId: string): FakePayout {
  const payout = payoutIn(store, payoutId, ["pending", "in_transit"]);
  payout.status = "paid";
  return structuredClone(payout);
}

/** The bank refused the payout, or returned it after it was paid: the money is back on the connected account. */
export function failPayout(store: FakeStripeStore, payoutId: string, message: string, code = "account_closed"): FakePayout {
  const payout = payoutIn(store, payoutId, ["pending", "in_transit", "paid"]);
  payout.status = "failed";
  payout.failure_code = code;
  payout.failure_message = message;
  store.addBalance(store.payoutAccounts.get(payoutId)!, payout.currency, payout.amount);
  return structuredClone(payout);
}

/** The Connect event Stripe would send for the payout's present status: `account` names the connected account. */
export function payoutEvent(store: FakeStripeStore, payoutId: string) {
  const payout = store.payouts.get(payoutId)?.object;
  if (!payout) throw new Error(`fake Stripe: no payout ${payoutId}`);
  const type = payout.status === "pending" || payout.status === "in_transit" ? "payout.created" : `payout.${payout.status}`;
  return {
    id: `evt_fake_${token()}`,
    object: "event",
    type,
    account: store.payoutAccounts.get(payoutId)!,
    api_version: "2025-01-01",
    created: store.unixNow(),
    livemode: false,
    data: { object: structuredClone(payout) },
  };
}
