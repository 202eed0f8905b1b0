import { inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accountKinds, ledgerTransfers, mayGoNegative, type AccountKind } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { DomainError } from "@/server/errors";
import { trpcCodeOf } from "@/server/trpc";
import { accountBalance, credit, eventEscrowAccount, platformAccount, transfer, walletAccounts } from "@/server/ledger";

/*
 * Platform accounts that may not go below zero (an event's escrow, fee revenue, withdrawals
 * payable): the ledger refuses to overdraw them as it refuses to overdraw a wallet, money out of
 * one is serialised per account, and money into one never waits for that.
 */

const { db } = await createTestDatabase();
let clearing: string;
let adjustments: string;

beforeAll(async () => {
  [clearing, adjustments] = await Promise.all([platformAccount(db, "card_clearing"), platformAccount(db, "adjustments")]);
});

const key = () => crypto.randomUUID();
const OVERDRAWN = "BAD_REQUEST: The event's escrow does not hold enough money for this.";
const INSUFFICIENT = "BAD_REQUEST: There is not enough money in the wallet for this.";

/** "OK", or the refusal as "CODE: message"; any error that is not a domain error fails the test. */
async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof DomainError) return `${trpcCodeOf(error)}: ${error.message}`;
    throw error;
  }
}

/** A new user's available wallet account, holding `cents` (from card clearing). */
async function wallet(cents = 0): Promise<string> {
  const user = await createUser(db);
  if (cents > 0) {
    await credit(db, {
      userId: user.id,
      amount: cents,
      fromAccountId: clearing,
      category: "topup",
      description: "Top-up",
      idempotencyKey: key(),
    });
  }
  return (await walletAccounts(db, user.id)).available;
}

/** A fresh escrow for a made-up event, holding `cents` (put there from the adjustments account). */
async function escrowHolding(cents: number): Promise<string> {
  const escrow = await eventEscrowAccount(db, crypto.randomUUID());
  if (cents > 0) await move(db, adjustments, escrow, cents);
  return escrow;
}

const move = (on: Parameters<typeof transfer>[0], from: string, to: string, amount: number, idempotencyKey = key()) =>
  transfer(on, { fromAccountId: from, toAccountId: to, amount, category: "adjustment", description: "Test", idempotencyKey });

/** The account the ledger would use for a kind (an escrow: a new event's). */
const accountOf = (kind: Exclude<AccountKind, "wallet_available" | "wallet_held">) =>
  kind === "event_escrow" ? eventEscrowAccount(db, crypto.randomUUID()) : platformAccount(db, kind);

const guardedKinds = ["event_escrow", "fee_revenue", "withdrawals_payable"] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Waits until `n` backends of this test's database wait for a lock (a row lock, here). */
async function lockWaiters(n: number) {
  for (let tries = 0; tries < 400; tries++) {
    const [row] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (row!.n >= n) return;
    await sleep(10);
  }
  throw new Error(`fewer than ${n} backends are waiting for a lock`);
}

/** `promise`, or a failure naming `what` when it has not settled after `ms`. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what} did not finish within ${ms} ms`)))]);
}

/** Each transfer balances, stored balances equal their entries, no guarded account is below zero. */
async function expectLedgerConsistent() {
  const [row] = await db.execute<{ total: string; unbalanced: number; drift: number; overdrawn: number; stamped: number }>(sql`
    select
      (select coalesce(sum(amount), 0) from ledger_entries)::bigint::text as total,
      (select count(*) from (select transfer_id from ledger_entries group by transfer_id having sum(amount) <> 0) u)::int as unbalanced,
      (select count(*) from ledger_accounts a where a.balance is not null
        and a.balance <> (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id))::int as drift,
      (select count(*) from ledger_accounts a where a.balance is null and not ledger_kind_may_go_negative(a.kind)
        and (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id) < 0)::int as overdrawn,
      (select count(*) from ledger_entries e join ledger_accounts a on a.id = e.account_id
        where a.balance is null and e.balance_after is not null)::int as stamped`);
  expect({ ...row, total: Number(row!.total) }).toEqual({ total: 0, unbalanced: 0, drift: 0, overdrawn: 0, stamped: 0 });
}

