import { eq, sql } from "drizzle-orm";
import type { JobHelpers } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { simBankAccounts, simPayouts } from "@/db/schema/payments-simulated-gateway";
import { createTestDatabase } from "@/db/testing/database";
import { type BankAccountDetails, type GatewayEvent, type GatewayPayout, GatewayRequestError } from "./gateway";
import { paymentsJobHandlers } from "./jobs";
import { createSimulatedGateway, SETTLE_PAYOUT_TASK } from "./simulated-gateway";
import { payoutFromWire } from "./stripe-shapes";
import { TEST_BANK_ACCOUNTS } from "./test-bank-accounts";

const { db } = await createTestDatabase();
const ARRIVAL_DELAY_MS = 90_000;
/** Events the simulated provider sent, instead of queueing their delivery. */
const outbox: GatewayEvent[] = [];
const gateway = createSimulatedGateway(
  db,
  "whsec_simulated_payouts_test",
  async (_tx, event) => {
    outbox.push(event);
  },
  { payoutArrivalDelayMs: ARRIVAL_DELAY_MS },
);

const key = () => crypto.randomUUID();
const take = () => outbox.splice(0, outbox.length);

function testAccount(label: RegExp): BankAccountDetails {
  const account = TEST_BANK_ACCOUNTS.find((candidate) => label.test(candidate.label))!;
  return {
    holderName: "Rin Tezuka",
    country: account.country,
    currency: account.currency,
    iban: account.iban,
    accountNumber: account.accountNumber,
    routingNumber: account.routingNumber,
  };
}
const US_SUCCEEDS = testAccount(/^US account, payouts arrive/);
const US_CLOSED = testAccount(/^US account, payouts fail/);
const IBAN_SUCCEEDS = testAccount(/^German IBAN, payouts arrive/);
const IBAN_UNKNOWN = testAccount(/^German IBAN, payouts fail/);

function register(details: BankAccountDetails, idempotencyKey = key()) {
  return gateway.registerBankAccount({ userId: key(), email: "rin@example.test", connectedAccountId: null, details, idempotencyKey });
}

async function payout(destination: string, input: { amount?: number; idempotencyKey?: string; metadata?: Record<string, string> } = {}) {
  return gateway.createPayout({
    amount: input.amount ?? 2_500,
    currency: "usd",
    connectedAccountId: null,
    externalAccountId: destination,
    idempotencyKey: input.idempotencyKey ?? key(),
    metadata: input.metadata ?? { withdrawalId: key() },
  });
}

