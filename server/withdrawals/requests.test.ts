import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withdrawals } from "@/db/schema/withdrawals";
import { createTestDatabase } from "@/db/testing/database";
import { walletBalances } from "@/server/ledger";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { cancelWithdrawal, requestWithdrawal, SECOND_FACTOR_NEEDED, SEND_PAYOUT_TASK, withdrawalRoom } from "./requests";
import { withdrawalRules, type WithdrawalRules } from "./rules";
import { fundWallet, givePayoutAccount } from "./testing";

const database = await createTestDatabase();
const { db } = database;
const key = () => crypto.randomUUID();

/** A player with a bank account past the review window and `funds` in the wallet. */
async function player(funds = 100_000_00, accountAgeHours = 48) {
  const user = await createUser(db);
  await givePayoutAccount(db, user.id, { ageHours: accountAgeHours });
  if (funds > 0) await fundWallet(db, user.id, funds);
  return user;
}

const ask = (userId: string, amount: number, options: Parameters<typeof requestWithdrawal>[2] = {}) =>
  requestWithdrawal(db, { userId, amount, idempotencyKey: key(), requestIp: "203.0.113.7" }, options);

async function payoutJobs(withdrawalId: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = ${SEND_PAYOUT_TASK} and j.payload->>'withdrawalId' = ${withdrawalId}`);
  return row!.n;
}

describe("the defaults are the older product's rules", () => {
  it("min 10.00, max 5,000.00, fee 1.00, 3 pending, second factor over 1,000.00, alert at 5 an hour, review for 24 hours", () => {
    expect(withdrawalRules).toMatchObject({
      min: 10_00,
      max: 5_000_00,
      fee: 1_00,
      maxPending: 3,
      secondFactorOver: 1_000_00,
      velocityAlert: 5,
      newAccountReviewHours: 24,
    });
  });
});

describe("each limit at its boundary", () => {
  it("9.99 is refused and 10.00 accepted; amount and fee are held", async () => {
    const user = await player(100_00);
    await expect(ask(user.id, 9_99)).rejects.toMatchObject({
      message: "The smallest withdrawal is $10.00.",
      fieldErrors: { amount: expect.any(Array) },
    });
    const made = await ask(user.id, 10_00);
    expect(made).toMatchObject({ amount: 10_00, fee: 1_00, status: "approved" });
    expect(await walletBalances(db, user.id)).toEqual({ available: 89_00, held: 11_00, current: 100_00 });
  });

  it("5,000.00 is accepted and 5,000.01 refused", async () => {
    const user = await player();
    const twoFactor = { proveSecondFactor: async () => true };
    expect(await codeOf(ask(user.id, 5_000_01, twoFactor))).toBe("BAD_REQUEST");
    expect((await ask(user.id, 5_000_00, twoFactor)).amount).toBe(5_000_00);
  });

  it("a fourth waiting request is refused; once one is cancelled there is room again", async () => {
    const user = await player(1_000_00, 1);
    const made = [await ask(user.id, 10_00), await ask(user.id, 10_00), await ask(user.id, 10_00)];
    expect(made.map((w) => w.status)).toEqual(["requested", "requested", "requested"]);
    await expect(ask(user.id, 10_00)).rejects.toThrow(/at most 3 may wait at once/);
    expect((await walletBalances(db, user.id)).held).toBe(33_00);
    await cancelWithdrawal(db, user.id, made[0]!.id);
    expect((await ask(user.id, 10_00)).status).toBe("requested");
  });

  it("the 24-hour window: the limit counts what was asked for in the last 24 hours, returned requests excepted", async () => {
    const rules: WithdrawalRules = { ...withdrawalRules, dailyLimit: 100_00, maxPending: 20, velocityAlert: 100 };
    const user = await player();
    const t0 = new Date(Date.now() - 48 * 3600_000);
    const at = (ms: number) => ({ rules, now: new Date(t0.getTime() + ms) });
    await requestWithdrawal(db, { userId: user.id, amount: 60_00, idempotencyKey: key(), requestIp: null }, at(0));
    const second = await requestWithdrawal(db, { userId: user.id, amount: 40_00, idempotencyKey: key(), requestIp: null }, at(1_000));
    // 100.00 asked for: a cent more within 24 hours of the first is refused…
    await expect(
      requestWithdrawal(db, { userId: user.id, amount: 10_00, idempotencyKey: key(), requestIp: null }, at(24 * 3600_000 - 1)),
    ).rejects.toThrow(/limit of \$100\.00 in 24 hours/);
    // …and allowed once the first is more than 24 hours old (60.00 of room: the second still counts).
    await expect(
      requestWithdrawal(db, { userId: user.id, amount: 60_01, idempotencyKey: key(), requestIp: null }, at(24 * 3600_000 + 1)),
    ).rejects.toThrow(/At most \$60\.00 more/);
    await requestWithdrawal(db, { userId: user.id, amount: 60_00, idempotencyKey: key(), requestIp: null }, at(24 * 3600_000 + 1));
    // A request that gave its money back (here: cancelled) frees its room.
    await db.update(withdrawals).set({ status: "requested" }).where(eq(withdrawals.id, second.id));
    await cancelWithdrawal(db, user.id, second.id);
    await requestWithdrawal(db, { userId: user.id, amount: 40_00, idempotencyKey: key(), requestIp: null }, at(24 * 3600_000 + 2));
  });

  it("over 1,000.00 needs the second factor; exactly 1,000.00 does not", async () => {
    const user = await player();
    const exactly = await ask(user.id, 1_000_00);
    expect((await db.select().from(withdrawals).where(eq(withdrawals.id, exactly.id)))[0]!.secondFactor).toBe(false);
    await expect(ask(user.id, 1_000_01)).rejects.toMatchObject({ message: SECOND_FACTOR_NEEDED });
    await expect(ask(user.id, 1_000_01, { proveSecondFactor: async () => false })).rejects.toMatchObject({ message: SECOND_FACTOR_NEEDED });
    expect(await codeOf(ask(user.id, 1_000_01))).toBe("FORBIDDEN");
    expect((await walletBalances(db, user.id)).held).toBe(1_001_00);
    let asked = 0;
    await ask(user.id, 1_000_01, {
      proveSecondFactor: async () => {
        asked++;
        return true;
      },
    });
    expect(asked).toBe(1);
    const [row] = await db.select().from(withdrawals).where(eq(withdrawals.amount, 1_000_01));
    expect(row).toMatchObject({ userId: user.id, secondFactor: true, requestIp: "203.0.113.7" });
  });
});

describe("requests", () => {
  it("the same key twice is one request and one hold; with another amount it is refused", async () => {
    const user = await player(100_00);
    const input = { userId: user.id, amount: 20_00, idempotencyKey: key(), requestIp: null };
    const first = await requestWithdrawal(db, input);
    let asked = 0;
    const again = await requestWithdrawal(db, input, { proveSecondFactor: async () => ++asked > 0 });
    expect(again.id).toBe(first.id);
    expect(asked).toBe(0);
    expect((await walletBalances(db, user.id)).available).toBe(79_00);
    expect(await codeOf(requestWithdrawal(db, { ...input, amount: 30_00 }))).toBe("CONFLICT");
    expect(await payoutJobs(first.id)).toBe(1);
  });

  it("not more than the wallet holds: refused in words, nothing written", async () => {
    const user = await player(20_00);
    await expect(ask(user.id, 19_01)).rejects.toThrow("There is not enough money in the wallet for this.");
    expect(await db.select().from(withdrawals).where(eq(withdrawals.userId, user.id))).toEqual([]);
    expect((await ask(user.id, 19_00)).amount).toBe(19_00);
    expect(await walletBalances(db, user.id)).toEqual({ available: 0, held: 20_00, current: 20_00 });
  });

  it("without a bank account it says to add one", async () => {
    const user = await createUser(db);
    await fundWallet(db, user.id, 100_00);
    await expect(ask(user.id, 10_00)).rejects.toThrow("Add a bank account before you withdraw.");
  });

  it("a bank account added within the review window sends the request to review, with no payout queued", async () => {
    const user = await player(100_00, 23.9);
    const made = await ask(user.id, 10_00);
    expect(made).toMatchObject({ status: "requested", flags: ["new_account"] });
    expect(await payoutJobs(made.id)).toBe(0);
    const old = await player(100_00, 24.1);
    const approved = await ask(old.id, 10_00);
    expect(approved).toMatchObject({ status: "approved", flags: [] });
    expect(await payoutJobs(approved.id)).toBe(1);
  });

  it("the fifth request within an hour is flagged for velocity and waits for review", async () => {
    const rules = { ...withdrawalRules, maxPending: 10 };
    const user = await player();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await ask(user.id, 10_00, { rules }));
    expect(made.map((w) => w.flags)).toEqual([[], [], [], [], ["velocity"]]);
    expect(made[4]!.status).toBe("requested");
  });

  it("cancel: only the owner, only before approval; the money comes back once", async () => {
    const user = await player(100_00, 1);
    const other = await createUser(db);
    const made = await ask(user.id, 30_00);
    expect(await codeOf(cancelWithdrawal(db, other.id, made.id))).toBe("NOT_FOUND");
    expect((await cancelWithdrawal(db, user.id, made.id)).status).toBe("canceled");
    expect((await cancelWithdrawal(db, user.id, made.id)).status).toBe("canceled");
    expect(await walletBalances(db, user.id)).toEqual({ available: 100_00, held: 0, current: 100_00 });
    const old = await player(100_00);
    const approved = await ask(old.id, 30_00);
    expect(await codeOf(cancelWithdrawal(db, old.id, approved.id))).toBe("CONFLICT");
  });
});

describe("concurrent requests against one wallet", () => {
  it("50 at once: never more than the balance, the daily limit or 3 waiting; balances exact", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 10_00, max: 900_00 }), { minLength: 50, maxLength: 50 }),
        fc.integer({ min: 0, max: 2_000_00 }),
        async (amounts, funds) => {
          const rules: WithdrawalRules = { ...withdrawalRules, dailyLimit: 1_500_00, maxPending: 3, velocityAlert: 1_000 };
          const user = await player(funds);
          const results = await Promise.allSettled(amounts.map((amount) => ask(user.id, amount, { rules })));
          const made = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
          for (const r of results) {
            if (r.status === "rejected") expect(await codeOf(Promise.reject(r.reason))).toBe("BAD_REQUEST");
          }
          const total = made.reduce((sum, w) => sum + w.amount + w.fee, 0);
          expect(made.length).toBeLessThanOrEqual(3);
          expect(made.reduce((sum, w) => sum + w.amount, 0)).toBeLessThanOrEqual(rules.dailyLimit);
          expect(total).toBeLessThanOrEqual(funds);
          expect(await walletBalances(db, user.id)).toEqual({ available: funds - total, held: total, current: funds });
          const rows = await db.select().from(withdrawals).where(eq(withdrawals.userId, user.id));
          expect(rows.map((r) => r.id).sort()).toEqual(made.map((w) => w.id).sort());
          expect(await withdrawalRoom(db, user.id, rules)).toEqual({
            dailyLeft: rules.dailyLimit - made.reduce((sum, w) => sum + w.amount, 0),
            slotsLeft: 3 - made.length,
          });
        },
      ),
      { numRuns: 6 },
    );
  });
});
