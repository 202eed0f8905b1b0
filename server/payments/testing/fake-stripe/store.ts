/** What the fake Stripe remembers: payment intents and refunds in creation order, and Stripe's list pages over them. */
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
  let seq = 0;
  return {
    intents,
    refunds,
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
