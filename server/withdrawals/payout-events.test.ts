import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withdrawals } from "@/db/schema/withdrawals";
import { createTestDatabase } from "@/db/testing/database";
import { accountBalance, platformAccount, walletBalances } from "@/server/ledger";
import type { GatewayEvent, GatewayPayout, PayoutStatus } from "@/server/payments/gateway";
import { handleGatewayEvent } from "@/server/payments/service";
import { payoutToWire } from "@/server/payments/stripe-shapes";
import { createUser } from "@/server/testing/factories";
import { decideWithdrawals } from "./decisions";
import { requestWithdrawal } from "./requests";
import { fundWallet, givePayoutAccount } from "./testing";

const database = await createTestDatabase();
const { db } = database;

const FUNDS = 500_00;

async function approvedWithdrawal(amount: number) {
  const user = await createUser(db);
  await givePayoutAccount(db, user.id);
  await fundWallet(db, user.id, FUNDS);
  const made = await requestWithdrawal(db, { userId: user.id, amount, idempotencyKey: crypto.randomUUID(), requestIp: null });
  expect(made.status).toBe("approved");
  return { user, withdrawal: made };
}

function payoutEvent(id: string, payout: GatewayPayout, status: PayoutStatus): GatewayEvent {
  const type = status === "pending" ? "payout.created" : status === "in_transit" ? "payout.updated" : `payout.${status}`;
  return {
    id,
    type,
    created: 0,
    data: { object: payoutToWire({ ...payout, status, failureMessage: status === "failed" ? "Account closed" : null }) },
  };
}

async function platformBalances() {
  const [payable, revenue, clearing] = await Promise.all(
    (["withdrawals_payable", "fee_revenue", "card_clearing"] as const).map(async (kind) =>
      accountBalance(db, await platformAccount(db, kind)),
    ),
  );
  return { payable: payable!, revenue: revenue!, clearing: clearing! };
}

/** What the gateway may really do to a payout, in order. */
const HISTORIES: PayoutStatus[][] = [
  ["pending", "in_transit", "paid"],
  ["pending", "in_transit", "failed"],
  ["pending", "paid", "failed"],
  ["failed"],
  ["pending"],
];

