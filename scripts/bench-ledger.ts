/**
 * `npm run bench:ledger`: how fast the ledger moves money under contention, next to the bare UPDATE
 * it is built around.
 *
 * One throwaway PostgreSQL (an embedded cluster in the OS temp folder, or a fresh database on
 * DATABASE_URL's server, dropped at the end), migrated, 32 pooled connections and 32 workers
 * pulling operations from a shared counter. Four measured cases:
 *
 *   raw_hot        bare `update … balance = balance - $1 … and balance >= $1` on ONE wallet row
 *   ledger_hot     ledger debits (transfer + entries + balance, one idempotency key each) from ONE wallet
 *   raw_spread     the bare update over 1,000 wallets (op i → wallet i % 1000)
 *   ledger_escrow  entry fees from 1,000 wallets into ONE event escrow (op i → wallet i % 1000)
 *
 * plus two informational cases that go through `debit()` (which looks the wallet up on every call)
 * instead of calling `postTransfer()` with ids resolved beforehand. Every case is checked to the
 * cent afterwards. Human-readable lines first, then one line of JSON last. Exits non-zero when any
 * check failed. BENCH_OPS overrides the operations per case.
 */
// An entry point: what the services reach through the composition root is registered first.
import "@/server/composition";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { percentile, round, Teardown, runBenchmark } from "./bench/common";
import { openThrowawayDatabase } from "./bench/database";

// Must be set before anything creates the app's pino logger (modules below are imported lazily).
process.env.LOG_LEVEL = "silent";

const OPS = 6_000;
const MIN_OPS = 5_000;
const CONCURRENCY = 32;
const SPREAD_WALLETS = 1_000;
const WARMUP_OPS = 640; // 20 per worker, on wallets of their own, before each case
const WARM_WALLETS = 64;

const ops = (() => {
  const raw = process.env.BENCH_OPS;
  if (!raw) return OPS;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`BENCH_OPS must be a positive whole number, not ${raw}`);
  if (n < MIN_OPS) console.warn(`note: BENCH_OPS=${n} is below the ${MIN_OPS} operations a reportable run needs`);
  return n;
})();

/** Cents taken by operation i: varies so that a lost or doubled operation cannot go unnoticed. */
const amountOf = (i: number) => 100 + (i % 17);

type Ledger = typeof import("@/server/ledger");

interface CaseResult {
  name: string;
  ops: number;
  seconds: number;
  opsPerSecond: number;
  latencies: Float64Array;
  failures: number;
  firstError?: unknown;
  checks: string[];
  exact: boolean;
}

const sortedCopy = (values: Float64Array) => Float64Array.from(values).sort();

/** Runs `count` operations on `concurrency` workers that share one counter. */
async function runPool(count: number, concurrency: number, op: (i: number) => Promise<void>, latencies?: Float64Array) {
  let next = 0;
  let failures = 0;
  let firstError: unknown;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const started = performance.now();
      try {
        await op(i);
      } catch (error) {
        failures++;
        firstError ??= error;
      }
      if (latencies) latencies[i] = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { failures, firstError };
}

/** The wallet account each operation i takes from (i % wallets.length) and what it takes in total. */
function plan(wallets: string[], count: number) {
  const taken = new Map<string, number>();
  for (const w of wallets) taken.set(w, 0);
  for (let i = 0; i < count; i++) {
    const w = wallets[i % wallets.length]!;
    taken.set(w, taken.get(w)! + amountOf(i));
  }
  return taken;
}

