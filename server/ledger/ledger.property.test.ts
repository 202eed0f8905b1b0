import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { DomainError } from "@/server/errors";
import { testCards } from "@/server/payments/cards";
import type { GatewayEvent } from "@/server/payments/gateway";
import { createSimulatedGateway } from "@/server/payments/simulated-gateway";
import { processWebhook } from "@/server/payments/webhooks";
import { trpcCodeOf } from "@/server/trpc";
import { accountBalance, debit, eventEscrowAccount, refund, transfer, walletAccounts, walletBalances } from "@/server/ledger";
import { hold, postHold, voidHold } from "@/server/ledger";
import { startTopUp } from "@/server/wallet/service";

/*
 * A model-based property test of the wallet ledger: random sequences of card top-ups (delivered by
 * signed webhook, now or later, sometimes declined first), webhook replays, entry-fee debits (and
 * replays of their keys), holds, posts, voids, refunds and prizes paid out of the escrow (which may
 * never take it below zero), each checked against a small model of
 * what every balance should be. After every step the database must agree with the model and with
 * the ledger's own invariants.
 */

const { db } = await createTestDatabase();

/** The simulated provider's events land here instead of the job queue; each op takes its own. */
const produced: GatewayEvent[] = [];
const gateway = createSimulatedGateway(db, "whsec_property_test", async (_tx, event) => {
  produced.push(event);
});

// ---------------------------------------------------------------------------------------------
// Operations: plain descriptors, so fast-check can shrink a failing sequence. Picks (`user`,
// `pick`, `n`) are resolved against the model when the op runs (modulo the number of choices).

type Op =
  | { kind: "topUp"; user: number; amount: number; card: "ok" | "declined" | "declinedThenOk"; deliver: "now" | "later" }
  | { kind: "deliver"; pick: number }
  | { kind: "replayWebhook"; pick: number }
  | { kind: "debit"; user: number; amount: Amount }
  | { kind: "replayDebit"; pick: number; extra: number }
  | { kind: "hold"; user: number; amount: Amount }
  | { kind: "post"; pick: number; mode: "full" | "part" | "over"; n: number }
  | { kind: "void"; pick: number }
  | { kind: "resettle"; pick: number; how: "sameKey" | "post" | "void" }
  | { kind: "refund"; pick: number; mode: "part" | "rest" | "over"; n: number }
  | { kind: "replayRefund"; pick: number }
  | { kind: "payout"; user: number; amount: Amount };

/**
 * What a debit or hold asks for: `fit` takes 1..min(available, 5,000) of a funded wallet (so most
 * of them succeed and leave something to post, void or refund); otherwise `cents` as it is, which
 * is often more than the wallet has.
 */
interface Amount {
  cents: number;
  fit: boolean;
}

const cents = fc.integer({ min: 1, max: 5_000 });
const pick = fc.nat({ max: 999 });
const amountArb: fc.Arbitrary<Amount> = fc.record({
  cents,
  fit: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

const topUpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant("topUp" as const),
  user: pick,
  amount: cents,
  card: fc.oneof(
    { weight: 4, arbitrary: fc.constant("ok" as const) },
    { weight: 1, arbitrary: fc.constant("declined" as const) },
    { weight: 1, arbitrary: fc.constant("declinedThenOk" as const) },
  ),
  deliver: fc.oneof({ weight: 3, arbitrary: fc.constant("now" as const) }, { weight: 1, arbitrary: fc.constant("later" as const) }),
});

