/**
 * A local, in-memory stand-in for the few Stripe endpoints Driftwood uses, speaking Stripe's wire
 * format (form-encoded requests with bracket notation, JSON answers, Stripe's error envelope and
 * Idempotency-Key semantics), so tests can drive the official SDK over real HTTP. Loopback only.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

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

export interface FakeStripe {
  host: "127.0.0.1";
  port: number;
  protocol: "http";
  url: string;
  /** Closes the server and every open (keep-alive) connection. Safe to call twice. */
  stop(): Promise<void>;
  /** What the browser's confirmation would have done: the card succeeds or is declined. */
  confirm(paymentIntentId: string, outcome: "succeeded" | "declined"): void;
  /** Copies of the stored intents, oldest first. */
  intents(): FakePaymentIntent[];
  /** Copies of the stored refunds, oldest first. */
  refunds(): FakeRefund[];
  /** HTTP requests received so far, including refused ones and idempotent replays. */
  requestCount(): number;
}

export interface FakeStripeOptions {
  /** Milliseconds since the epoch; lets a test create objects in the past to exercise `created` filters. */
  now?: () => number;
}

type Params = { [name: string]: ParamValue };
type ParamValue = string | Params;

interface Reply {
  status: number;
  body: string;
  /**
   * Whether Stripe would store this answer under the idempotency key. It does not when the request
   * failed parameter validation (the endpoint never started), so a corrected retry may reuse the key.
   */
  remember: boolean;
}

interface Outgoing {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

interface Stored<T> {
  /** Creation order, to break ties between objects created in the same second. */
  seq: number;
  object: T;
}

interface StripeErrorBody {
  type: "invalid_request_error" | "idempotency_error" | "api_error";
  message: string;
  code?: string;
  param?: string;
}

/** A request Stripe would refuse before doing anything: answered 400 and never remembered. */
class ParamError extends Error {
  constructor(
    message: string,
    readonly param: string,
    readonly code = "parameter_invalid",
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 1 << 20;
const MAX_AMOUNT = 99_999_999;
/** Stripe's smallest chargeable amounts; a fee below these would fail in production, so it fails here. */
const MINIMUM_AMOUNT: Record<string, number> = { usd: 50, eur: 50, gbp: 30 };
const CANCELLATION_REASONS = ["duplicate", "fraudulent", "requested_by_customer", "abandoned"];
const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"];

const token = () => randomBytes(12).toString("hex");

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const now = options.now ?? Date.now;
  const unixNow = () => Math.floor(now() / 1000);
  const intents = new Map<string, Stored<FakePaymentIntent>>();
  const refunds = new Map<string, Stored<FakeRefund>>();
  const idempotency = new Map<string, { fingerprint: string; reply: Reply }>();
  let seq = 0;
  let requests = 0;

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
      const enabled = required(booleanParam(automatic, "enabled", "automatic_payment_methods[enabled]"), "automatic_payment_methods[enabled]");
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
    intents.set(id, { seq: seq++, object: intent });
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
    refunds.set(refund.id, { seq: seq++, object: refund });
    return ok(refund);
  }

  function listIntents(params: Params): Reply {
    allowOnly(params, ["created", "limit", "starting_after"]);
    return listPage(intents, params, "/v1/payment_intents", () => true);
  }

  function listRefunds(params: Params): Reply {
    allowOnly(params, ["created", "limit", "starting_after", "payment_intent"]);
    const intentId = stringParam(params, "payment_intent");
    return listPage(refunds, params, "/v1/refunds", (refund) => intentId === undefined || refund.payment_intent === intentId);
  }

  const routes: { method: string; path: RegExp; handler: (params: Params, id: string) => Reply }[] = [
    { method: "POST", path: /^\/v1\/payment_intents$/, handler: createIntent },
    { method: "GET", path: /^\/v1\/payment_intents$/, handler: listIntents },
    { method: "GET", path: /^\/v1\/payment_intents\/([^/]+)$/, handler: retrieveIntent },
    { method: "POST", path: /^\/v1\/payment_intents\/([^/]+)\/cancel$/, handler: cancelIntent },
    { method: "POST", path: /^\/v1\/refunds$/, handler: createRefund },
    { method: "GET", path: /^\/v1\/refunds$/, handler: listRefunds },
  ];

