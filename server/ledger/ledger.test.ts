import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ledgerEntries, ledgerTransfers } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import {
  accountBalance,
  credit,
  debit,
  eventEscrowAccount,
  platformAccount,
  postTransfer,
  refund,
  walletAccounts,
  walletBalances,
} from "@/server/ledger";
import { hold, postHold, voidHold } from "@/server/ledger";
import { codeOf } from "@/server/testing/trpc";

const { db } = await createTestDatabase();
let clearing: string;

beforeAll(async () => {
  clearing = await platformAccount(db, "card_clearing");
});

const key = () => crypto.randomUUID();

async function fundedUser(cents: number) {
  const user = await createUser(db);
  if (cents > 0) {
    await credit(db, {
      userId: user.id,
      amount: cents,
      fromAccountId: clearing,
      category: "topup",
      description: "Test top-up",
      idempotencyKey: key(),
    });
  }
  return user;
}

/** The invariants every test ends on: transfers balance, stored balances equal their entries. */
async function expectLedgerConsistent() {
  const [unbalanced] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select transfer_id from ledger_entries group by transfer_id having sum(amount) <> 0) t`,
  );
  expect(unbalanced?.n).toBe(0);
  const [drift] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from ledger_accounts a
    where a.balance is not null and a.balance <> (select coalesce(sum(amount), 0) from ledger_entries e where e.account_id = a.id)`);
  expect(drift?.n).toBe(0);
  const [total] = await db.execute<{ sum: string }>(sql`select coalesce(sum(amount), 0)::bigint as sum from ledger_entries`);
  expect(Number(total?.sum)).toBe(0);
}

describe("concurrency", () => {
  it("200 simultaneous debits of 10.00 from 1,000.00: exactly 100 succeed and the balance ends at 0, never below", async () => {
    const user = await fundedUser(100_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        codeOf(
          debit(db, {
            userId: user.id,
            amount: 1_000,
            toAccountId: escrow,
            category: "entry_fee",
            description: "Entry fee",
            idempotencyKey: key(),
          }),
        ),
      ),
    );
    expect(results.filter((r) => r === "OK")).toHaveLength(100);
    expect(results.filter((r) => r === "BAD_REQUEST")).toHaveLength(100);
    expect(await walletBalances(db, user.id)).toEqual({ available: 0, held: 0, current: 0 });
    expect(await accountBalance(db, escrow)).toBe(100_000);
    // Every intermediate balance the wallet passed through was recorded on its entries.
    const wallet = await walletAccounts(db, user.id);
    const [lowest] = await db.execute<{ min: string; n: number }>(
      sql`select min(balance_after)::bigint as min, count(*)::int as n from ledger_entries where account_id = ${wallet.available}`,
    );
    expect(Number(lowest?.min)).toBe(0);
    expect(lowest?.n).toBe(101);
    await expectLedgerConsistent();
  });

  it("500 simultaneous requests with one key make one transfer and give identical answers", async () => {
    const user = await fundedUser(0);
    const idempotencyKey = key();
    const answers = await Promise.all(
      Array.from({ length: 500 }, () =>
        credit(db, {
          userId: user.id,
          amount: 2_500,
          fromAccountId: clearing,
          category: "topup",
          description: "Top-up",
          idempotencyKey,
        }).then((r) => r.transferId),
      ),
    );
    expect(new Set(answers).size).toBe(1);
    const transfers = await db.select().from(ledgerTransfers).where(eq(ledgerTransfers.idempotencyKey, idempotencyKey));
    expect(transfers).toHaveLength(1);
    expect((await walletBalances(db, user.id)).available).toBe(2_500);
  });

  it("transfers sent at the same moment are decided in the order they were sent, each on its own", async () => {
    // Sent together, these go out as one batch after the first (the ledger group-commits them);
    // the answers must be those of posting them one by one, in order.
    const user = await fundedUser(1_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const wallet = await walletAccounts(db, user.id);
    const move = (from: string, to: string, amount: number, idempotencyKey: string) =>
      codeOf(
        postTransfer(db, {
          idempotencyKey,
          category: from === clearing ? "topup" : "entry_fee",
          operation: from === clearing ? "credit" : "debit",
          description: "Test",
          legs: [
            { accountId: from, amount: -amount },
            { accountId: to, amount },
          ],
        }),
      );
    const entryFee = (amount: number, idempotencyKey: string) => move(wallet.available, escrow, amount, idempotencyKey);
    const first = key();
    const reused = key();
    const answers = await Promise.all([
      entryFee(600, first), // 1,000 → 400
      entryFee(500, key()), // short: 400 left
      move(clearing, wallet.available, 500, key()), // → 900
      entryFee(800, reused), // → 100
      entryFee(600, first), // the first again: a replay, not a second charge
      entryFee(700, reused), // the same key for another amount
      entryFee(100, key()), // → 0
      entryFee(1, key()), // short
    ]);
    expect(answers).toEqual(["OK", "BAD_REQUEST", "OK", "OK", "OK", "CONFLICT", "OK", "BAD_REQUEST"]);
    expect(await walletBalances(db, user.id)).toEqual({ available: 0, held: 0, current: 0 });
    expect(await accountBalance(db, escrow)).toBe(1_500);
    const trail = await db
      .select({ amount: ledgerEntries.amount, after: ledgerEntries.balanceAfter })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.accountId, wallet.available))
      .orderBy(ledgerEntries.id);
    expect(trail).toEqual([
      { amount: 1_000, after: 1_000 },
      { amount: -600, after: 400 },
      { amount: 500, after: 900 },
      { amount: -800, after: 100 },
      { amount: -100, after: 0 },
    ]);
    await expectLedgerConsistent();
  });

  it("a transfer the database refuses does not take the others sent with it down", async () => {
    const user = await fundedUser(1_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const answers = await Promise.all(
      [escrow, escrow, crypto.randomUUID(), escrow].map((toAccountId) =>
        codeOf(
          debit(db, { userId: user.id, amount: 100, toAccountId, category: "entry_fee", description: "Entry fee", idempotencyKey: key() }),
        ),
      ),
    );
    expect(answers).toEqual(["OK", "OK", "BAD_REQUEST", "OK"]);
    expect((await walletBalances(db, user.id)).available).toBe(700);

    // A batch that cannot run the wallet short goes in as a set: every entry still carries the
    // balance it left, in order.
    const more = await Promise.all(
      Array.from({ length: 20 }, () =>
        codeOf(
          debit(db, {
            userId: user.id,
            amount: 10,
            toAccountId: escrow,
            category: "entry_fee",
            description: "Entry fee",
            idempotencyKey: key(),
          }),
        ),
      ),
    );
    expect(more.every((code) => code === "OK")).toBe(true);
    expect((await walletBalances(db, user.id)).available).toBe(500);
    const wallet = await walletAccounts(db, user.id);
    const trail = await db
      .select({ after: ledgerEntries.balanceAfter })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.accountId, wallet.available))
      .orderBy(ledgerEntries.id);
    expect(trail.map((e) => e.after)).toEqual([1_000, 900, 800, 700, ...Array.from({ length: 20 }, (_, k) => 690 - 10 * k)]);
    await expectLedgerConsistent();
  });

  it("the same key with a different amount is CONFLICT and writes nothing", async () => {
    const user = await fundedUser(0);
    const idempotencyKey = key();
    await credit(db, { userId: user.id, amount: 1_000, fromAccountId: clearing, category: "topup", description: "Top-up", idempotencyKey });
    const [before] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries`);
    expect(
      await codeOf(
        credit(db, { userId: user.id, amount: 1_001, fromAccountId: clearing, category: "topup", description: "Top-up", idempotencyKey }),
      ),
    ).toBe("CONFLICT");
    const [after] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries`);
    expect(after?.n).toBe(before?.n);
    expect((await walletBalances(db, user.id)).available).toBe(1_000);
  });
});