// Ops with nothing to act on (no pending hold to post, no debit to refund…) are skipped, so the
// ones that need earlier state weigh a little more.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: topUpArb },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replayWebhook" as const), pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("debit" as const), user: pick, amount: amountArb }) },
  // extra = 0 replays the same request; anything else asks for more under the same key.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("replayDebit" as const),
      pick,
      extra: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("hold" as const), user: pick, amount: amountArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("post" as const),
      pick,
      mode: fc.constantFrom("full" as const, "part" as const, "over" as const),
      n: fc.nat(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("void" as const), pick }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("resettle" as const),
      pick,
      how: fc.constantFrom("sameKey" as const, "post" as const, "void" as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("refund" as const),
      pick,
      mode: fc.constantFrom("part" as const, "rest" as const, "over" as const),
      n: fc.nat(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replayRefund" as const), pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("payout" as const), user: pick, amount: amountArb }) },
);

const scenarioArb = fc.record({
  userCount: fc.integer({ min: 2, max: 3 }),
  // 3–12 ops, the first a top-up (so most runs have money to move; it may still be declined or
  // left undelivered).
  ops: fc.tuple(topUpArb, fc.array(opArb, { minLength: 2, maxLength: 11 })).map(([first, rest]) => [first, ...rest]),
});

// ---------------------------------------------------------------------------------------------
// The model.

interface ProducedEvent {
  rawBody: string;
  user: number;
  amount: number;
  /** A payment_intent.succeeded: its first delivery credits the wallet. */
  credits: boolean;
  delivered: boolean;
}

interface HoldState {
  holdId: string;
  user: number;
  amount: number;
  status: "pending" | "posted" | "voided";
  settle?: { key: string; transferId: string; amount?: number };
}

interface DebitState {
  transferId: string;
  key: string;
  user: number;
  amount: number;
  refunded: number;
  refunds: { key: string; amount: number; transferId: string }[];
}

interface Model {
  wallets: { available: number; held: number }[];
  escrow: number;
  /** Transfers that touch this run's accounts; failures and replays must not add any. */
  transfers: number;
  events: ProducedEvent[];
  holds: HoldState[];
  debits: DebitState[];
}

interface Run {
  userIds: string[];
  escrow: string;
  model: Model;
}

const key = () => crypto.randomUUID();
const nth = <T>(items: T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof DomainError) return trpcCodeOf(error);
    throw error;
  }
}

/** Fresh users (inserted directly: sign-up's password hashing would dominate 1,000 runs) and an event. */
async function setUp(userCount: number): Promise<Run> {
  const people = Array.from({ length: userCount }, () => {
    const id = crypto.randomUUID();
    return { name: `Property ${id.slice(0, 8)}`, email: `property-${id}@example.test` };
  });
  const [rows, escrow] = await Promise.all([
    db.insert(users).values(people).returning({ id: users.id }),
    eventEscrowAccount(db, crypto.randomUUID()),
  ]);
  // Wallet accounts are not made here: the ledger opens them on first use.
  return {
    userIds: rows.map((r) => r.id),
    escrow,
    model: { wallets: rows.map(() => ({ available: 0, held: 0 })), escrow: 0, transfers: 0, events: [], holds: [], debits: [] },
  };
}

// ---------------------------------------------------------------------------------------------
// The invariants, checked after every step.

interface Balances {
  available: number;
  held: number;
  current: number;
}

const expectedWallets = (run: Run): Balances[] =>
  run.model.wallets.map((w) => ({ available: w.available, held: w.held, current: w.available + w.held }));

/**
 * After every step, in one query (1,000 runs make ~6,500 steps, so round trips are what costs):
 * all entries sum to zero; each of the run's transfers has balanced legs; each of its stored
 * balances equals the sum of its entries and its last entry's balance_after; no stored balance
 * anywhere is negative, nor the run's escrow (the sum of its entries); no transfer was written that
 * the model did not expect; and the wallets (read as walletBalances reads them) and the escrow (as
 * accountBalance reads it) equal the model.
 */
