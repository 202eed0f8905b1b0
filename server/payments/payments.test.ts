import { eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paymentRefunds, payments, simPaymentIntents } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { walletBalances } from "@/server/ledger";
import { startTopUp } from "@/server/wallet/service";
import type { GatewayEvent } from "./gateway";
import { runReconciliation } from "./reconciliation";
import { getPayment, refundPayment, startPayment } from "./service";
import { createSimulatedGateway } from "./simulated-gateway";
import { createStripeGateway } from "./stripe-gateway";
import { startFakeStripe, type FakeStripe } from "./testing/fake-stripe-server";
import { processWebhook } from "./webhooks";
import { codeOf } from "@/server/testing/trpc";

const { db } = await createTestDatabase();
const SECRET = "whsec_payments_test";
/** Events the simulated provider sent, instead of queueing their delivery. */
const outbox: GatewayEvent[] = [];
const gateway = createSimulatedGateway(db, SECRET, async (_tx, event) => {
  outbox.push(event);
});

const key = () => crypto.randomUUID();
const SUCCESS = "4242424242424242";
const DECLINED = "4000000000000002";
const THREE_D_SECURE = "4000002500003155";

function take(): GatewayEvent[] {
  return outbox.splice(0, outbox.length);
}

async function deliver(events: GatewayEvent[]) {
  const results = [];
  for (const event of events) {
    const raw = JSON.stringify(event);
    results.push(await processWebhook(db, gateway, raw, gateway.signPayload(raw)));
  }
  return results;
}

async function pay(paymentId: string, card: string) {
  const payment = (await getPayment(db, paymentId))!;
  return gateway.confirmCard({
    intentId: payment.gatewayPaymentId!,
    clientSecret: payment.clientSecret!,
    cardNumber: card,
    cardLast4: card.slice(-4),
  });
}

describe("card top-ups", () => {
  it("stay pending until the webhook confirms them, then credit exactly once", async () => {
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 2_000, idempotencyKey: key() });
    expect(topUp).toMatchObject({ status: "pending", amount: 2_000, gateway: "simulated" });
    expect((await pay(topUp.id, SUCCESS)).status).toBe("succeeded");
    expect(await walletBalances(db, user.id)).toEqual({ available: 0, held: 0, current: 0 });
    expect((await getPayment(db, topUp.id))?.status).toBe("pending");

    const events = take();
    expect(events.map((e) => e.type)).toEqual(["payment_intent.succeeded"]);
    expect((await deliver(events))[0]).toEqual({ status: 200, body: { received: true, outcome: "processed" } });
    expect((await getPayment(db, topUp.id))?.status).toBe("succeeded");
    expect(await walletBalances(db, user.id)).toEqual({ available: 2_000, held: 0, current: 2_000 });
  });

  it("a declined card credits nothing and says why; another card on the same payment then succeeds", async () => {
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 1_500, idempotencyKey: key() });
    const declined = await pay(topUp.id, DECLINED);
    expect(declined).toMatchObject({ status: "requires_payment_method", lastPaymentError: "Your card was declined." });
    await deliver(take());
    expect(await getPayment(db, topUp.id)).toMatchObject({ status: "failed", failureMessage: "Your card was declined." });
    expect((await walletBalances(db, user.id)).available).toBe(0);

    await pay(topUp.id, SUCCESS);
    await deliver(take());
    expect((await getPayment(db, topUp.id))?.status).toBe("succeeded");
    expect((await walletBalances(db, user.id)).available).toBe(1_500);
  });

  it("a card that needs the bank's confirmation succeeds only once approved", async () => {
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 700, idempotencyKey: key() });
    expect((await pay(topUp.id, THREE_D_SECURE)).status).toBe("requires_action");
    expect(take()).toEqual([]);
    const payment = (await getPayment(db, topUp.id))!;
    await gateway.completeAuthentication({ intentId: payment.gatewayPaymentId!, clientSecret: payment.clientSecret!, approve: true });
    await deliver(take());
    expect((await walletBalances(db, user.id)).available).toBe(700);
  });

  it("500 simultaneous starts with one key: one payment, one payment intent, identical answers", async () => {
    const user = await createUser(db);
    const idempotencyKey = key();
    const answers = await Promise.all(
      Array.from({ length: 500 }, () => startTopUp(db, gateway, { userId: user.id, amount: 5_000, idempotencyKey })),
    );
    const distinct = new Set(answers.map((a) => JSON.stringify(a)));
    expect(distinct.size).toBe(1);
    const rows = await db.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
    expect(rows).toHaveLength(1);
    const intents = await db.select().from(simPaymentIntents).where(sql`${simPaymentIntents.metadata}->>'paymentId' = ${rows[0]!.id}`);
    expect(intents).toHaveLength(1);
    expect(answers[0]!.gatewayPaymentId).toBe(intents[0]!.id);
  });

  it("the same key with a different amount is CONFLICT and writes nothing", async () => {
    const user = await createUser(db);
    const idempotencyKey = key();
    await startTopUp(db, gateway, { userId: user.id, amount: 1_000, idempotencyKey });
    const [before] = await db.execute<{ payments: number; intents: number }>(
      sql`select (select count(*) from payments)::int as payments, (select count(*) from sim_payment_intents)::int as intents`,
    );
    expect(await codeOf(startTopUp(db, gateway, { userId: user.id, amount: 1_100, idempotencyKey }))).toBe("CONFLICT");
    const other = await createUser(db);
    expect(await codeOf(startTopUp(db, gateway, { userId: other.id, amount: 1_000, idempotencyKey }))).toBe("CONFLICT");
    const [after] = await db.execute<{ payments: number; intents: number }>(
      sql`select (select count(*) from payments)::int as payments, (select count(*) from sim_payment_intents)::int as intents`,
    );
    expect(after).toEqual(before);
  });
});

