/**
 * What the fake Stripe remembers: payment intents and refunds, and for Connect the connected
 * accounts, their bank accounts, transfers to them and payouts from them, in creation order; and
 * Stripe's list pages over them.
 */
import { randomBytes } from "node:crypto";
import { createdFilter, integerParam, stringParam, type Params } from "./params";
import { failure, ok, type Reply } from "./replies";

export interface FakePaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: "requires_payment_method" | "succeeded" | "canceled";
  client_secret: string;
  description: string | null;
  metadata: Record<string, string>;
  automatic_payment_methods: { enabled: boolean } | null;
  last_payment_error: { type: "card_error"; code: string; decline_code: string; message: string } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  created: number;
  livemode: false;
}

export interface FakeRefund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  payment_intent: string;
  status: "succeeded";
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface FakeAccount {
  id: string;
  object: "account";
  type: string;
  country: string;
  email: string | null;
  business_type: string | null;
  capabilities: Record<string, "active" | "inactive">;
  default_currency: string;
  metadata: Record<string, string>;
  /** Stripe turns payouts off while identity details are due (`requirements.currently_due`). */
  payouts_enabled: boolean;
  requirements: { currently_due: string[] };
  created: number;
  livemode: false;
}

/** Only the last four digits are kept, as Stripe shows them. */
export interface FakeBankAccount {
  id: string;
  object: "bank_account";
  account: string;
  account_holder_name: string | null;
  account_holder_type: string | null;
  bank_name: string;
  country: string;
  currency: string;
  last4: string;
  routing_number: string | null;
  status: "new";
  default_for_currency: boolean;
  metadata: Record<string, string>;
}

export interface FakeTransfer {
  id: string;
  object: "transfer";
  amount: number;
  currency: string;
  destination: string;
  metadata: Record<string, string>;
  amount_reversed: number;
  reversed: boolean;
  created: number;
  livemode: false;
}

export interface FakeTransferReversal {
  id: string;
  object: "transfer_reversal";
  amount: number;
  currency: string;
  transfer: string;
  metadata: Record<string, string>;
  created: number;
}

export interface FakePayout {
  id: string;
  object: "payout";
  amount: number;
  currency: string;
  destination: string;
  status: "pending" | "in_transit" | "paid" | "failed" | "canceled";
  arrival_date: number;
  automatic: false;
  method: string;
  type: "bank_account";
  failure_code: string | null;
  failure_message: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface Stored<T> {
  /** Creation order, to break ties between objects created in the same second. */
  seq: number;
  object: T;
}

export const token = () => randomBytes(12).toString("hex");

export type FakeStripeStore = ReturnType<typeof createStore>;

/** `now` is in milliseconds since the epoch; Stripe's `created` is in seconds. */
export function createStore(now: () => number) {
  const intents = new Map<string, Stored<FakePaymentIntent>>();
  const refunds = new Map<string, Stored<FakeRefund>>();
  const accounts = new Map<string, Stored<FakeAccount>>();
  const bankAccounts = new Map<string, Stored<FakeBankAccount>>();
  const transfers = new Map<string, Stored<FakeTransfer>>();
  const payouts = new Map<string, Stored<FakePayout>>();
  /** The connected account each payout was made on (its Stripe-Account). */
  const payoutAccounts = new Map<string, string>();
  /** Each connected account's available balance per currency: transferred in, less what was paid out. */
  const balances = new Map<string, Map<string, number>>();
  let seq = 0;
  return {
    intents,
    refunds,
    accounts,
    bankAccounts,
    transfers,
    payouts,
    payoutAccounts,
    balanceOf: (account: string, currency: string) => balances.get(account)?.get(currency) ?? 0,
    addBalance(account: string, currency: string, amount: number) {
      const byCurrency = balances.get(account) ?? new Map<string, number>();
      byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + amount);
      balances.set(account, byCurrency);
    },
    unixNow: () => Math.floor(now() / 1000),
    /** The next creation number. */
    nextSeq: () => seq++,
  };
}

/** One page of a list, newest first, with Stripe's `limit`, `created` and `starting_after` parameters. */
export function listPage<T extends { id: string; created: number }>(
  store: Map<string, Stored<T>>,
  params: Params,
  url: string,
  keep: (object: T) => boolean,
): Reply {
  const limit = integerParam(params, "limit", 1, 100) ?? 10;
  const inRange = createdFilter(params);
  const cursorId = stringParam(params, "starting_after");
  const cursor = cursorId === undefined ? undefined : store.get(cursorId);
  if (cursorId !== undefined && !cursor) {
    return failure(400, {
      type: "invalid_request_error",
      code: "resource_missing",
      param: "starting_after",
      message: `No such object: '${cursorId}'`,
    });
  }
  const olderThanCursor = ({ seq: s, object }: Stored<T>) =>
    !cursor || object.created < cursor.object.created || (object.created === cursor.object.created && s < cursor.seq);
  const matching = [...store.values()]
    .filter((stored) => keep(stored.object) && inRange(stored.object.created) && olderThanCursor(stored))
    .sort((a, b) => b.object.created - a.object.created || b.seq - a.seq);
  return ok({ object: "list", data: matching.slice(0, limit).map((stored) => stored.object), has_more: matching.length > limit, url });
}