async function expectConsistent(run: Run, context: string) {
  const userIds = `{${run.userIds.join(",")}}`;
  const [row] = await db.execute<{
    total: string;
    unbalanced: number;
    transfers: number;
    drift: number;
    stale: number;
    unstored: number;
    negative: number;
    overdrawn: number;
    wallets: Record<string, number> | null;
    escrow: string;
  }>(sql`
    with run_accounts as materialized (
      select id, kind, user_id, balance from ledger_accounts where user_id = any(${userIds}::uuid[]) or id = ${run.escrow}::uuid),
    run_transfers as materialized (
      select distinct transfer_id from ledger_entries where account_id in (select id from run_accounts))
    select
      (select coalesce(sum(amount), 0) from ledger_entries)::bigint::text as total,
      (select count(*) from (
        select e.transfer_id from ledger_entries e where e.transfer_id in (select transfer_id from run_transfers)
        group by e.transfer_id having sum(e.amount) <> 0 or count(*) < 2) u)::int as unbalanced,
      (select count(*) from run_transfers)::int as transfers,
      (select count(*) from run_accounts a where a.balance is not null
        and a.balance <> (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id))::int as drift,
      (select count(*) from run_accounts a where a.balance is not null
        and a.balance <> coalesce((select e.balance_after from ledger_entries e where e.account_id = a.id order by e.id desc limit 1), 0))::int as stale,
      (select count(*) from run_accounts a where a.kind in ('wallet_available', 'wallet_held') and a.balance is null)::int as unstored,
      (select count(*) from ledger_accounts where balance < 0)::int as negative,
      (select count(*) from run_accounts a where a.balance is null and not ledger_kind_may_go_negative(a.kind)
        and (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id) < 0)::int as overdrawn,
      (select json_object_agg(a.user_id::text || ' ' || a.kind::text, a.balance) from run_accounts a where a.user_id is not null) as wallets,
      (select coalesce(a.balance, (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id))
        from run_accounts a where a.id = ${run.escrow}::uuid)::bigint::text as escrow`);
  const stored = row!.wallets ?? {};
  const wallets = run.userIds.map((id) => {
    const available = Number(stored[`${id} wallet_available`] ?? 0);
    const held = Number(stored[`${id} wallet_held`] ?? 0);
    return { available, held, current: available + held };
  });
  expect(
    {
      totalOfAllEntries: Number(row!.total),
      unbalancedTransfers: row!.unbalanced,
      accountsWhoseStoredBalanceDrifted: row!.drift,
      accountsWhoseLastBalanceAfterDiffers: row!.stale,
      walletsWithoutStoredBalance: row!.unstored,
      negativeStoredBalances: row!.negative,
      overdrawnPlatformAccounts: row!.overdrawn,
      transfers: row!.transfers,
      wallets,
      escrow: Number(row!.escrow),
    },
    context,
  ).toEqual({
    totalOfAllEntries: 0,
    unbalancedTransfers: 0,
    accountsWhoseStoredBalanceDrifted: 0,
    accountsWhoseLastBalanceAfterDiffers: 0,
    walletsWithoutStoredBalance: 0,
    negativeStoredBalances: 0,
    overdrawnPlatformAccounts: 0,
    transfers: run.model.transfers,
    wallets: expectedWallets(run),
    escrow: run.model.escrow,
  });
}

/** At the end of each run, the balances through the app's own readers, against the model too. */
async function expectReadersAgree(run: Run) {
  const [wallets, escrow] = await Promise.all([
    Promise.all(run.userIds.map((id) => walletBalances(db, id))),
    accountBalance(db, run.escrow),
  ]);
  expect({ wallets, escrow }, "walletBalances / accountBalance at the end of the run").toEqual({
    wallets: expectedWallets(run),
    escrow: run.model.escrow,
  });
}

/**
 * The whole database at once, every stored balance and every platform account that may not go
 * below zero (with no balance_after on its entries): run at the end of the property.
 */