describe("payout webhooks, twice and out of order", () => {
  it("end in the same withdrawal and the same balances as each event once, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HISTORIES),
        fc.integer({ min: 10_00, max: 400_00 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (history, amount, copies, randoms) => {
          const { user, withdrawal } = await approvedWithdrawal(amount);
          const payout: GatewayPayout = {
            id: `po_test_${crypto.randomUUID()}`,
            amount,
            currency: "usd",
            status: "pending",
            destination: "ba_test",
            connectedAccountId: null,
            metadata: { withdrawalId: withdrawal.id },
            failureMessage: null,
            arrivalDate: null,
            created: 0,
          };
          const events = history.map((status, i) => payoutEvent(`evt_${crypto.randomUUID()}_${i}`, payout, status));
          const before = await platformBalances();
          const deliveries = events.flatMap((event, i) => Array.from({ length: copies[i]! }, () => event));
          const order = deliveries.map((event) => ({ event, at: randoms.next().value as number })).sort((a, b) => a.at - b.at);
          const outcomes = [];
          for (const { event } of order) outcomes.push(await handleGatewayEvent(db, event));
          expect(outcomes.filter((o) => o === "processed")).toHaveLength(events.length);

          const final = history.at(-1)!;
          const [row] = await db.select().from(withdrawals).where(eq(withdrawals.id, withdrawal.id));
          const after = await platformBalances();
          const delta = {
            payable: after.payable - before.payable,
            revenue: after.revenue - before.revenue,
            clearing: after.clearing - before.clearing,
          };
          if (final === "failed") {
            expect(row!.status).toBe("failed");
            expect(await walletBalances(db, user.id)).toEqual({ available: FUNDS, held: 0, current: FUNDS });
            expect(delta).toEqual({ payable: 0, revenue: 0, clearing: 0 });
          } else if (final === "paid") {
            expect(row!.status).toBe("paid");
            expect(await walletBalances(db, user.id)).toEqual({
              available: FUNDS - amount - 1_00,
              held: 0,
              current: FUNDS - amount - 1_00,
            });
            expect(delta).toEqual({ payable: 0, revenue: 1_00, clearing: amount });
          } else {
            expect(row!.status).toBe("sent");
            expect(await walletBalances(db, user.id)).toEqual({
              available: FUNDS - amount - 1_00,
              held: 0,
              current: FUNDS - amount - 1_00,
            });
            expect(delta).toEqual({ payable: amount, revenue: 1_00, clearing: 0 });
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("a payout event for a request nobody approved moves nothing", async () => {
    const user = await createUser(db);
    await givePayoutAccount(db, user.id, { ageHours: 1 });
    await fundWallet(db, user.id, 100_00);
    const made = await requestWithdrawal(db, { userId: user.id, amount: 50_00, idempotencyKey: crypto.randomUUID(), requestIp: null });
    expect(made.status).toBe("requested");
    const payout: GatewayPayout = {
      id: "po_forged",
      amount: 50_00,
      currency: "usd",
      status: "paid",
      destination: null,
      connectedAccountId: null,
      metadata: { withdrawalId: made.id },
      failureMessage: null,
      arrivalDate: null,
      created: 0,
    };
    await handleGatewayEvent(db, payoutEvent(`evt_${crypto.randomUUID()}`, payout, "paid"));
    const [row] = await db.select().from(withdrawals).where(eq(withdrawals.id, made.id));
    expect(row!.status).toBe("requested");
    expect(await walletBalances(db, user.id)).toEqual({ available: 49_00, held: 51_00, current: 100_00 });
  });
});

describe("admin decisions", () => {
  it("a rejection gives amount and fee back once and tells why; an approval queues the payout; neither twice", async () => {
    const admin = await createUser(db, { role: "admin" });
    const user = await createUser(db);
    await givePayoutAccount(db, user.id, { ageHours: 1 });
    await fundWallet(db, user.id, 100_00);
    const a = await requestWithdrawal(db, { userId: user.id, amount: 20_00, idempotencyKey: crypto.randomUUID(), requestIp: null });
    const b = await requestWithdrawal(db, { userId: user.id, amount: 30_00, idempotencyKey: crypto.randomUUID(), requestIp: null });
    expect(await walletBalances(db, user.id)).toEqual({ available: 48_00, held: 52_00, current: 100_00 });
    expect(await decideWithdrawals(db, admin, [a.id], { kind: "reject", reason: "The holder name does not match." })).toEqual({
      decided: [a.id],
      skipped: [],
    });
    expect(await walletBalances(db, user.id)).toEqual({ available: 69_00, held: 31_00, current: 100_00 });
    const again = await decideWithdrawals(db, admin, [a.id, b.id], { kind: "approve" });
    expect(again).toEqual({ decided: [b.id], skipped: [{ id: a.id, reason: "It is already rejected." }] });
    expect(await walletBalances(db, user.id)).toEqual({ available: 69_00, held: 31_00, current: 100_00 });
    const [rejected] = await db.select().from(withdrawals).where(eq(withdrawals.id, a.id));
    expect(rejected).toMatchObject({ status: "rejected", decidedBy: admin.id, decisionReason: "The holder name does not match." });
    await givePayoutAccount(db, admin.id, { ageHours: 1 });
    await fundWallet(db, admin.id, 100_00);
    const mine = await requestWithdrawal(db, { userId: admin.id, amount: 20_00, idempotencyKey: crypto.randomUUID(), requestIp: null });
    const own = await decideWithdrawals(db, admin, [mine.id], { kind: "approve" });
    expect(own).toEqual({ decided: [], skipped: [{ id: mine.id, reason: "Nobody may decide their own withdrawal." }] });
  });
});
