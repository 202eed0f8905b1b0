import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { simPayouts } from "@/db/schema/payments-simulated-gateway";
import { withdrawals } from "@/db/schema/withdrawals";
import { createTestDatabase } from "@/db/testing/database";
import { accountBalance, platformAccount, walletBalances } from "@/server/ledger";
import type { GatewayEvent } from "@/server/payments/gateway";
import { runReconciliation } from "@/server/payments/reconciliation";
import { handleGatewayEvent } from "@/server/payments/service";
import { createSimulatedGateway } from "@/server/payments/simulated-gateway";
import { createUser } from "@/server/testing/factories";
import { openPayoutAccount } from "./payout-accounts";
import { payoutKey, sendPayout } from "./payouts";
import { requestWithdrawal } from "./requests";
import { fundWallet, givePayoutAccount } from "./testing";

const database = await createTestDatabase();
const { db } = database;

/** The simulated provider, its events kept here instead of delivered: each test delivers them when it wants. */
const produced: GatewayEvent[] = [];
const gateway = createSimulatedGateway(db, "whsec_payouts_test", async (_tx, event) => {
  produced.push(event);
});

const deliverAll = async () => {
  const outcomes = [];
  for (const event of produced.splice(0)) outcomes.push(await handleGatewayEvent(db, event));
  return outcomes;
};

/** A player whose bank account is registered with the simulated provider: a test number that succeeds, or one that fails at payout. */
async function playerWithBank(fails: boolean, funds = 200_00) {
  const user = await createUser(db);
  const bank = await gateway.registerBankAccount({
    userId: user.id,
    email: user.email,
    connectedAccountId: null,
    details: {
      holderName: "Test Holder",
      country: "DE",
      currency: "usd",
      iban: fails ? "DE62370400440532013001" : "DE89370400440532013000",
    },
    idempotencyKey: crypto.randomUUID(),
  });
  await givePayoutAccount(db, user.id, { externalAccountId: bank.externalAccountId, last4: bank.last4 });
  await fundWallet(db, user.id, funds);
  return user;
}

const ask = (userId: string, amount: number) =>
  requestWithdrawal(db, { userId, amount, idempotencyKey: crypto.randomUUID(), requestIp: null });

async function statusOf(id: string) {
  const [row] = await db.select().from(withdrawals).where(eq(withdrawals.id, id));
  return row!;
}

async function platform() {
  const kinds = ["withdrawals_payable", "fee_revenue", "card_clearing"] as const;
  const values = await Promise.all(kinds.map(async (kind) => accountBalance(db, await platformAccount(db, kind))));
  return { payable: values[0]!, revenue: values[1]!, clearing: values[2]! };
}