async function expectWholeLedgerConsistent() {
  const [row] = await db.execute<{
    total: string;
    unbalanced: number;
    drift: number;
    negative: number;
    overdrawn: number;
    stamped: number;
  }>(sql`
    select
      (select coalesce(sum(amount), 0) from ledger_entries)::bigint::text as total,
      (select count(*) from (select transfer_id from ledger_entries group by transfer_id having sum(amount) <> 0) u)::int as unbalanced,
      (select count(*) from ledger_accounts a where a.balance is not null
        and a.balance <> (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id))::int as drift,
      (select count(*) from ledger_accounts where balance < 0)::int as negative,
      (select count(*) from ledger_accounts a where a.balance is null and not ledger_kind_may_go_negative(a.kind)
        and (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id) < 0)::int as overdrawn,
      (select count(*) from ledger_entries e join ledger_accounts a on a.id = e.account_id
        where a.balance is null and e.balance_after is not null)::int as stamped`);
  expect({ ...row, total: Number(row!.total) }).toEqual({ total: 0, unbalanced: 0, drift: 0, negative: 0, overdrawn: 0, stamped: 0 });
}

// ---------------------------------------------------------------------------------------------
// Running one op against the code and the model. Returns false when the op had nothing to act on.

/** Whose wallet and how much: a `fit` amount goes to a funded wallet when there is one. */
function spend(run: Run, userPick: number, amount: Amount): { user: number; amount: number } {
  const wallets = run.model.wallets;
  if (amount.fit) {
    const funded = wallets.flatMap((w, i) => (w.available > 0 ? [i] : []));
    const user = nth(funded, userPick);
    if (user !== undefined) return { user, amount: 1 + ((amount.cents - 1) % Math.min(wallets[user]!.available, 5_000)) };
  }
  return { user: userPick % wallets.length, amount: amount.cents };
}

async function deliver(run: Run, event: ProducedEvent) {
  const response = await processWebhook(db, gateway, event.rawBody, gateway.signPayload(event.rawBody));
  expect(response).toEqual({ status: 200, body: { received: true, outcome: event.delivered ? "duplicate" : "processed" } });
  if (event.delivered) return;
  event.delivered = true;
  if (event.credits) {
    run.model.wallets[event.user]!.available += event.amount;
    run.model.transfers += 1;
  }
}

