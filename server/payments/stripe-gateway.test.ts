import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayRequestError, WebhookSignatureError, type PaymentGateway } from "./gateway";
import { createStripeGateway } from "./stripe-gateway";
import { startFakeStripe, type FakeStripe } from "./testing/fake-stripe-server";

let fake: FakeStripe;
let gateway: PaymentGateway;
/** Shifts the fake server's clock, to create objects that are older than a listing's start. */
let clockOffsetMs = 0;

beforeAll(async () => {
  fake = await startFakeStripe({ now: () => Date.now() + clockOffsetMs });
  gateway = gatewayAt(fake.port);
});

afterAll(async () => {
  await fake?.stop();
});

function gatewayAt(port: number, secretKey = "sk_test_fake") {
  return createStripeGateway({ secretKey, webhookSecret: "whsec_test", host: "127.0.0.1", port, protocol: "http" });
}

const key = () => crypto.randomUUID();

function createIntent(input: { amount?: number; metadata?: Record<string, string>; idempotencyKey?: string } = {}) {
  return gateway.createPaymentIntent({
    amount: input.amount ?? 2500,
    currency: "usd",
    idempotencyKey: input.idempotencyKey ?? key(),
    description: "Entry fee",
    metadata: input.metadata ?? { paymentId: key() },
  });
}

async function paidIntent(amount: number) {
  const intent = await createIntent({ amount });
  fake.confirm(intent.id, "succeeded");
  return intent;
}