/** The lowest balance an account passed through, entry by entry (its entries' id order). */
async function lowestBalance(accountId: string): Promise<number> {
  const [row] = await db.execute<{ lowest: string }>(sql`
    select coalesce(min(running), 0)::bigint::text as lowest
    from (select sum(amount) over (order by id) as running from ledger_entries where account_id = ${accountId}) r`);
  return Number(row!.lowest);
}

async function entryCount(): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries`);
  return row!.n;
}

describe("which accounts may go below zero", () => {
  it("mayGoNegative and the database's ledger_kind_may_go_negative() agree on every kind", async () => {
    const rows = await db.execute<{ kind: AccountKind; may: boolean }>(
      sql`select k::text as kind, ledger_kind_may_go_negative(k) as may from unnest(enum_range(null::ledger_account_kind)) as k`,
    );
    expect(rows.map((r) => r.kind).sort()).toEqual([...accountKinds].sort());
    expect(Object.fromEntries(rows.map((r) => [r.kind, r.may]))).toEqual(mayGoNegative);
    expect(accountKinds.filter((kind) => mayGoNegative[kind]).sort()).toEqual(["adjustments", "card_clearing"]);
  });

  it.each(guardedKinds)("%s refuses a debit below zero, alone and inside a caller's transaction, and writes nothing", async (kind) => {
    const account = await accountOf(kind);
    const start = await accountBalance(db, account);
    await move(db, adjustments, account, 1_000);
    const to = await wallet();
    const before = await entryCount();
    const keys = [key(), key()];
    expect(await outcomeOf(move(db, account, to, start + 1_001, keys[0]))).toBe(OVERDRAWN);
    expect(await outcomeOf(db.transaction((tx) => move(tx, account, to, start + 1_001, keys[1])))).toBe(OVERDRAWN);
    expect(await db.select().from(ledgerTransfers).where(inArray(ledgerTransfers.idempotencyKey, keys))).toHaveLength(0);
    expect(await entryCount()).toBe(before);
    expect(await accountBalance(db, account)).toBe(start + 1_000);

    // Down to exactly zero is allowed, alone and in a transaction; one cent more is not.
    expect(await outcomeOf(move(db, account, to, 400))).toBe("OK");
    expect(await outcomeOf(db.transaction((tx) => move(tx, account, to, start + 600)))).toBe("OK");
    expect(await accountBalance(db, account)).toBe(0);
    expect(await outcomeOf(move(db, account, to, 1))).toBe(OVERDRAWN);
    expect(await outcomeOf(db.transaction((tx) => move(tx, account, to, 1)))).toBe(OVERDRAWN);
    expect(
      (await db.execute<{ balance: string | null }>(sql`select balance from ledger_accounts where id = ${account}`))[0]!.balance,
    ).toBeNull();
    await expectLedgerConsistent();
  });

  it("card clearing and adjustments may go below zero, alone and inside a caller's transaction", async () => {
    for (const account of [clearing, adjustments]) {
      const to = await wallet();
      const start = await accountBalance(db, account);
      const more = Math.abs(start) + 5_000;
      expect(await outcomeOf(move(db, account, to, more))).toBe("OK");
      expect(await outcomeOf(db.transaction((tx) => move(tx, account, to, 2_000)))).toBe("OK");
      expect(await accountBalance(db, account)).toBe(start - more - 2_000);
      expect(await accountBalance(db, account)).toBeLessThan(0);
    }
    await expectLedgerConsistent();
  });

  it("money into a guarded account is never refused, and a wallet short of money still says so", async () => {
    const escrow = await escrowHolding(0);
    const payer = await wallet(300);
    expect(await outcomeOf(move(db, payer, escrow, 300))).toBe("OK");
    expect(await outcomeOf(move(db, payer, escrow, 1))).toBe(INSUFFICIENT);
    expect(await accountBalance(db, escrow)).toBe(300);
  });
});

describe("group commit", () => {
  it("a batch with a transfer that would overdraw an escrow refuses only that one; the others post", async () => {
    const escrow = await escrowHolding(1_000);
    const [first, second, payer, other] = await Promise.all([wallet(), wallet(), wallet(300), wallet()]);
    const keys = Array.from({ length: 7 }, key);
    // Sent together: the first goes out alone, the rest wait for it and go out as one batch,
    // decided in order against the balances the transfers before them left.
    const answers = await Promise.all(
      [
        move(db, clearing, other, 1, keys[0]),
        move(db, escrow, first, 600, keys[1]), // 1,000 → 400
        move(db, escrow, second, 500, keys[2]), // overdrawn: 400 left
        move(db, payer, escrow, 300, keys[3]), // → 700
        move(db, escrow, second, 700, keys[4]), // → 0
        move(db, first, escrow, 5_000, keys[5]), // the wallet is short
        move(db, escrow, first, 1, keys[6]), // overdrawn
      ].map(outcomeOf),
    );
    expect(answers).toEqual(["OK", "OK", OVERDRAWN, "OK", "OK", INSUFFICIENT, OVERDRAWN]);
    expect(await accountBalance(db, escrow)).toBe(0);
    expect(await lowestBalance(escrow)).toBe(0);
    expect([await accountBalance(db, first), await accountBalance(db, second), await accountBalance(db, payer)]).toEqual([600, 700, 0]);
    // The three posted after the first were written by one statement (one transaction: one now()).
    const posted = await db
      .select({ key: ledgerTransfers.idempotencyKey, at: ledgerTransfers.createdAt })
      .from(ledgerTransfers)
      .where(inArray(ledgerTransfers.idempotencyKey, keys));
    expect(posted.map((t) => t.key).sort()).toEqual([keys[0], keys[1], keys[3], keys[4]].sort());
    expect(new Set(posted.filter((t) => t.key !== keys[0]).map((t) => t.at.getTime())).size).toBe(1);
    await expectLedgerConsistent();
  });

  it("debits out of an escrow that all fit go in together", async () => {
    const escrow = await escrowHolding(1_000);
    const to = await wallet();
    const answers = await Promise.all(Array.from({ length: 40 }, () => outcomeOf(move(db, escrow, to, 25))));
    expect(answers.every((a) => a === "OK")).toBe(true);
    expect(await accountBalance(db, escrow)).toBe(0);
    expect(await accountBalance(db, to)).toBe(1_000);
    await expectLedgerConsistent();
  });
});

describe("concurrency", () => {
  it("50 concurrent debits of N/10 from an escrow holding N, alone and in transactions: exactly 10 succeed and it ends at 0, never below", async () => {
    const N = 10_000;
    const escrow = await escrowHolding(N);
    const winners = await Promise.all(Array.from({ length: 5 }, () => wallet()));
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const to = winners[i % winners.length]!;
        if (i % 3 !== 0) return outcomeOf(move(db, escrow, to, N / 10));
        // In a transaction that keeps the escrow locked a little after its debit, so others queue.
        return outcomeOf(
          db.transaction(async (tx) => {
            await move(tx, escrow, to, N / 10);
            await tx.execute(sql`select pg_sleep(0.005)`);
          }),
        );
      }),
    );
    expect(answers.filter((a) => a === "OK")).toHaveLength(10);
    expect(answers.filter((a) => a === OVERDRAWN)).toHaveLength(40);
    expect(await accountBalance(db, escrow)).toBe(0);
    expect(await lowestBalance(escrow)).toBe(0);
    const paid = await Promise.all(winners.map((w) => accountBalance(db, w)));
    expect(paid.reduce((a, b) => a + b, 0)).toBe(N);
    await expectLedgerConsistent();
  });

  it("money moving both ways between escrows and wallets at once never deadlocks and never overdraws", async () => {
    // Every call locks the guarded accounts it debits, then its wallets, each by id: transfers
    // locking the same rows from opposite sides still take them in one order.
    const escrows = await Promise.all([escrowHolding(3_000), escrowHolding(3_000)]);
    const wallets = await Promise.all([wallet(3_000), wallet(3_000), wallet(3_000)]);
    const accounts = [...escrows, ...wallets];
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => {
        const from = accounts[i % accounts.length]!;
        const to = accounts[(i * 7 + 1 + Math.floor(i / accounts.length)) % accounts.length]!;
        if (from === to) return Promise.resolve("OK");
        const amount = 100 + (i % 13) * 50;
        return outcomeOf(i % 4 === 0 ? db.transaction((tx) => move(tx, from, to, amount)) : move(db, from, to, amount));
      }),
    );
    expect(answers.filter((a) => a !== "OK" && a !== OVERDRAWN && a !== INSUFFICIENT)).toEqual([]);
    const balances = await Promise.all(accounts.map((a) => accountBalance(db, a)));
    expect(balances.reduce((a, b) => a + b, 0)).toBe(15_000);
    expect(Math.min(...balances, ...(await Promise.all(escrows.map(lowestBalance))))).toBeGreaterThanOrEqual(0);
    await expectLedgerConsistent();
  });

  it("a debit that waited for the escrow's lock sees the debit its last holder committed", async () => {
    // The balance is summed in a statement after the one that took the lock: one that summed it
    // while taking the lock would see 1,000 here and take the escrow to −400.
    const escrow = await escrowHolding(1_000);
    const to = await wallet();
    const locked = gate();
    const release = gate();
    const holder = db.transaction(async (tx) => {
      await move(tx, escrow, to, 700);
      locked.open();
      await release.opened;
    });
    await locked.opened;
    const alone = outcomeOf(move(db, escrow, to, 700));
    const inTransaction = outcomeOf(db.transaction((tx) => move(tx, escrow, to, 700)));
    await lockWaiters(2);
    release.open();
    await holder;
    expect([await alone, await inTransaction]).toEqual([OVERDRAWN, OVERDRAWN]);
    expect(await accountBalance(db, escrow)).toBe(300);
    await expectLedgerConsistent();
  });

  it("money into an escrow never waits for the lock a debit out of it holds", async () => {
    const escrow = await escrowHolding(1_000);
    const to = await wallet();
    const payers = await Promise.all(Array.from({ length: 25 }, () => wallet(100)));
    const locked = gate();
    const release = gate();
    const holder = db.transaction(async (tx) => {
      await move(tx, escrow, to, 100);
      locked.open();
      await release.opened;
    });
    await locked.opened;
    // Another debit out of the escrow now waits for the holder…
    let debitSettled = false;
    const waitingDebit = outcomeOf(move(db, escrow, to, 100)).finally(() => (debitSettled = true));
    await lockWaiters(1);
    // …while entry fees into it, alone and inside transactions, go straight in.
    const fees = payers.map((payer, i) =>
      outcomeOf(i % 5 === 0 ? db.transaction((tx) => move(tx, payer, escrow, 100)) : move(db, payer, escrow, 100)),
    );
    expect(await within(10_000, "entry fees into a locked escrow", Promise.all(fees))).toEqual(payers.map(() => "OK"));
    expect(debitSettled).toBe(false);
    release.open();
    await holder;
    expect(await waitingDebit).toBe("OK");
    expect(await accountBalance(db, escrow)).toBe(1_000 - 200 + 2_500);
    await expectLedgerConsistent();
  });
});