async function apply(run: Run, op: Op): Promise<boolean> {
  const m = run.model;
  switch (op.kind) {
    case "topUp": {
      const user = op.user % run.userIds.length;
      const payment = await startTopUp(db, gateway, { userId: run.userIds[user]!, amount: op.amount, idempotencyKey: key() });
      expect(payment.status).toBe("pending");
      const cards =
        op.card === "ok" ? [testCards.success] : op.card === "declined" ? [testCards.declined] : [testCards.declined, testCards.success];
      produced.length = 0;
      for (const cardNumber of cards) {
        const intent = await gateway.confirmCard({
          intentId: payment.gatewayPaymentId!,
          clientSecret: payment.clientSecret!,
          cardNumber,
          cardLast4: cardNumber.slice(-4),
        });
        expect(intent.status).toBe(cardNumber === testCards.success ? "succeeded" : "requires_payment_method");
      }
      const events = produced.splice(0);
      expect(events.map((e) => e.type)).toEqual(
        cards.map((c) => (c === testCards.success ? "payment_intent.succeeded" : "payment_intent.payment_failed")),
      );
      const added = events.map((e) => ({
        rawBody: JSON.stringify(e),
        user,
        amount: op.amount,
        credits: e.type === "payment_intent.succeeded",
        delivered: false,
      }));
      m.events.push(...added);
      if (op.deliver === "now") for (const event of added) await deliver(run, event);
      return true;
    }

    case "deliver": {
      const event = nth(
        m.events.filter((e) => !e.delivered),
        op.pick,
      );
      if (!event) return false;
      await deliver(run, event);
      return true;
    }

    case "replayWebhook": {
      const event = nth(
        m.events.filter((e) => e.delivered),
        op.pick,
      );
      if (!event) return false;
      await deliver(run, event); // "duplicate", nothing moves
      return true;
    }

    case "debit": {
      const { user, amount } = spend(run, op.user, op.amount);
      const idempotencyKey = key();
      const request = {
        userId: run.userIds[user]!,
        amount,
        toAccountId: run.escrow,
        category: "entry_fee" as const,
        description: "Entry fee",
        idempotencyKey,
      };
      if (m.wallets[user]!.available < amount) {
        expect(await codeOf(debit(db, request))).toBe("BAD_REQUEST");
        return true;
      }
      const posted = await debit(db, request);
      expect(posted.replayed).toBe(false);
      m.wallets[user]!.available -= amount;
      m.escrow += amount;
      m.transfers += 1;
      m.debits.push({ transferId: posted.transferId, key: idempotencyKey, user, amount, refunded: 0, refunds: [] });
      return true;
    }

    case "replayDebit": {
      const earlier = nth(m.debits, op.pick);
      if (!earlier) return false;
      const request = {
        userId: run.userIds[earlier.user]!,
        amount: earlier.amount + op.extra,
        toAccountId: run.escrow,
        category: "entry_fee" as const,
        description: "Entry fee (again)",
        idempotencyKey: earlier.key,
      };
      if (op.extra === 0) {
        expect(await debit(db, request)).toEqual({ transferId: earlier.transferId, replayed: true });
      } else {
        expect(await codeOf(debit(db, request))).toBe("CONFLICT");
      }
      return true;
    }

    case "hold": {
      const { user, amount } = spend(run, op.user, op.amount);
      const request = {
        userId: run.userIds[user]!,
        amount,
        category: "entry_fee" as const,
        description: "Entry fee hold",
        idempotencyKey: key(),
      };
      if (m.wallets[user]!.available < amount) {
        expect(await codeOf(hold(db, request))).toBe("BAD_REQUEST");
        return true;
      }
      const { holdId } = await hold(db, request);
      m.wallets[user]!.available -= amount;
      m.wallets[user]!.held += amount;
      m.transfers += 1;
      m.holds.push({ holdId, user, amount, status: "pending" });
      return true;
    }

    case "post": {
      const pending = nth(
        m.holds.filter((h) => h.status === "pending"),
        op.pick,
      );
      if (!pending) return false;
      const idempotencyKey = key();
      if (op.mode === "over") {
        const amount = pending.amount + 1 + (op.n % 100);
        expect(await codeOf(postHold(db, { holdId: pending.holdId, toAccountId: run.escrow, amount, idempotencyKey }))).toBe("BAD_REQUEST");
        return true;
      }
      const amount = op.mode === "full" ? undefined : 1 + (op.n % pending.amount);
      const posted = await postHold(db, { holdId: pending.holdId, toAccountId: run.escrow, amount, idempotencyKey });
      expect(posted.replayed).toBe(false);
      const paid = amount ?? pending.amount;
      const wallet = m.wallets[pending.user]!;
      wallet.held -= pending.amount;
      wallet.available += pending.amount - paid;
      m.escrow += paid;
      m.transfers += 1;
      pending.status = "posted";
      pending.settle = { key: idempotencyKey, transferId: posted.transferId, amount };
      return true;
    }

    case "void": {
      const pending = nth(
        m.holds.filter((h) => h.status === "pending"),
        op.pick,
      );
      if (!pending) return false;
      const idempotencyKey = key();
      const voided = await voidHold(db, { holdId: pending.holdId, idempotencyKey });
      expect(voided.replayed).toBe(false);
      const wallet = m.wallets[pending.user]!;
      wallet.held -= pending.amount;
      wallet.available += pending.amount;
      m.transfers += 1;
      pending.status = "voided";
      pending.settle = { key: idempotencyKey, transferId: voided.transferId };
      return true;
    }

    case "resettle": {
      // A settled hold: its own key again returns the settlement; anything else is CONFLICT.
      const settled = nth(
        m.holds.filter((h) => h.status !== "pending"),
        op.pick,
      );
      if (!settled) return false;
      const { key: settleKey, transferId, amount } = settled.settle!;
      if (op.how === "sameKey") {
        const again =
          settled.status === "posted"
            ? postHold(db, { holdId: settled.holdId, toAccountId: run.escrow, amount, idempotencyKey: settleKey })
            : voidHold(db, { holdId: settled.holdId, idempotencyKey: settleKey });
        expect(await again).toEqual({ transferId, replayed: true });
      } else {
        const other =
          op.how === "post"
            ? postHold(db, { holdId: settled.holdId, toAccountId: run.escrow, idempotencyKey: key() })
            : voidHold(db, { holdId: settled.holdId, idempotencyKey: key() });
        expect(await codeOf(other)).toBe("CONFLICT");
      }
      return true;
    }

    case "refund": {
      const paid = nth(m.debits, op.pick);
      if (!paid) return false;
      const left = paid.amount - paid.refunded;
      const amount =
        op.mode === "over"
          ? left + 1 + (op.n % 100)
          : left === 0
            ? 1 + (op.n % paid.amount)
            : op.mode === "rest"
              ? left
              : 1 + (op.n % left);
      const idempotencyKey = key();
      const request = { transferId: paid.transferId, amount, idempotencyKey, description: "Entry fee refund" };
      // Refused too when prizes have left the escrow without the money (it may not go below zero).
      if (amount > left || amount > m.escrow) {
        expect(await codeOf(refund(db, request))).toBe("BAD_REQUEST");
        return true;
      }
      const posted = await refund(db, request);
      expect(posted.replayed).toBe(false);
      paid.refunded += amount;
      paid.refunds.push({ key: idempotencyKey, amount, transferId: posted.transferId });
      m.wallets[paid.user]!.available += amount;
      m.escrow -= amount;
      m.transfers += 1;
      return true;
    }

    case "replayRefund": {
      // The same refund again returns the first, even when nothing is left to refund.
      const paid = nth(
        m.debits.filter((d) => d.refunds.length > 0),
        op.pick,
      );
      if (!paid) return false;
      const earlier = nth(paid.refunds, op.pick)!;
      const again = await refund(db, {
        transferId: paid.transferId,
        amount: earlier.amount,
        idempotencyKey: earlier.key,
        description: "Entry fee refund",
      });
      expect(again).toEqual({ transferId: earlier.transferId, replayed: true });
      return true;
    }

    case "payout": {
      // A prize out of the escrow: `fit` takes 1..escrow of a funded escrow; the ledger refuses
      // anything the escrow does not hold.
      const user = op.user % run.userIds.length;
      const amount = op.amount.fit && m.escrow > 0 ? 1 + ((op.amount.cents - 1) % m.escrow) : op.amount.cents;
      const wallet = await walletAccounts(db, run.userIds[user]!);
      const request = {
        fromAccountId: run.escrow,
        toAccountId: wallet.available,
        amount,
        category: "prize" as const,
        description: "Prize",
        idempotencyKey: key(),
      };
      if (amount > m.escrow) {
        expect(await codeOf(transfer(db, request))).toBe("BAD_REQUEST");
        return true;
      }
      expect((await transfer(db, request)).replayed).toBe(false);
      m.wallets[user]!.available += amount;
      m.escrow -= amount;
      m.transfers += 1;
      return true;
    }
  }
}

describe("wallet ledger, model-based", () => {
  it("random sequences of top-ups, webhook replays, debits, holds, posts, voids, refunds and payouts keep the ledger balanced and equal to the model", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ userCount, ops }) => {
        const run = await setUp(userCount);
        for (const [step, op] of ops.entries()) {
          if (await apply(run, op)) await expectConsistent(run, `after step ${step}: ${JSON.stringify(op)}`);
        }
        await expectReadersAgree(run);
      }),
      { numRuns: 1_000 },
    );
    await expectWholeLedgerConsistent();
  }, 240_000);
});
