import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { runDueJobs } from "@/server/worker";
import { getPayment } from "@/server/payments/service";
import { paymentGateway } from "@/server/payments/provider";
import type { SimulatedGateway } from "@/server/payments/simulated-gateway";
import { credit, debit, eventEscrowAccount, platformAccount, walletBalances } from "@/server/ledger";
import { adjustWallet, balanceSeries, startTopUp, walletHistory } from "./service";
import { codeOf } from "@/server/testing/trpc";

const database = await createTestDatabase();
const { db } = database;
const key = () => crypto.randomUUID();

describe("top-up through the real job queue", () => {
  it("the simulated provider's webhook is delivered by a job and credits the wallet", async () => {
    const gateway = (await paymentGateway(db)) as SimulatedGateway;
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 2_000, idempotencyKey: key() });
    await gateway.confirmCard({
      intentId: topUp.gatewayPaymentId!,
      clientSecret: topUp.clientSecret!,
      cardNumber: "4242424242424242",
      cardLast4: "4242",
    });
    expect((await walletBalances(db, user.id)).available).toBe(0);
    await runDueJobs(database);
    expect((await getPayment(db, topUp.id))?.status).toBe("succeeded");
    expect((await walletBalances(db, user.id)).available).toBe(2_000);
    await runDueJobs(database);
    expect((await walletBalances(db, user.id)).available).toBe(2_000);
  });
});

describe("admin adjustments", () => {
  it("credit with a reason, audited once even when replayed", async () => {
    const admin = await createUser(db, { role: "admin" });
    const player = await createUser(db);
    const idempotencyKey = key();
    const input = { userId: player.id, amount: 1_250, reason: "Goodwill for the outage", idempotencyKey };
    const first = await adjustWallet(db, admin, input);
    expect(first.balances).toEqual({ available: 1_250, held: 0, current: 1_250 });
    expect((await adjustWallet(db, admin, input)).transferId).toBe(first.transferId);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetUserId, player.id), eq(auditLog.action, "wallet.adjusted")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: admin.id, details: { amount: 1_250, reason: "Goodwill for the outage" } });
    const [row] = (await walletHistory(db, player.id, { filters: {}, limit: 5 })).rows;
    expect(row).toMatchObject({
      category: "adjustment",
      amount: 1_250,
      balanceAfter: 1_250,
      description: "Adjustment by Driftwood staff: Goodwill for the outage",
    });
  });

  it("a debit larger than the available balance is refused and writes nothing", async () => {
    const admin = await createUser(db, { role: "admin" });
    const player = await createUser(db);
    await adjustWallet(db, admin, { userId: player.id, amount: 500, reason: "Start", idempotencyKey: key() });
    expect(await codeOf(adjustWallet(db, admin, { userId: player.id, amount: -501, reason: "Too much", idempotencyKey: key() }))).toBe(
      "BAD_REQUEST",
    );
    expect((await walletBalances(db, player.id)).available).toBe(500);
    const audits = await db.select().from(auditLog).where(eq(auditLog.targetUserId, player.id));
    expect(audits).toHaveLength(1);
    expect(await codeOf(adjustWallet(db, admin, { userId: crypto.randomUUID(), amount: 1, reason: "Nobody", idempotencyKey: key() }))).toBe(
      "NOT_FOUND",
    );
  });
});

describe("history", () => {
  it("pages with a cursor without repeats or gaps, filters by type and date", async () => {
    const user = await createUser(db);
    const clearing = await platformAccount(db, "card_clearing");
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    for (let i = 1; i <= 7; i++) {
      await credit(db, {
        userId: user.id,
        amount: i * 100,
        fromAccountId: clearing,
        category: "topup",
        description: `Top-up ${i}`,
        idempotencyKey: key(),
      });
    }
    for (let i = 1; i <= 3; i++) {
      await debit(db, {
        userId: user.id,
        amount: 50,
        toAccountId: escrow,
        category: "entry_fee",
        description: `Fee ${i}`,
        idempotencyKey: key(),
        metadata: { eventId: "e" },
      });
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof walletHistory>> = await walletHistory(db, user.id, { filters: {}, cursor, limit: 4 });
      seen.push(...page.rows.map((r) => r.entryId!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);

    const fees = await walletHistory(db, user.id, { filters: { category: "entry_fee" }, limit: 10 });
    expect(fees.rows.map((r) => r.amount)).toEqual([-50, -50, -50]);
    expect(fees.rows[0]!.balanceAfter).toBe(2_800 - 150);

    const today = new Date().toISOString().slice(0, 10);
    expect((await walletHistory(db, user.id, { filters: { from: today, to: today }, limit: 50 })).rows).toHaveLength(10);
    expect((await walletHistory(db, user.id, { filters: { to: "2020-01-01" }, limit: 50 })).rows).toHaveLength(0);

    const series = await balanceSeries(db, user.id, 30);
    expect(series).toHaveLength(30);
    expect(series.at(-1)).toEqual({ day: today, balance: 2_650 });
    expect(series[0]!.balance).toBe(0);
    const [count] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries`);
    expect(count!.n).toBeGreaterThan(0);
  });
});