describe("holds", () => {
  it("hold moves available to held; a partial post pays part and releases the rest", async () => {
    const user = await fundedUser(5_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const { holdId } = await hold(db, {
      userId: user.id,
      amount: 3_000,
      category: "entry_fee",
      description: "Entry fee hold",
      idempotencyKey: key(),
    });
    expect(await walletBalances(db, user.id)).toEqual({ available: 2_000, held: 3_000, current: 5_000 });
    const postKey = key();
    const posted = await postHold(db, { holdId, toAccountId: escrow, amount: 2_000, idempotencyKey: postKey });
    expect(await walletBalances(db, user.id)).toEqual({ available: 3_000, held: 0, current: 3_000 });
    expect(await accountBalance(db, escrow)).toBe(2_000);
    // Replaying the post returns the same transfer; voiding a settled hold is refused.
    expect(await postHold(db, { holdId, toAccountId: escrow, amount: 2_000, idempotencyKey: postKey })).toEqual({
      ...posted,
      replayed: true,
    });
    expect(await codeOf(voidHold(db, { holdId, idempotencyKey: key() }))).toBe("CONFLICT");
    await expectLedgerConsistent();
  });

  it("a void returns everything; a hold bigger than the wallet is refused", async () => {
    const user = await fundedUser(1_000);
    expect(
      await codeOf(hold(db, { userId: user.id, amount: 1_001, category: "entry_fee", description: "Too much", idempotencyKey: key() })),
    ).toBe("BAD_REQUEST");
    const { holdId } = await hold(db, {
      userId: user.id,
      amount: 1_000,
      category: "entry_fee",
      description: "All of it",
      idempotencyKey: key(),
    });
    expect(await walletBalances(db, user.id)).toEqual({ available: 0, held: 1_000, current: 1_000 });
    await voidHold(db, { holdId, idempotencyKey: key() });
    expect(await walletBalances(db, user.id)).toEqual({ available: 1_000, held: 0, current: 1_000 });
    await expectLedgerConsistent();
  });

  it("one hold posted and voided at the same moment settles exactly once", async () => {
    const user = await fundedUser(1_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const { holdId } = await hold(db, {
      userId: user.id,
      amount: 1_000,
      category: "entry_fee",
      description: "Race",
      idempotencyKey: key(),
    });
    const results = await Promise.all([
      codeOf(postHold(db, { holdId, toAccountId: escrow, idempotencyKey: key() })),
      codeOf(voidHold(db, { holdId, idempotencyKey: key() })),
    ]);
    expect(results.sort()).toEqual(["CONFLICT", "OK"]);
    const balances = await walletBalances(db, user.id);
    expect(balances.held).toBe(0);
    expect(balances.available + (await accountBalance(db, escrow))).toBe(1_000);
    await expectLedgerConsistent();
  });
});

describe("refunds", () => {
  it("never refund more than was paid, even when asked at the same moment", async () => {
    const user = await fundedUser(1_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const paid = await debit(db, {
      userId: user.id,
      amount: 1_000,
      toAccountId: escrow,
      category: "entry_fee",
      description: "Fee",
      idempotencyKey: key(),
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        codeOf(refund(db, { transferId: paid.transferId, amount: 300, idempotencyKey: key(), description: "Refund" })),
      ),
    );
    expect(results.filter((r) => r === "OK")).toHaveLength(3);
    expect((await walletBalances(db, user.id)).available).toBe(900);
    expect(await accountBalance(db, escrow)).toBe(100);
    await expectLedgerConsistent();
  });

  it("a replayed refund returns the first even after the cap is reached", async () => {
    const user = await fundedUser(500);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const paid = await debit(db, {
      userId: user.id,
      amount: 500,
      toAccountId: escrow,
      category: "entry_fee",
      description: "Fee",
      idempotencyKey: key(),
    });
    const refundKey = key();
    const first = await refund(db, { transferId: paid.transferId, amount: 500, idempotencyKey: refundKey, description: "Refund" });
    expect(await refund(db, { transferId: paid.transferId, amount: 500, idempotencyKey: refundKey, description: "Refund" })).toEqual({
      ...first,
      replayed: true,
    });
    expect(await codeOf(refund(db, { transferId: paid.transferId, amount: 1, idempotencyKey: key(), description: "More" }))).toBe(
      "BAD_REQUEST",
    );
  });
});

describe("immutability", () => {
  it("transfers and entries cannot be changed or deleted", async () => {
    const user = await fundedUser(100);
    const wallet = await walletAccounts(db, user.id);
    await expect(db.update(ledgerEntries).set({ amount: 1 }).where(eq(ledgerEntries.accountId, wallet.available))).rejects.toThrow();
    await expect(db.delete(ledgerEntries).where(eq(ledgerEntries.accountId, wallet.available))).rejects.toThrow();
    await expect(db.execute(sql`update ledger_transfers set amount = 1`)).rejects.toThrow();
  });
});

describe("inside a caller's transaction", () => {
  it("a transfer rolled back with its caller leaves no trace", async () => {
    const user = await fundedUser(1_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const idempotencyKey = key();
    await expect(
      db.transaction(async (tx) => {
        await debit(tx, { userId: user.id, amount: 400, toAccountId: escrow, category: "entry_fee", description: "Fee", idempotencyKey });
        throw new Error("the caller fails after the debit");
      }),
    ).rejects.toThrow("the caller fails");
    expect((await walletBalances(db, user.id)).available).toBe(1_000);
    expect(await db.select().from(ledgerTransfers).where(eq(ledgerTransfers.idempotencyKey, idempotencyKey))).toHaveLength(0);
    await expectLedgerConsistent();
  });
});

describe("settlements and refunds only undo what they should", () => {
  it("reusing a settlement's key for a different settlement is CONFLICT, not a replay", async () => {
    const user = await fundedUser(1_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const { holdId } = await hold(db, { userId: user.id, amount: 600, category: "entry_fee", description: "Hold", idempotencyKey: key() });
    const settleKey = key();
    await postHold(db, { holdId, toAccountId: escrow, idempotencyKey: settleKey });
    expect(await codeOf(voidHold(db, { holdId, idempotencyKey: settleKey }))).toBe("CONFLICT");
    expect(await codeOf(postHold(db, { holdId, toAccountId: escrow, amount: 300, idempotencyKey: settleKey }))).toBe("CONFLICT");
    expect((await postHold(db, { holdId, toAccountId: escrow, idempotencyKey: settleKey })).replayed).toBe(true);
  });

  it("holds and their settlements cannot be refunded (voiding is how a hold is undone)", async () => {
    const user = await fundedUser(1_000);
    const escrow = await eventEscrowAccount(db, crypto.randomUUID());
    const held = await hold(db, { userId: user.id, amount: 600, category: "entry_fee", description: "Hold", idempotencyKey: key() });
    expect(await codeOf(refund(db, { transferId: held.transferId, amount: 600, idempotencyKey: key(), description: "No" }))).toBe(
      "BAD_REQUEST",
    );
    const posted = await postHold(db, { holdId: held.holdId, toAccountId: escrow, idempotencyKey: key() });
    expect(await codeOf(refund(db, { transferId: posted.transferId, amount: 600, idempotencyKey: key(), description: "No" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await walletBalances(db, user.id)).toEqual({ available: 400, held: 0, current: 400 });
    await expectLedgerConsistent();
  });
});
