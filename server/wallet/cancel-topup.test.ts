import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { walletBalances } from "@/server/ledger";
import type { GatewayEvent } from "@/server/payments/gateway";
import { runReconciliation } from "@/server/payments/reconciliation";
import { getPayment, startPayment } from "@/server/payments/service";
import { createSimulatedGateway } from "@/server/payments/simulated-gateway";
import { createStripeGateway } from "@/server/payments/stripe-gateway";
import { startFakeStripe, type FakeStripe } from "@/server/payments/testing/fake-stripe-server";
import { processWebhook } from "@/server/payments/webhooks";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { cancelTopUp, startTopUp, walletOverview } from "./service";

const { db } = await createTestDatabase();
const SECRET = "whsec_cancel_topup_test";
/** Events the simulated provider sent, delivered by the test through the real webhook path. */
const outbox: GatewayEvent[] = [];
const gateway = createSimulatedGateway(db, SECRET, async (_tx, event) => {
  outbox.push(event);
});
const key = () => crypto.randomUUID();
const SUCCESS = "4242424242424242";

async function deliverAll() {
  for (const event of outbox.splice(0, outbox.length)) {
    const raw = JSON.stringify(event);
    await processWebhook(db, gateway, raw, gateway.signPayload(raw));
  }
}

async function charge(paymentId: string) {
  const payment = (await getPayment(db, paymentId))!;
  return gateway.confirmCard({
    intentId: payment.gatewayPaymentId!,
    clientSecret: payment.clientSecret!,
    cardNumber: SUCCESS,
    cardLast4: "4242",
  });
}

async function newTopUp(amount: number) {
  const user = await createUser(db);
  const topUp = await startTopUp(db, gateway, { userId: user.id, amount, idempotencyKey: key() });
  return { user, topUp };
}

/** Transfers balance, stored balances equal their entries: the ledger after every race. */
async function expectLedgerExact() {
  const [row] = await db.execute<{ unbalanced: number; drift: number }>(sql`
    select (select count(*)::int from (select transfer_id from ledger_entries group by transfer_id having sum(amount) <> 0) t) as unbalanced,
      (select count(*)::int from ledger_accounts a
       where a.balance is not null and a.balance <> (select coalesce(sum(amount), 0) from ledger_entries e where e.account_id = a.id)) as drift`);
  expect(row).toEqual({ unbalanced: 0, drift: 0 });
}