  /**
   * Everything after the body has arrived runs synchronously, so requests that share an
   * idempotency key are serialized by the event loop: the first creates, every later one replays.
   * Keep it that way (no awaits in here) or add a per-key queue.
   */
  function handle(req: http.IncomingMessage, rawBody: string): Outgoing {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const apiKey = /^Bearer (sk_test_\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!apiKey) {
      return failure(401, { type: "invalid_request_error", message: "Invalid API Key provided (the fake Stripe wants sk_test_...)." });
    }
    let route: { handler: (params: Params, id: string) => Reply; id: string } | undefined;
    for (const candidate of routes) {
      const match = candidate.method === method ? candidate.path.exec(url.pathname) : null;
      if (match) {
        route = { handler: candidate.handler, id: decodeURIComponent(match[1] ?? "") };
        break;
      }
    }
    if (!route) {
      return failure(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${url.pathname}).` });
    }
    const { handler, id } = route;
    const run = (params: Params): Reply => {
      try {
        return handler(params, id);
      } catch (error) {
        if (error instanceof ParamError) return refused(error);
        throw error;
      }
    };

    let params: Params;
    try {
      params = parseForm(method === "POST" ? rawBody : url.search.slice(1));
    } catch (error) {
      if (error instanceof ParamError) return refused(error);
      throw error;
    }

    // Stripe ignores idempotency keys on GET; on POST they are scoped to the account (here: the API key).
    const key = method === "POST" ? req.headers["idempotency-key"] : undefined;
    if (typeof key !== "string" || key === "") return run(params);
    const keyHeader = { "Idempotency-Key": key };
    const scope = `${apiKey}\n${key}`;
    const fingerprint = canonicalJson([method, url.pathname, params]);
    const saved = idempotency.get(scope);
    if (saved) {
      if (saved.fingerprint !== fingerprint) {
        return failure(400, {
          type: "idempotency_error",
          message:
            "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
            `Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return { status: saved.reply.status, body: saved.reply.body, headers: { ...keyHeader, "Idempotent-Replayed": "true" } };
    }
    const reply = run(params);
    if (reply.remember) idempotency.set(scope, { fingerprint, reply });
    return { status: reply.status, body: reply.body, headers: keyHeader };
  }

  function listPage<T extends { id: string; created: number }>(
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
      return failure(400, { type: "invalid_request_error", code: "resource_missing", param: "starting_after", message: `No such object: '${cursorId}'` });
    }
    const olderThanCursor = ({ seq: s, object }: Stored<T>) =>
      !cursor || object.created < cursor.object.created || (object.created === cursor.object.created && s < cursor.seq);
    const matching = [...store.values()]
      .filter((stored) => keep(stored.object) && inRange(stored.object.created) && olderThanCursor(stored))
      .sort((a, b) => b.object.created - a.object.created || b.seq - a.seq);
    return ok({ object: "list", data: matching.slice(0, limit).map((stored) => stored.object), has_more: matching.length > limit, url });
  }

  const server = http.createServer((req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on("error", () => {});
    req.on("end", () => {
      let out: Outgoing;
      try {
        out = handle(req, Buffer.concat(chunks).toString("utf8"));
      } catch (error) {
        out = failure(500, { type: "api_error", message: `Fake Stripe failed: ${(error as Error).message}` });
      }
      res.writeHead(out.status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(out.body),
        "Request-Id": `req_fake_${token()}`,
        ...out.headers,
      });
      res.end(out.body);
    });
  });

  // The SDK opens one socket per concurrent request; the default backlog (511) drops some of 500+.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, backlog: 2048 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;

  return {
    host: "127.0.0.1",
    port,
    protocol: "http",
    url: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK's agent keeps sockets alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      });
      return stopped;
    },
    confirm(paymentIntentId, outcome) {
      const intent = intents.get(paymentIntentId)?.object;
      if (!intent) throw new Error(`fake Stripe: no payment intent ${paymentIntentId}`);
      if (intent.status !== "requires_payment_method") {
        throw new Error(`fake Stripe: cannot confirm ${paymentIntentId}, it is ${intent.status}`);
      }
      if (outcome === "succeeded") {
        intent.status = "succeeded";
        intent.amount_received = intent.amount;
        intent.last_payment_error = null;
      } else {
        intent.last_payment_error = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
      }
    },
    intents: () => [...intents.values()].map(({ object }) => structuredClone(object)),
    refunds: () => [...refunds.values()].map(({ object }) => structuredClone(object)),
    requestCount: () => requests,
  };
}

function ok(object: unknown): Reply {
  return { status: 200, body: JSON.stringify(object), remember: true };
}

function failure(status: number, error: StripeErrorBody): Reply {
  return { status, body: JSON.stringify({ error }), remember: true };
}