describe("webhooks", () => {
  /** Everything money-related for one user, in a form two scenarios can be compared by. */
  async function snapshot(userIds: string[], paymentIds: string[]) {
    const balances = await Promise.all(userIds.map((id) => walletBalances(db, id)));
    const states = await Promise.all(
      paymentIds.map(async (id) => {
        const payment = (await getPayment(db, id))!;
        const refunds = await db
          .select({ amount: paymentRefunds.amount, status: paymentRefunds.status })
          .from(paymentRefunds)
          .where(eq(paymentRefunds.paymentId, id));
        return { status: payment.status, failure: payment.failureMessage, refunds };
      }),
    );
    const [entries] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from ledger_entries e join ledger_accounts a on a.id = e.account_id where a.user_id = any(${sql.raw(`array[${userIds.map((id) => `'${id}'::uuid`).join(",")}]`)})`);
    return { balances, states, entries: entries?.n };
  }

  /** Two users, four payments: paid, declined-then-paid, declined and cancelled, paid then half refunded. */
  async function scenario(delivery: (events: GatewayEvent[]) => Promise<void>) {
    const alice = await createUser(db);
    const bob = await createUser(db);
    const p1 = await startTopUp(db, gateway, { userId: alice.id, amount: 3_000, idempotencyKey: key() });
    await pay(p1.id, SUCCESS);
    const p2 = await startTopUp(db, gateway, { userId: alice.id, amount: 1_000, idempotencyKey: key() });
    await pay(p2.id, DECLINED);
    await pay(p2.id, SUCCESS);
    const p3 = await startTopUp(db, gateway, { userId: bob.id, amount: 2_000, idempotencyKey: key() });
    await pay(p3.id, DECLINED);
    await gateway.cancelPaymentIntent((await getPayment(db, p3.id))!.gatewayPaymentId!, key());
    const p4 = await startTopUp(db, gateway, { userId: bob.id, amount: 4_000, idempotencyKey: key() });
    await pay(p4.id, SUCCESS);
    // The refund needs the top-up credited first, as in life: deliver what exists so far in order.
    const early = take();
    await deliver(early);
    await refundPayment(db, gateway, { paymentId: p4.id, amount: 2_000, idempotencyKey: key(), reason: "Asked for it back" });
    const late = take();
    await delivery([...early, ...late]);
    return snapshot([alice.id, bob.id], [p1.id, p2.id, p3.id, p4.id]);
  }

  it("every event three times in shuffled order leaves the same ledger as one in-order delivery", async () => {
    const inOrder = await scenario(async (events) => {
      const results = await deliver(events);
      expect(results.every((r) => r.status === 200)).toBe(true);
    });
    const shuffled = await scenario(async (events) => {
      const copies = [...events, ...events, ...events];
      for (let i = copies.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [copies[i], copies[j]] = [copies[j]!, copies[i]!];
      }
      const results = await deliver(copies);
      expect(results.every((r) => r.status === 200)).toBe(true);
    });
    expect(shuffled).toEqual(inOrder);
    expect(inOrder.balances).toEqual([
      { available: 4_000, held: 0, current: 4_000 },
      { available: 2_000, held: 0, current: 2_000 },
    ]);
    expect(inOrder.states.map((s) => s.status)).toEqual(["succeeded", "succeeded", "canceled", "succeeded"]);
    expect(inOrder.states[3]!.refunds).toEqual([{ amount: 2_000, status: "succeeded" }]);
  });

  it("a bad signature, or a timestamp older than five minutes, gets 400 and changes nothing", async () => {
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 900, idempotencyKey: key() });
    await pay(topUp.id, SUCCESS);
    const [event] = take();
    const raw = JSON.stringify(event);
    const forged = new Stripe("sk_test_x").webhooks.generateTestHeaderString({ payload: raw, secret: "whsec_wrong" });
    const stale = gateway.signPayload(raw, Math.floor(Date.now() / 1000) - 301);
    const tampered = raw.replace('"amount":900', '"amount":90000');
    for (const [body, signature] of [
      [raw, forged],
      [raw, stale],
      [tampered, gateway.signPayload(raw)],
      [raw, null],
    ] as const) {
      expect((await processWebhook(db, gateway, body, signature)).status).toBe(400);
    }
    expect((await getPayment(db, topUp.id))?.status).toBe("pending");
    expect((await walletBalances(db, user.id)).available).toBe(0);
    const [seen] = await db.execute<{ n: number }>(sql`select count(*)::int as n from gateway_events where id = ${event!.id}`);
    expect(seen?.n).toBe(0);
    expect((await processWebhook(db, gateway, raw, gateway.signPayload(raw))).status).toBe(200);
    expect((await walletBalances(db, user.id)).available).toBe(900);
  });
});

describe("a crash between charging and recording", () => {
  /** Phase one committed, the provider charged, then the process died: no provider id was recorded. */
  async function chargedButNotRecorded(amount: number) {
    const user = await createUser(db);
    const [payment] = await db
      .insert(payments)
      .values({ userId: user.id, purpose: "wallet_topup", amount, idempotencyKey: key(), gateway: "simulated" })
      .returning();
    const intent = await gateway.createPaymentIntent({
      amount,
      currency: "usd",
      idempotencyKey: `payment:${payment!.id}`,
      description: "Top-up",
      metadata: { paymentId: payment!.id, userId: user.id, purpose: "wallet_topup" },
    });
    await gateway.confirmCard({ intentId: intent.id, clientSecret: intent.clientSecret!, cardNumber: SUCCESS, cardLast4: "4242" });
    return { user, payment: payment! };
  }

  it("the webhook finds the payment by its metadata and credits exactly once", async () => {
    const { user, payment } = await chargedButNotRecorded(1_200);
    const events = take();
    await deliver([...events, ...events]);
    expect(await getPayment(db, payment.id)).toMatchObject({ status: "succeeded", gatewayPaymentId: expect.stringMatching(/^pi_sim_/) });
    expect((await walletBalances(db, user.id)).available).toBe(1_200);
  });

  it("when the webhook is lost too, reconciliation credits exactly once, and a late webhook changes nothing", async () => {
    const { user, payment } = await chargedButNotRecorded(3_300);
    const lost = take();
    const first = await runReconciliation(db, gateway, { trigger: "test" });
    expect(first.mismatches).toContainEqual(
      expect.objectContaining({ kind: "paid_not_credited", paymentId: payment.id, expected: 3_300, repaired: true }),
    );
    expect((await walletBalances(db, user.id)).available).toBe(3_300);
    const second = await runReconciliation(db, gateway, { trigger: "test" });
    expect(second.mismatches.filter((m) => m.paymentId === payment.id)).toEqual([]);
    await deliver(lost);
    expect((await walletBalances(db, user.id)).available).toBe(3_300);
  });

  it("reconciliation lists credited-but-not-paid and refund differences without touching money", async () => {
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 2_500, idempotencyKey: key() });
    await pay(topUp.id, SUCCESS);
    await deliver(take());
    // Someone changes the provider's record behind our back (a dispute, a manual refund…).
    await db
      .update(simPaymentIntents)
      .set({ status: "canceled" })
      .where(eq(simPaymentIntents.id, (await getPayment(db, topUp.id))!.gatewayPaymentId!));
    const run = await runReconciliation(db, gateway, { trigger: "test" });
    expect(run.mismatches).toContainEqual(
      expect.objectContaining({ kind: "credited_not_paid", paymentId: topUp.id, expected: 0, actual: 2_500, repaired: false }),
    );
    expect((await walletBalances(db, user.id)).available).toBe(2_500);
  });
});

describe("refunds to the card", () => {
  it("take the money out of the wallet at once and never exceed what was paid", async () => {
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 5_000, idempotencyKey: key() });
    await pay(topUp.id, SUCCESS);
    await deliver(take());
    const refundKey = key();
    const refund = await refundPayment(db, gateway, {
      paymentId: topUp.id,
      amount: 3_000,
      idempotencyKey: refundKey,
      reason: "Player asked",
    });
    expect(refund.status).toBe("succeeded");
    expect((await walletBalances(db, user.id)).available).toBe(2_000);
    // The same request again is the same refund; more than what is left is refused in words.
    expect(
      (await refundPayment(db, gateway, { paymentId: topUp.id, amount: 3_000, idempotencyKey: refundKey, reason: "Player asked" })).id,
    ).toBe(refund.id);
    await expect(
      refundPayment(db, gateway, { paymentId: topUp.id, amount: 2_001, idempotencyKey: key(), reason: "Too much" }),
    ).rejects.toThrow("At most $20.00 of this payment can still be refunded.");
    await deliver(take());
    expect((await walletBalances(db, user.id)).available).toBe(2_000);
  });

  it("refuse a refund the wallet can no longer cover", async () => {
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 1_000, idempotencyKey: key() });
    await pay(topUp.id, SUCCESS);
    await deliver(take());
    const { debit, eventEscrowAccount } = await import("@/server/ledger");
    await debit(db, {
      userId: user.id,
      amount: 800,
      toAccountId: await eventEscrowAccount(db, crypto.randomUUID()),
      category: "entry_fee",
      description: "Fee",
      idempotencyKey: key(),
    });
    expect(await codeOf(refundPayment(db, gateway, { paymentId: topUp.id, amount: 1_000, idempotencyKey: key(), reason: "Spent" }))).toBe(
      "BAD_REQUEST",
    );
    expect((await walletBalances(db, user.id)).available).toBe(200);
  });
});

describe("with Stripe (official SDK against a local Stripe-compatible server)", () => {
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("a top-up goes from intent to credit through a signed webhook, once", async () => {
    const stripeGateway = createStripeGateway({
      secretKey: "sk_test_driftwood",
      webhookSecret: SECRET,
      host: fake.host,
      port: fake.port,
      protocol: "http",
    });
    const user = await createUser(db);
    const idempotencyKey = key();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        startPayment(db, stripeGateway, { userId: user.id, purpose: "wallet_topup", amount: 2_000, idempotencyKey, description: "Top-up" }),
      ),
    );
    expect(new Set(answers.map((a) => a.gatewayPaymentId)).size).toBe(1);
    expect(fake.intents().filter((i) => i.metadata.paymentId === answers[0]!.id)).toHaveLength(1);

    const intentId = answers[0]!.gatewayPaymentId!;
    fake.confirm(intentId, "succeeded");
    const intent = fake.intents().find((i) => i.id === intentId)!;
    const raw = JSON.stringify({
      id: `evt_${key()}`,
      object: "event",
      type: "payment_intent.succeeded",
      created: Math.floor(Date.now() / 1000),
      data: { object: intent },
    });
    const signature = new Stripe("sk_test_x").webhooks.generateTestHeaderString({ payload: raw, secret: SECRET });
    expect((await processWebhook(db, stripeGateway, raw, signature)).status).toBe(200);
    expect((await processWebhook(db, stripeGateway, raw, signature)).body.outcome).toBe("duplicate");
    expect((await walletBalances(db, user.id)).available).toBe(2_000);

    const refund = await refundPayment(db, stripeGateway, {
      paymentId: answers[0]!.id,
      amount: 500,
      idempotencyKey: key(),
      reason: "Partial",
    });
    expect(refund.status).toBe("succeeded");
    expect(fake.refunds().map((r) => r.amount)).toContain(500);
    expect((await walletBalances(db, user.id)).available).toBe(1_500);
  });
});