describe("paying a withdrawal out", () => {
  it("sent, then arrived: the hold becomes withdrawals payable and the fee revenue, then the amount moves to clearing", async () => {
    const user = await playerWithBank(false);
    const made = await ask(user.id, 50_00);
    const before = await platform();
    expect(await sendPayout(db, gateway, made.id)).toBe("sent");
    expect(await walletBalances(db, user.id)).toEqual({ available: 149_00, held: 0, current: 149_00 });
    let after = await platform();
    expect({ payable: after.payable - before.payable, revenue: after.revenue - before.revenue }).toEqual({ payable: 50_00, revenue: 1_00 });
    // The job again (a retry after a crash): the same payout, nothing moves twice.
    expect(await sendPayout(db, gateway, made.id)).toBe("sent");
    const payouts = [];
    for await (const payout of gateway.listPayouts({ createdAfter: new Date(Date.now() - 60_000), connectedAccountIds: [] })) {
      if (payout.metadata.withdrawalId === made.id) payouts.push(payout);
    }
    expect(payouts).toHaveLength(1);
    await gateway.settlePayout(payouts[0]!.id);
    await deliverAll();
    expect((await statusOf(made.id)).status).toBe("paid");
    after = await platform();
    expect({ payable: after.payable - before.payable, clearing: after.clearing - before.clearing }).toEqual({
      payable: 0,
      clearing: 50_00,
    });
  });

  it("a payout the bank returns gives the amount and the fee back, and says why", async () => {
    const user = await playerWithBank(true);
    const made = await ask(user.id, 80_00);
    expect(await sendPayout(db, gateway, made.id)).toBe("sent");
    const row = await statusOf(made.id);
    await gateway.settlePayout(row.gatewayPayoutId!);
    await deliverAll();
    expect(await statusOf(made.id)).toMatchObject({ status: "failed", failureMessage: expect.stringMatching(/could not be found/) });
    expect(await walletBalances(db, user.id)).toEqual({ available: 200_00, held: 0, current: 200_00 });
  });

  it("a crash between the gateway's payout and recording it: the webhook records it once", async () => {
    const user = await playerWithBank(false);
    const made = await ask(user.id, 40_00);
    const account = await openPayoutAccount(db, user.id);
    // The job asked the gateway, then died before its own transaction.
    await gateway.createPayout({
      amount: 40_00,
      currency: "usd",
      connectedAccountId: null,
      externalAccountId: account!.gatewayExternalAccountId!,
      idempotencyKey: payoutKey(made.id),
      metadata: { withdrawalId: made.id, userId: user.id },
    });
    expect((await statusOf(made.id)).status).toBe("approved");
    expect(await deliverAll()).toContain("processed");
    expect((await statusOf(made.id)).status).toBe("sent");
    // The retried job finds the same payout and moves nothing again.
    expect(await sendPayout(db, gateway, made.id)).toBe("sent");
    expect(await walletBalances(db, user.id)).toEqual({ available: 159_00, held: 0, current: 159_00 });
  });

  it("a crash and a lost webhook: reconciliation records the payout once and lists it", async () => {
    const user = await playerWithBank(false);
    const made = await ask(user.id, 30_00);
    const account = await openPayoutAccount(db, user.id);
    const payout = await gateway.createPayout({
      amount: 30_00,
      currency: "usd",
      connectedAccountId: null,
      externalAccountId: account!.gatewayExternalAccountId!,
      idempotencyKey: payoutKey(made.id),
      metadata: { withdrawalId: made.id, userId: user.id },
    });
    await gateway.settlePayout(payout.id);
    produced.splice(0);
    const first = await runReconciliation(db, gateway, { trigger: "test", lookbackDays: 1 });
    expect(first.mismatches.filter((m) => m.gatewayPaymentId === payout.id)).toEqual([
      expect.objectContaining({ kind: "payout_not_recorded", repaired: true, expected: 30_00, actual: 0 }),
    ]);
    expect((await statusOf(made.id)).status).toBe("paid");
    expect(await walletBalances(db, user.id)).toEqual({ available: 169_00, held: 0, current: 169_00 });
    const second = await runReconciliation(db, gateway, { trigger: "test", lookbackDays: 1 });
    expect(second.mismatches.filter((m) => m.gatewayPaymentId === payout.id)).toEqual([]);
  });

  it("recorded as sent but unknown to the gateway: reconciliation lists it for a person and moves nothing", async () => {
    const user = await playerWithBank(false);
    const made = await ask(user.id, 20_00);
    expect(await sendPayout(db, gateway, made.id)).toBe("sent");
    const { gatewayPayoutId } = await statusOf(made.id);
    // The provider lost it (in the simulated provider's own table: the edge of the world).
    await db.delete(simPayouts).where(eq(simPayouts.id, gatewayPayoutId!));
    const { mismatches } = await runReconciliation(db, gateway, { trigger: "test", lookbackDays: 1 });
    expect(mismatches.filter((m) => m.gatewayPaymentId === gatewayPayoutId)).toEqual([
      expect.objectContaining({ kind: "payout_recorded_not_paid", expected: 0, actual: 20_00, repaired: false }),
    ]);
    expect((await statusOf(made.id)).status).toBe("sent");
    expect(await walletBalances(db, user.id)).toEqual({ available: 179_00, held: 0, current: 179_00 });
  });
});