describe("cancelling an unfinished top-up", () => {
  it("the owner cancels it: cancelled at the card processor and here, gone from the unfinished list, nothing charged", async () => {
    const { user, topUp } = await newTopUp(2_000);
    expect((await walletOverview(db, user.id)).pendingTopUps.map((p) => p.id)).toContain(topUp.id);
    const answer = await cancelTopUp(db, gateway, user.id, topUp.id);
    expect(answer).toEqual({ status: "canceled", message: "The top-up of $20.00 was cancelled. Nothing was charged." });
    expect((await getPayment(db, topUp.id))?.status).toBe("canceled");
    expect((await gateway.retrievePaymentIntent(topUp.gatewayPaymentId!))?.status).toBe("canceled");
    expect((await walletOverview(db, user.id)).pendingTopUps.map((p) => p.id)).not.toContain(topUp.id);
    // The card step can no longer charge it.
    await charge(topUp.id);
    await deliverAll();
    expect((await getPayment(db, topUp.id))?.status).toBe("canceled");
    expect(await walletBalances(db, user.id)).toEqual({ available: 0, held: 0, current: 0 });
  });

  it("another player's top-up, a made-up id and an entry-fee payment are NOT_FOUND, and nothing changes", async () => {
    const { topUp } = await newTopUp(1_500);
    const other = await createUser(db);
    expect(await codeOf(cancelTopUp(db, gateway, other.id, topUp.id))).toBe("NOT_FOUND");
    expect(await codeOf(cancelTopUp(db, gateway, other.id, crypto.randomUUID()))).toBe("NOT_FOUND");
    expect(await codeOf(cancelTopUp(db, gateway, other.id, "not-a-uuid"))).toBe("NOT_FOUND");
    const fee = await startPayment(db, gateway, {
      userId: other.id,
      purpose: "registration",
      amount: 300,
      idempotencyKey: key(),
      description: "Entry fee",
    });
    expect(await codeOf(cancelTopUp(db, gateway, other.id, fee.id))).toBe("NOT_FOUND");
    expect((await getPayment(db, topUp.id))?.status).toBe("pending");
    expect((await gateway.retrievePaymentIntent(topUp.gatewayPaymentId!))?.status).toBe("requires_payment_method");
  });

  it("twice: the second answers like the first and changes nothing", async () => {
    const { user, topUp } = await newTopUp(1_000);
    const first = await cancelTopUp(db, gateway, user.id, topUp.id);
    await deliverAll();
    const second = await cancelTopUp(db, gateway, user.id, topUp.id);
    expect(second).toEqual(first);
    expect((await getPayment(db, topUp.id))?.status).toBe("canceled");
    expect((await walletBalances(db, user.id)).available).toBe(0);
  });

  it("a top-up already paid and credited is not cancelled: the answer says the money is in the wallet", async () => {
    const { user, topUp } = await newTopUp(2_500);
    await charge(topUp.id);
    await deliverAll();
    const answer = await cancelTopUp(db, gateway, user.id, topUp.id);
    expect(answer.status).toBe("succeeded");
    expect(answer.message).toBe("Your card was already charged for this top-up, so it could not be cancelled: $25.00 is in your wallet.");
    expect((await walletBalances(db, user.id)).available).toBe(2_500);
  });

  it("charged but the webhook not yet here: the cancel records the charge and credits once; the late webhook changes nothing", async () => {
    const { user, topUp } = await newTopUp(3_000);
    await charge(topUp.id);
    const answer = await cancelTopUp(db, gateway, user.id, topUp.id);
    expect(answer.status).toBe("succeeded");
    expect((await getPayment(db, topUp.id))?.status).toBe("succeeded");
    expect((await walletBalances(db, user.id)).available).toBe(3_000);
    await deliverAll();
    expect((await walletBalances(db, user.id)).available).toBe(3_000);
    await expectLedgerExact();
  });

  it("a cancel racing the card's success and its webhook never loses money: each top-up ends cancelled with 0, or paid with its amount", async () => {
    const amounts = [1_000, 1_100, 1_200, 1_300, 1_400, 1_500, 1_600, 1_700, 1_800, 1_900];
    const raced = await Promise.all(amounts.map((amount) => newTopUp(amount)));
    const answers = await Promise.all(
      raced.map(async ({ user, topUp }) => {
        const [answer] = await Promise.all([
          cancelTopUp(db, gateway, user.id, topUp.id),
          charge(topUp.id).then(() => deliverAll()),
          cancelTopUp(db, gateway, user.id, topUp.id),
        ]);
        return answer;
      }),
    );
    await deliverAll();
    for (const [i, { user, topUp }] of raced.entries()) {
      const payment = (await getPayment(db, topUp.id))!;
      const intent = (await gateway.retrievePaymentIntent(topUp.gatewayPaymentId!))!;
      const balance = await walletBalances(db, user.id);
      // Our record agrees with the card processor, and the wallet with our record.
      expect(payment.status).toBe(intent.status === "succeeded" ? "succeeded" : "canceled");
      expect(balance).toEqual(
        payment.status === "succeeded" ? { available: amounts[i], held: 0, current: amounts[i] } : { available: 0, held: 0, current: 0 },
      );
      // The answer the player got is how it ended: a cancel that lost the race says the money is in the wallet.
      expect(answers[i]!.status).toBe(payment.status);
    }
    await expectLedgerExact();
    const run = await runReconciliation(db, gateway, { trigger: "test" });
    expect(run.mismatches.filter((m) => raced.some((r) => r.topUp.id === m.paymentId))).toEqual([]);
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

  it("cancels an unpaid intent, and a charged one is credited instead", async () => {
    const stripe = createStripeGateway({
      secretKey: "sk_test_driftwood",
      webhookSecret: SECRET,
      host: fake.host,
      port: fake.port,
      protocol: "http",
    });
    const user = await createUser(db);
    const unpaid = await startTopUp(db, stripe, { userId: user.id, amount: 1_000, idempotencyKey: key() });
    expect((await cancelTopUp(db, stripe, user.id, unpaid.id)).status).toBe("canceled");
    expect(fake.intents().find((i) => i.id === unpaid.gatewayPaymentId)?.status).toBe("canceled");
    expect((await cancelTopUp(db, stripe, user.id, unpaid.id)).status).toBe("canceled");

    const paid = await startTopUp(db, stripe, { userId: user.id, amount: 2_000, idempotencyKey: key() });
    fake.confirm(paid.gatewayPaymentId!, "succeeded");
    expect((await cancelTopUp(db, stripe, user.id, paid.id)).status).toBe("succeeded");
    expect((await walletBalances(db, user.id)).available).toBe(2_000);
    await expectLedgerExact();
  });
});