async function backdated<T>(hours: number, create: () => Promise<T>): Promise<T> {
  clockOffsetMs = -hours * 3_600_000;
  try {
    return await create();
  } finally {
    clockOffsetMs = 0;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

async function gatewayErrorKind(promise: Promise<unknown>) {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(GatewayRequestError);
  return (error as GatewayRequestError).kind;
}

describe("payment intents", () => {
  it("creates an intent, sends Stripe's parameters, and retrieves it in the interface's shape", async () => {
    const paymentId = key();
    const intent = await createIntent({ amount: 1500, metadata: { paymentId, eventId: "evt-42" } });

    expect(intent).toEqual({
      id: expect.stringMatching(/^pi_fake_/),
      amount: 1500,
      currency: "usd",
      status: "requires_payment_method",
      clientSecret: expect.stringMatching(new RegExp(`^${intent.id}_secret_`)),
      metadata: { paymentId, eventId: "evt-42" },
      lastPaymentError: null,
      // Stripe sends latest_charge as an id unless expanded: no card digits then.
      cardLast4: null,
      created: expect.any(Number),
    });
    expect(Math.abs(intent.created - Date.now() / 1000)).toBeLessThan(5);
    const stored = fake.intents().find((candidate) => candidate.id === intent.id);
    expect(stored).toMatchObject({ description: "Entry fee", automatic_payment_methods: { enabled: true } });
    expect(await gateway.retrievePaymentIntent(intent.id)).toEqual(intent);
  });

  it("reports a declined card's message, then the success of a second attempt", async () => {
    const intent = await createIntent();

    fake.confirm(intent.id, "declined");
    expect(await gateway.retrievePaymentIntent(intent.id)).toMatchObject({
      status: "requires_payment_method",
      lastPaymentError: "Your card was declined.",
    });

    fake.confirm(intent.id, "succeeded");
    expect(await gateway.retrievePaymentIntent(intent.id)).toMatchObject({ status: "succeeded", lastPaymentError: null });
  });

  it("gives null for an intent Stripe does not know", async () => {
    expect(await gateway.retrievePaymentIntent("pi_does_not_exist")).toBeNull();
  });

  it("cancels an intent; the same key replays the cancellation; a paid intent cannot be canceled", async () => {
    const intent = await createIntent();
    const cancelKey = key();

    const canceled = await gateway.cancelPaymentIntent(intent.id, cancelKey);
    expect(canceled).toMatchObject({ id: intent.id, status: "canceled" });
    expect(await gateway.cancelPaymentIntent(intent.id, cancelKey)).toEqual(canceled);

    const paid = await paidIntent(2500);
    expect(await gatewayErrorKind(gateway.cancelPaymentIntent(paid.id, key()))).toBe("invalid_request");
  });

  it("lists the intents created since a moment, newest first, across pages", async () => {
    const batch = key();
    const old = await backdated(2, () => Promise.all([1, 2, 3].map(() => createIntent({ metadata: { batch } }))));
    const since = new Date();
    for (let i = 0; i < 150; i++) await createIntent({ metadata: { batch } });
    const newestFirst = fake
      .intents()
      .filter((intent) => intent.metadata.batch === batch && !old.some((o) => o.id === intent.id))
      .map((intent) => intent.id)
      .reverse();

    const requestsBefore = fake.requestCount();
    const listed = await collect(gateway.listPaymentIntents({ createdAfter: since }));
    const pages = fake.requestCount() - requestsBefore;

    expect(listed.filter((intent) => intent.metadata.batch === batch).map((intent) => intent.id)).toEqual(newestFirst);
    expect(new Set(listed.map((intent) => intent.id)).size).toBe(listed.length);
    expect(listed.every((intent) => intent.created >= Math.floor(since.getTime() / 1000))).toBe(true);
    expect(pages).toBe(Math.ceil(listed.length / 100));
    expect(pages).toBeGreaterThanOrEqual(2);
  });
});

describe("idempotency", () => {
  it("gives one intent and identical answers to 500 concurrent creates with one key", async () => {
    const paymentId = key();
    const idempotencyKey = key();

    const answers = await Promise.all(
      Array.from({ length: 500 }, () => createIntent({ amount: 4200, idempotencyKey, metadata: { paymentId } })),
    );

    expect(fake.intents().filter((intent) => intent.metadata.paymentId === paymentId)).toHaveLength(1);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it("refuses the same key with another amount, and creates nothing", async () => {
    const idempotencyKey = key();
    const metadata = { paymentId: key() };
    await createIntent({ amount: 1000, idempotencyKey, metadata });
    const storedBefore = fake.intents().length;

    expect(await gatewayErrorKind(createIntent({ amount: 1001, idempotencyKey, metadata }))).toBe("idempotency");
    expect(fake.intents()).toHaveLength(storedBefore);
  });
});

describe("refunds", () => {
  it("refunds in parts, replays a part by its key, then refuses more than is left", async () => {
    const intent = await paidIntent(5000);
    const firstKey = key();

    const first = await gateway.createRefund({
      paymentIntentId: intent.id,
      amount: 2000,
      idempotencyKey: firstKey,
      metadata: { reason: "withdrawn" },
    });
    expect(first).toEqual({
      id: expect.stringMatching(/^re_fake_/),
      paymentIntentId: intent.id,
      amount: 2000,
      currency: "usd",
      status: "succeeded",
      metadata: { reason: "withdrawn" },
      created: expect.any(Number),
    });
    expect(
      await gateway.createRefund({ paymentIntentId: intent.id, amount: 2000, idempotencyKey: firstKey, metadata: { reason: "withdrawn" } }),
    ).toEqual(first);

    const rest = await gateway.createRefund({ paymentIntentId: intent.id, amount: 3000, idempotencyKey: key(), metadata: {} });
    expect(rest).toMatchObject({ paymentIntentId: intent.id, amount: 3000, status: "succeeded" });

    const beyond = gateway.createRefund({ paymentIntentId: intent.id, amount: 1, idempotencyKey: key(), metadata: {} });
    expect(await gatewayErrorKind(beyond)).toBe("invalid_request");
    const stored = fake.refunds().filter((refund) => refund.payment_intent === intent.id);
    expect(stored.map((refund) => refund.amount)).toEqual([2000, 3000]);
  });

  it("refuses a refund larger than the payment, and a refund of an unpaid intent", async () => {
    const paid = await paidIntent(5000);
    const unpaid = await createIntent({ amount: 5000 });

    const tooMuch = gateway.createRefund({ paymentIntentId: paid.id, amount: 5001, idempotencyKey: key(), metadata: {} });
    expect(await gatewayErrorKind(tooMuch)).toBe("invalid_request");
    const notPaid = gateway.createRefund({ paymentIntentId: unpaid.id, amount: 100, idempotencyKey: key(), metadata: {} });
    expect(await gatewayErrorKind(notPaid)).toBe("invalid_request");
    expect(fake.refunds().filter((refund) => [paid.id, unpaid.id].includes(refund.payment_intent))).toEqual([]);
  });

  it("lists the refunds made since a moment, newest first", async () => {
    const intent = await paidIntent(9000);
    const refund = (amount: number) => gateway.createRefund({ paymentIntentId: intent.id, amount, idempotencyKey: key(), metadata: {} });
    const old = await backdated(2, () => refund(1000));
    const since = new Date();
    const recent = [await refund(1000), await refund(2000), await refund(3000)];

    const listed = (await collect(gateway.listRefunds({ createdAfter: since }))).filter((r) => r.paymentIntentId === intent.id);

    expect(listed).toEqual([...recent].reverse());
    expect(listed.map((r) => r.id)).not.toContain(old.id);
  });
});

describe("provider failures", () => {
  it("calls an unreachable Stripe unavailable (after the SDK's retries)", async () => {
    const gone = await startFakeStripe();
    await gone.stop();

    expect(await gatewayErrorKind(gatewayAt(gone.port).retrievePaymentIntent("pi_anything"))).toBe("unavailable");
  });

  it("calls a rejected API key unavailable", async () => {
    expect(await gatewayErrorKind(gatewayAt(fake.port, "sk_live_wrong").retrievePaymentIntent("pi_anything"))).toBe("unavailable");
  });
});

describe("webhook verification", () => {
  const secret = "whsec_test";
  const payload = JSON.stringify({
    id: "evt_test_1",
    object: "event",
    type: "payment_intent.succeeded",
    created: 1_700_000_000,
    data: { object: { id: "pi_test_1", object: "payment_intent", amount: 2500, metadata: { paymentId: "p1" } } },
  });
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (body: string, options: { secret?: string; timestamp?: number } = {}) =>
    Stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? secret, timestamp: options.timestamp });

  function signatureFailure(body: string, header: string | null): WebhookSignatureError {
    let caught: unknown;
    try {
      gateway.constructEvent(body, header);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WebhookSignatureError);
    const error = caught as WebhookSignatureError;
    expect(error.message).not.toContain("\n");
    expect(error.message.length).toBeLessThan(100);
    return error;
  }

  it("accepts a correctly signed event and returns its envelope", () => {
    expect(gateway.constructEvent(payload, sign(payload))).toEqual({
      id: "evt_test_1",
      type: "payment_intent.succeeded",
      created: 1_700_000_000,
      data: { object: { id: "pi_test_1", object: "payment_intent", amount: 2500, metadata: { paymentId: "p1" } } },
    });
  });

  it("accepts a signature just inside the five-minute tolerance", () => {
    expect(gateway.constructEvent(payload, sign(payload, { timestamp: now() - 290 })).id).toBe("evt_test_1");
  });

  it("refuses a wrong secret, a tampered body, a missing header and an old timestamp", () => {
    signatureFailure(payload, sign(payload, { secret: "whsec_other" }));
    signatureFailure(payload.replace("2500", "250000"), sign(payload));
    expect(signatureFailure(payload, null).message).toMatch(/header/i);
    expect(signatureFailure(payload, sign(payload, { timestamp: now() - 301 })).message).toMatch(/tolerance/i);
  });

  it("refuses a correctly signed body that is not an event", () => {
    signatureFailure("[1, 2, 3]", sign("[1, 2, 3]"));
    signatureFailure("not json", sign("not json"));
  });
});

/** The fake's own fidelity, spoken to without the SDK, where the SDK would hide the wire. */
describe("fake Stripe wire format", () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${fake.url}${path}`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_fake", "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body,
    });

  it("wants a test secret key", async () => {
    const response = await fetch(`${fake.url}/v1/payment_intents`, { headers: { Authorization: "Bearer pk_test_public" } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("replays the first answer byte for byte under the same key, and marks it replayed", async () => {
    const headers = { "Idempotency-Key": key() };
    const body = "amount=1000&currency=usd&metadata[paymentId]=wire-1&automatic_payment_methods[enabled]=true";

    const first = await post("/v1/payment_intents", body, headers);
    const firstText = await first.text();
    const replay = await post("/v1/payment_intents", body, headers);

    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstText);
    expect(JSON.parse(firstText)).toMatchObject({
      object: "payment_intent",
      metadata: { paymentId: "wire-1" },
      automatic_payment_methods: { enabled: true },
    });

    const other = await post("/v1/payment_intents", body.replace("1000", "1001"), headers);
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { type: "idempotency_error" } });
  });

  it("does not remember a request that failed validation, so a corrected retry may reuse its key", async () => {
    const headers = { "Idempotency-Key": key() };

    const missingCurrency = await post("/v1/payment_intents", "amount=1000", headers);
    expect(missingCurrency.status).toBe(400);
    expect(await missingCurrency.json()).toMatchObject({
      error: { type: "invalid_request_error", code: "parameter_missing", param: "currency" },
    });

    const corrected = await post("/v1/payment_intents", "amount=1000&currency=usd", headers);
    expect(corrected.status).toBe(200);
  });

  it("answers an unknown intent with Stripe's resource_missing error", async () => {
    const response = await fetch(`${fake.url}/v1/payment_intents/pi_nope`, { headers: { Authorization: "Bearer sk_test_fake" } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { type: "invalid_request_error", code: "resource_missing", param: "intent", message: "No such payment_intent: 'pi_nope'" },
    });
  });
});