function refused(error: ParamError): Reply {
  const body: StripeErrorBody = { type: "invalid_request_error", code: error.code, param: error.param, message: error.message };
  return { status: 400, body: JSON.stringify({ error: body }), remember: false };
}

function noSuchIntent(id: string, param: string): Reply {
  const status = param === "intent" ? 404 : 400;
  return failure(status, { type: "invalid_request_error", code: "resource_missing", param, message: `No such payment_intent: '${id}'` });
}

/** `a=1&metadata[x]=2&created[gte]=3` → `{ a: "1", metadata: { x: "2" }, created: { gte: "3" } }`. */
function parseForm(text: string): Params {
  const root = emptyParams();
  for (const [name, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]+\])*)$/.exec(name);
    if (!match) throw new ParamError(`Invalid parameter name: ${name}`, name);
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]+)\]/g)].map((part) => part[1]!)];
    const last = path.pop()!;
    let node = root;
    for (const part of path) {
      const child: ParamValue = node[part] ?? (node[part] = emptyParams());
      if (typeof child === "string") throw new ParamError(`Invalid object: ${part}`, name);
      node = child;
    }
    if (node[last] !== undefined) throw new ParamError(`Received the parameter ${name} more than once.`, name);
    node[last] = value;
  }
  return root;
}

/** No prototype, so a parameter named `__proto__` or `constructor` is just a name. */
function emptyParams(): Params {
  return Object.create(null) as Params;
}

function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

function allowOnly(params: Params, names: readonly string[], parent?: string) {
  for (const name of Object.keys(params)) {
    if (!names.includes(name)) {
      const full = parent ? `${parent}[${name}]` : name;
      throw new ParamError(`Received unknown parameter: ${full}`, full, "parameter_unknown");
    }
  }
}

function required<T>(value: T | undefined, param: string): T {
  if (value === undefined) throw new ParamError(`Missing required param: ${param}.`, param, "parameter_missing");
  return value;
}

function stringParam(params: Params, name: string, label = name): string | undefined {
  const value = params[name];
  if (value !== undefined && typeof value !== "string") throw new ParamError(`Invalid string: ${label}`, label);
  return value;
}

function integerParam(params: Params, name: string, min: number, max: number, label = name): number | undefined {
  const text = stringParam(params, name, label);
  if (text === undefined) return undefined;
  const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new ParamError(`Invalid integer: ${text}`, label, "parameter_invalid_integer");
  if (value < min || value > max) throw new ParamError(`${label} must be between ${min} and ${max}.`, label);
  return value;
}

function booleanParam(params: Params, name: string, label = name): boolean | undefined {
  const text = stringParam(params, name, label);
  if (text === undefined) return undefined;
  if (text !== "true" && text !== "false") throw new ParamError(`Invalid boolean: ${text}`, label);
  return text === "true";
}

function enumParam(params: Params, name: string, allowed: readonly string[]): string | undefined {
  const text = stringParam(params, name);
  if (text !== undefined && !allowed.includes(text)) {
    throw new ParamError(`Invalid ${name}: must be one of ${allowed.join(", ")}`, name);
  }
  return text;
}

function currencyParam(params: Params): string {
  const currency = required(stringParam(params, "currency"), "currency").toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw new ParamError(`Invalid currency: ${currency}.`, "currency");
  return currency;
}

function metadataParam(params: Params): Record<string, string> {
  const value = params.metadata;
  // The SDK sends `metadata=` to clear metadata; on create that simply means none.
  if (value === undefined || value === "") return {};
  if (typeof value === "string") throw new ParamError("Invalid object", "metadata");
  const entries = Object.entries(value);
  if (entries.length > 50) throw new ParamError("Metadata can have at most 50 keys.", "metadata");
  for (const [key, item] of entries) {
    if (typeof item !== "string") throw new ParamError(`Invalid string: metadata[${key}]`, `metadata[${key}]`);
    if (key.length > 40 || item.length > 500) {
      throw new ParamError("Metadata keys are at most 40 characters and values at most 500.", `metadata[${key}]`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function createdFilter(params: Params): (created: number) => boolean {
  const value = params.created;
  if (value === undefined) return () => true;
  if (typeof value === "string") {
    const exact = required(integerParam(params, "created", 0, Number.MAX_SAFE_INTEGER), "created");
    return (created) => created === exact;
  }
  allowOnly(value, ["gt", "gte", "lt", "lte"], "created");
  const bound = (name: string) => integerParam(value, name, 0, Number.MAX_SAFE_INTEGER, `created[${name}]`);
  const [gt, gte, lt, lte] = [bound("gt"), bound("gte"), bound("lt"), bound("lte")];
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}