/** The event as the webhook would receive it: signed by the gateway, verified and parsed back. */
function received(event: GatewayEvent) {
  const raw = JSON.stringify(event);
  const verified = gateway.constructEvent(raw, gateway.signPayload(raw));
  return { type: verified.type, payout: payoutFromWire(verified.data.object, verified.account) };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayRequestError> {
  const error = await promise.then(
    () => new Error("expected the call to fail"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayRequestError);
  return error as GatewayRequestError;
}

describe("simulated bank accounts", () => {
  it("registers once per key, keeping the last four characters and a bank named for the country, never the number", async () => {
    const idempotencyKey = key();
    const first = await register(IBAN_SUCCEEDS, idempotencyKey);
    const again = await register(IBAN_SUCCEEDS, idempotencyKey);

    expect(first).toEqual({
      connectedAccountId: null,
      externalAccountId: expect.stringMatching(/^ba_sim_/),
      bankName: "Test Bank (DE)",
      last4: "3000",
    });
    expect(again).toEqual(first);
    const rows = await db.select().from(simBankAccounts).where(eq(simBankAccounts.idempotencyKey, idempotencyKey));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(IBAN_SUCCEEDS.iban!.slice(4));

    const us = await register(US_SUCCEEDS);
    expect(us).toMatchObject({ bankName: "Test Bank (US)", last4: "6789" });
    expect(us.externalAccountId).not.toBe(first.externalAccountId);
  });

  it("marks Stripe's failing test numbers, and only those, as failing at payout", async () => {
    const failsAtPayout = async (details: BankAccountDetails) => {
      const { externalAccountId } = await register(details);
      const [row] = await db.select().from(simBankAccounts).where(eq(simBankAccounts.id, externalAccountId));
      return row!.failsAtPayout;
    };
    expect(await failsAtPayout(US_CLOSED)).toBe("The bank account has been closed.");
    expect(await failsAtPayout(IBAN_UNKNOWN)).toBe("The bank account could not be found.");
    expect(await failsAtPayout(US_SUCCEEDS)).toBeNull();
    expect(await failsAtPayout(IBAN_SUCCEEDS)).toBeNull();
    expect(await failsAtPayout({ ...US_SUCCEEDS, accountNumber: "000987654321" })).toBeNull();
  });
});

describe("simulated payouts", () => {
  it("sends one payout per key, in transit with an arrival tomorrow, and queues its arrival after the gateway's delay", async () => {
    const { externalAccountId } = await register(US_SUCCEEDS);
    const idempotencyKey = key();
    const metadata = { withdrawalId: key() };
    take();

    const before = Date.now();
    const sent = await payout(externalAccountId, { idempotencyKey, metadata });
    const replay = await payout(externalAccountId, { idempotencyKey, metadata });

    expect(sent).toEqual({
      id: expect.stringMatching(/^po_sim_/),
      amount: 2_500,
      currency: "usd",
      status: "in_transit",
      destination: externalAccountId,
      connectedAccountId: null,
      metadata,
      failureMessage: null,
      arrivalDate: expect.any(Number),
      created: expect.any(Number),
    });
    expect(Math.abs(sent.arrivalDate! - (before / 1000 + 86_400))).toBeLessThan(60);
    expect(replay).toEqual(sent);
    expect(await db.select().from(simPayouts).where(eq(simPayouts.idempotencyKey, idempotencyKey))).toHaveLength(1);
    expect(take().map(received)).toEqual([{ type: "payout.created", payout: sent }]);

    const jobs = await db.execute<{ run_at: Date }>(
      sql`select run_at from graphile_worker.jobs where task_identifier = ${SETTLE_PAYOUT_TASK} and key = ${`${SETTLE_PAYOUT_TASK}:${sent.id}`}`,
    );
    expect(jobs).toHaveLength(1);
    const delay = new Date(jobs[0]!.run_at).getTime() - before;
    expect(delay).toBeGreaterThanOrEqual(ARRIVAL_DELAY_MS - 1_000);
    expect(delay).toBeLessThan(ARRIVAL_DELAY_MS + 30_000);
  });

  it("gives one payout to many simultaneous requests with one key", async () => {
    const { externalAccountId } = await register(IBAN_SUCCEEDS);
    const idempotencyKey = key();
    const metadata = { withdrawalId: key() };
    take();

    const answers = await Promise.all(Array.from({ length: 20 }, () => payout(externalAccountId, { idempotencyKey, metadata })));

    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await db.select().from(simPayouts).where(eq(simPayouts.idempotencyKey, idempotencyKey))).toHaveLength(1);
    expect(take().map((event) => event.type)).toEqual(["payout.created"]);
  });

  it("refuses the same key with other parameters, and an unknown destination, creating nothing", async () => {
    const { externalAccountId } = await register(US_SUCCEEDS);
    const idempotencyKey = key();
    const metadata = { withdrawalId: key() };
    await payout(externalAccountId, { idempotencyKey, metadata, amount: 1_000 });
    take();

    expect((await refusal(payout(externalAccountId, { idempotencyKey, metadata, amount: 1_001 }))).kind).toBe("idempotency");
    const unknown = await refusal(payout("ba_sim_nobody"));
    expect(unknown.kind).toBe("invalid_request");
    expect(unknown.message).toMatch(/No such external account/);

    const [count] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from sim_payouts where idempotency_key = ${idempotencyKey} or destination = 'ba_sim_nobody'`,
    );
    expect(count!.n).toBe(1);
    expect(take()).toEqual([]);
  });

  it("settles a payout to a good account as paid, with its signed event, once", async () => {
    const { externalAccountId } = await register(IBAN_SUCCEEDS);
    const sent = await payout(externalAccountId);
    take();

    const paid = await gateway.settlePayout(sent.id);
    expect(paid).toMatchObject({ id: sent.id, status: "paid", failureMessage: null });
    expect(take().map(received)).toEqual([{ type: "payout.paid", payout: paid }]);
    expect(await gateway.retrievePayout(sent.id, null)).toEqual(paid);

    expect(await gateway.settlePayout(sent.id)).toEqual(paid);
    expect(take()).toEqual([]);
  });

  it("settles a payout to a failing test account as failed with the bank's words, once", async () => {
    for (const [details, message] of [
      [US_CLOSED, "The bank account has been closed."],
      [IBAN_UNKNOWN, "The bank account could not be found."],
    ] as const) {
      const { externalAccountId } = await register(details);
      const sent = await payout(externalAccountId);
      take();

      const failed = await gateway.settlePayout(sent.id);
      expect(failed).toMatchObject({ id: sent.id, status: "failed", failureMessage: message });
      expect(take().map(received)).toEqual([{ type: "payout.failed", payout: failed }]);

      expect(await gateway.settlePayout(sent.id)).toEqual(failed);
      expect(take()).toEqual([]);
    }
  });

  it("settles through the arrival job on the simulated gateway, and the job does nothing on Stripe", async () => {
    const { externalAccountId } = await register(US_SUCCEEDS);
    const sent = await payout(externalAccountId);
    take();
    const handler = paymentsJobHandlers.handlers.find((candidate) => candidate.task === SETTLE_PAYOUT_TASK)!;
    const helpers = {} as JobHelpers;

    const stripeLike = { ...gateway, name: "stripe" as const, settlePayout: () => Promise.reject(new Error("must not be called")) };
    await handler.perform({ db, gateway: stripeLike }, { payoutId: sent.id }, helpers);
    expect((await gateway.retrievePayout(sent.id, null))?.status).toBe("in_transit");

    await handler.perform({ db, gateway }, { payoutId: sent.id }, helpers);
    expect((await gateway.retrievePayout(sent.id, null))?.status).toBe("paid");
    expect(take().map((event) => event.type)).toEqual(["payout.paid"]);
  });

  it("lists the payouts created since a moment, newest first; retrieves null for an unknown id", async () => {
    const { externalAccountId } = await register(US_SUCCEEDS);
    const old = await payout(externalAccountId);
    await db
      .update(simPayouts)
      .set({ createdAt: new Date(Date.now() - 2 * 3_600_000) })
      .where(eq(simPayouts.id, old.id));
    const since = new Date(Date.now() - 3_600_000);
    const recent: GatewayPayout[] = [];
    for (let i = 0; i < 3; i++) recent.push(await payout(externalAccountId, { amount: 1_000 + i }));

    const listed: GatewayPayout[] = [];
    for await (const item of gateway.listPayouts({ createdAfter: since, connectedAccountIds: [] })) listed.push(item);

    const mine = listed.filter((item) => item.destination === externalAccountId);
    expect(mine.map((item) => item.id)).toEqual(recent.map((item) => item.id).reverse());
    expect(listed.map((item) => item.id)).not.toContain(old.id);
    expect(await gateway.retrievePayout("po_sim_nothing", null)).toBeNull();
  });
});