async function main() {
  const { migrate } = await import("@/db/migrate");
  const schema = await import("@/db/schema");
  const ledger: Ledger = await import("@/server/ledger");

  const teardown = new Teardown();
  try {
    const throwaway = await openThrowawayDatabase(teardown, { name: "ledger", max: CONCURRENCY });
    await migrate(throwaway.database.sql);
    const { db, sql } = throwaway.database;
    console.log(
      `ledger benchmark: Node ${process.version}, PostgreSQL ${throwaway.version} (${throwaway.kind}), ` +
        `${CONCURRENCY} clients, ${ops} ops per case, ${os.cpus().length} CPUs`,
    );

    // ---- Setup: users and wallets through the service, funded from card clearing. ----
    const setupStarted = performance.now();
    const clearing = await ledger.platformAccount(db, "card_clearing");

    const makeWallets = async (count: number, label: string) => {
      const rows = await db
        .insert(schema.users)
        .values(
          Array.from({ length: count }, (_, k) => ({
            name: `Bench ${label} ${k}`,
            email: `bench-${label}-${k}-${randomUUID()}@example.test`,
          })),
        )
        .returning({ id: schema.users.id });
      const wallets: { userId: string; account: string }[] = new Array(count);
      const setup = await runPool(count, CONCURRENCY, async (k) => {
        const userId = rows[k]!.id;
        wallets[k] = { userId, account: (await ledger.walletAccounts(db, userId)).available };
      });
      if (setup.failures) throw setup.firstError;
      return wallets;
    };
    const fund = async (amounts: Map<string, number>, owners: Map<string, string>) => {
      const entries = [...amounts].filter(([, cents]) => cents > 0);
      const result = await runPool(entries.length, CONCURRENCY, async (k) => {
        const [account, cents] = entries[k]!;
        await ledger.credit(db, {
          userId: owners.get(account)!,
          amount: cents,
          fromAccountId: clearing,
          category: "topup",
          description: "Benchmark top-up",
          idempotencyKey: randomUUID(),
        });
      });
      if (result.failures) throw result.firstError;
    };

    const owners = new Map<string, string>();
    const accountsOf = (wallets: { userId: string; account: string }[]) => {
      for (const w of wallets) owners.set(w.account, w.userId);
      return wallets.map((w) => w.account);
    };

    const rawHot = accountsOf(await makeWallets(1, "raw-hot"));
    const ledgerHot = accountsOf(await makeWallets(1, "ledger-hot"));
    const debitHot = accountsOf(await makeWallets(1, "debit-hot"));
    const rawSpread = accountsOf(await makeWallets(SPREAD_WALLETS, "raw-spread"));
    const ledgerSpread = accountsOf(await makeWallets(SPREAD_WALLETS, "ledger-spread"));
    const debitSpread = accountsOf(await makeWallets(SPREAD_WALLETS, "debit-spread"));
    // Warm-up wallets: the raw ones are kept apart, since bare updates leave them out of step with their entries.
    const warmRawHot = accountsOf(await makeWallets(1, "warm-raw-hot"));
    const warmRawSpread = accountsOf(await makeWallets(WARM_WALLETS, "warm-raw-spread"));
    const warmHot = accountsOf(await makeWallets(1, "warm-hot"));
    const warmSpread = accountsOf(await makeWallets(WARM_WALLETS, "warm-spread"));
    const rawOnly = [...rawHot, ...rawSpread, ...warmRawHot, ...warmRawSpread];

    interface CaseDef {
      name: string;
      wallets: string[];
      warm: string[];
      kind: "raw" | "ledger" | "debit";
    }
    const cases: CaseDef[] = [
      { name: "raw_hot", wallets: rawHot, warm: warmRawHot, kind: "raw" },
      { name: "ledger_hot", wallets: ledgerHot, warm: warmHot, kind: "ledger" },
      { name: "raw_spread", wallets: rawSpread, warm: warmRawSpread, kind: "raw" },
      { name: "ledger_escrow", wallets: ledgerSpread, warm: warmSpread, kind: "ledger" },
      { name: "info: ledger_hot via debit()", wallets: debitHot, warm: warmHot, kind: "debit" },
      { name: "info: ledger_escrow via debit()", wallets: debitSpread, warm: warmSpread, kind: "debit" },
    ];

    // Fund every wallet with exactly what its case (and, for warm-up wallets, every warm-up) takes.
    const funding = new Map<string, number>();
    for (const c of cases) {
      for (const [w, cents] of plan(c.wallets, ops)) funding.set(w, (funding.get(w) ?? 0) + cents);
      for (const [w, cents] of plan(c.warm, WARMUP_OPS)) funding.set(w, (funding.get(w) ?? 0) + cents);
    }
    await fund(funding, owners);
    console.log(`setup: ${owners.size} funded wallets in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s\n`);

    // ---- The operations. Account ids are resolved above, outside the timed part. ----
    const rawUpdate = async (account: string, amount: number) => {
      const result = await sql.unsafe(
        "update ledger_accounts set balance = balance - $1 where id = $2 and balance >= $1",
        [amount, account],
        { prepare: true },
      );
      if (result.count !== 1) throw new Error(`raw update of ${account} changed ${result.count} rows`);
    };
    /** A real ledger debit (what `debit()` posts) with the wallet's account id already known. */
    const ledgerDebit = async (account: string, escrow: string, amount: number) => {
      const posted = await ledger.postTransfer(db, {
        idempotencyKey: randomUUID(),
        category: "entry_fee",
        operation: "debit",
        description: "Benchmark entry fee",
        legs: [
          { accountId: account, amount: -amount },
          { accountId: escrow, amount },
        ],
      });
      if (posted.replayed) throw new Error("a fresh idempotency key was reported as a replay");
      return posted.transferId;
    };
    const serviceDebit = async (account: string, escrow: string, amount: number) => {
      const posted = await ledger.debit(db, {
        userId: owners.get(account)!,
        amount,
        toAccountId: escrow,
        category: "entry_fee",
        description: "Benchmark entry fee",
        idempotencyKey: randomUUID(),
      });
      if (posted.replayed) throw new Error("a fresh idempotency key was reported as a replay");
      return posted.transferId;
    };

    const balancesOf = async (accounts: string[]) => {
      const rows = await sql<{ id: string; balance: string | null; entries: string }[]>`
        select a.id, a.balance::text as balance,
               (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id)::text as entries
        from ledger_accounts a where a.id = any(${accounts}::uuid[])`;
      return new Map(rows.map((r) => [r.id, { balance: r.balance === null ? null : Number(r.balance), entries: Number(r.entries) }]));
    };

    const globalChecks = async (failed: string[]) => {
      const [row] = await sql<{ negative: number; total: string; unbalanced: number; drift: number }[]>`
        select
          (select count(*)::int from ledger_accounts where balance < 0) as negative,
          (select coalesce(sum(amount), 0)::text from ledger_entries) as total,
          (select count(*)::int from (select 1 from ledger_entries group by transfer_id having sum(amount) <> 0) t) as unbalanced,
          (select count(*)::int from ledger_accounts a where a.balance is not null
             and a.id <> all(${rawOnly}::uuid[])
             and a.balance <> (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id)) as drift`;
      if (row!.negative !== 0) failed.push(`${row!.negative} accounts with a negative balance`);
      if (Number(row!.total) !== 0) failed.push(`entries sum to ${row!.total}, not 0`);
      if (row!.unbalanced !== 0) failed.push(`${row!.unbalanced} transfers whose entries do not sum to 0`);
      if (row!.drift !== 0) failed.push(`${row!.drift} ledger-only wallets whose balance differs from their entries`);
    };

    const results: CaseResult[] = [];
    for (const c of cases) {
      const failed: string[] = [];
      await sql`vacuum (analyze) ledger_accounts, ledger_transfers, ledger_entries`;

      // Fresh escrow per case so its derived balance is exactly what this case paid in.
      const escrow = c.kind === "raw" ? "" : await ledger.eventEscrowAccount(db, randomUUID());
      const warmEscrow = c.kind === "raw" ? "" : await ledger.eventEscrowAccount(db, randomUUID());
      const op =
        c.kind === "raw"
          ? (account: string, _escrow: string, amount: number) => rawUpdate(account, amount)
          : c.kind === "ledger"
            ? ledgerDebit
            : serviceDebit;

      // Warm-up: same operation on wallets of its own, opening all 32 connections.
      const warm = await runPool(WARMUP_OPS, CONCURRENCY, async (i) => {
        await op(c.warm[i % c.warm.length]!, warmEscrow, amountOf(i));
      });
      if (warm.failures) failed.push(`warm-up: ${warm.failures} operations failed (${String(warm.firstError)})`);

      const taken = plan(c.wallets, ops);
      const before = await balancesOf(c.wallets);
      for (const w of c.wallets) {
        const start = before.get(w)?.balance;
        if (start !== taken.get(w)) failed.push(`wallet ${w} started at ${start}, expected ${taken.get(w)}`);
      }

      const latencies = new Float64Array(ops);
      const started = performance.now();
      const run = await runPool(
        ops,
        CONCURRENCY,
        async (i) => {
          await op(c.wallets[i % c.wallets.length]!, escrow, amountOf(i));
        },
        latencies,
      );
      const seconds = (performance.now() - started) / 1000;
      if (run.failures) failed.push(`${run.failures} operations failed; first: ${String(run.firstError)}`);

      // ---- Exact checks. ----
      const after = await balancesOf(c.wallets);
      let wrong = 0;
      for (const w of c.wallets) {
        const start = before.get(w)?.balance ?? NaN;
        const end = after.get(w);
        const expected = start - taken.get(w)!;
        if (!end || end.balance !== expected) wrong++;
        else if (c.kind !== "raw" && end.entries !== end.balance) wrong++;
      }
      if (wrong)
        failed.push(`${wrong} of ${c.wallets.length} wallets do not end at start − taken${c.kind === "raw" ? "" : " = sum of entries"}`);
      if (c.kind !== "raw") {
        const paid = [...taken.values()].reduce((a, b) => a + b, 0);
        const escrowBalance = await ledger.accountBalance(db, escrow);
        if (escrowBalance !== paid) failed.push(`escrow holds ${escrowBalance}, expected ${paid}`);
        const [counted] = await sql<{ transfers: number; entries: number }[]>`
          select count(distinct transfer_id)::int as transfers, count(*)::int as entries
          from ledger_entries where transfer_id in (select transfer_id from ledger_entries where account_id = ${escrow})`;
        if (counted!.transfers !== ops || counted!.entries !== 2 * ops) {
          failed.push(`escrow received ${counted!.transfers} transfers with ${counted!.entries} entries, expected ${ops} and ${2 * ops}`);
        }
      }
      await globalChecks(failed);

      const sorted = sortedCopy(latencies);
      const result: CaseResult = {
        name: c.name,
        ops,
        seconds,
        opsPerSecond: ops / seconds,
        latencies,
        failures: run.failures,
        firstError: run.firstError,
        checks: failed,
        exact: failed.length === 0,
      };
      results.push(result);
      console.log(
        `${c.name.padEnd(32)} ${String(ops).padStart(6)} ops  ${seconds.toFixed(3).padStart(7)} s  ` +
          `${Math.round(result.opsPerSecond).toString().padStart(6)} ops/s  ` +
          `p50 ${percentile(sorted, 50).toFixed(2).padStart(6)} ms  p99 ${percentile(sorted, 99).toFixed(2).padStart(7)} ms  ` +
          (result.exact ? "exact" : `NOT EXACT: ${failed.join("; ")}`),
      );
    }

    const byName = (name: string) => results.find((r) => r.name === name)!;
    const rawHotR = byName("raw_hot");
    const ledgerHotR = byName("ledger_hot");
    const rawSpreadR = byName("raw_spread");
    const ledgerEscrowR = byName("ledger_escrow");
    const ledgerLatencies = new Float64Array(ledgerHotR.latencies.length + ledgerEscrowR.latencies.length);
    ledgerLatencies.set(ledgerHotR.latencies, 0);
    ledgerLatencies.set(ledgerEscrowR.latencies, ledgerHotR.latencies.length);
    const exact = results.every((r) => r.exact);

    const summary = {
      raw_hot_ops_s: Math.round(rawHotR.opsPerSecond),
      ledger_hot_ops_s: Math.round(ledgerHotR.opsPerSecond),
      raw_spread_ops_s: Math.round(rawSpreadR.opsPerSecond),
      ledger_escrow_ops_s: Math.round(ledgerEscrowR.opsPerSecond),
      ledger_hot_ratio: round(ledgerHotR.opsPerSecond / rawHotR.opsPerSecond, 3),
      ledger_escrow_ratio: round(ledgerEscrowR.opsPerSecond / rawSpreadR.opsPerSecond, 3),
      p99_ms: round(percentile(sortedCopy(ledgerLatencies), 99), 2),
      exact,
    };
    console.log(
      `\nledger_hot / raw_hot = ${summary.ledger_hot_ratio}, ledger_escrow / raw_spread = ${summary.ledger_escrow_ratio} ` +
        `(target ≥ 0.5 each); p99 of the ledger cases ${summary.p99_ms} ms; ${exact ? "every balance exact" : "CHECKS FAILED"}`,
    );
    await teardown.run();
    console.log(JSON.stringify(summary));
    return exact ? 0 : 1;
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

runBenchmark("bench:ledger", main);
