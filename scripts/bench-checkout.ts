/**
 * `npm run bench:checkout`: a paid event's registration rush, end to end.
 *
 * The production build (`next start`, built first when `.next/BUILD_ID` is missing) served over
 * HTTP on loopback, against a throwaway PostgreSQL (an embedded cluster in the OS temp folder, or
 * a fresh database on DATABASE_URL's server, loopback only, dropped at the end). 2,000 funded
 * players check out for one 256-seat paid event through the same tRPC endpoint the browser uses
 * (`POST /api/trpc/registration.checkout`, superjson, session cookie), 32 concurrent clients
 * pulling players from a shared queue. A fifth of the checkouts are sent twice with the same
 * idempotency key: half of those right after the first answer, half at the same time.
 *
 * Sessions are minted the way Auth.js mints them (an encrypted JWT in `authjs.session-token`)
 * instead of 2,000 password sign-ins; one is checked against `account.me` before the run.
 *
 * After the run, for scale, the smallest signed-in call (`account.me`) is timed the same way
 * (2,000 calls from 32 clients): no checkout can be faster than that on the same machine.
 *
 * Afterwards the database is checked exactly: seats, escrow, every wallet, the ledger as a whole,
 * and that every resend got its original's registration. Human-readable figures first, then one
 * line of JSON last. Exit 1 when an invariant fails; a missed latency target alone exits 0.
 *
 * BENCH_PLAYERS overrides the player count (2,000), BENCH_SEED the random seed, BENCH_WARMUP=0
 * skips the warm-up round (a separate small event, not counted in the figures), and
 * BENCH_SERVER_PROFILE=<dir> has the server write a V8 CPU profile there.
 */
// An entry point: what the services reach through the composition root is registered first.
import "@/server/composition";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { percentile, round, Teardown, runBenchmark } from "./bench/common";
import { openThrowawayDatabase } from "./bench/database";
import {
  checkoutHistogram,
  CONCURRENCY,
  COOKIE_NAME,
  cpuByProcess,
  describeCpu,
  describeServerTime,
  mulberry32,
  rush,
  signedInFloor,
  type Player,
  type Resend,
} from "./bench/checkout-client";
import { ensureProductionBuild, startProductionServer } from "./bench/server";

// Must be set before anything in this process creates the app's pino logger (imports below are lazy).
process.env.LOG_LEVEL = "silent";

const PLAYERS = 2_000;
const CAPACITY = 256;
const ENTRY_FEE = 1_000; // cents
const FUNDING = 5_000; // cents per player
const RESEND_SHARE = 0.2;
const P99_TARGET_MS = 250;
const WARMUP_PLAYERS = 96;
const WARMUP_CAPACITY = 32;
const FLOOR_CALLS = 2_000;
const SESSION_MAX_AGE = 30 * 24 * 60 * 60;

const players = (() => {
  const raw = process.env.BENCH_PLAYERS;
  if (!raw) return PLAYERS;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`BENCH_PLAYERS must be a positive whole number, not ${raw}`);
  if (n !== PLAYERS) console.warn(`note: BENCH_PLAYERS=${n}; a reportable run has ${PLAYERS} players`);
  return n;
})();
const seed = process.env.BENCH_SEED ? Number(process.env.BENCH_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const warmupEnabled = process.env.BENCH_WARMUP !== "0";

async function main() {
  const { migrateDatabase } = await import("@/server/database");
  const schema = await import("@/db/schema");
  const ledger = await import("@/server/ledger");
  const { encode } = await import("next-auth/jwt");

  ensureProductionBuild();
  const teardown = new Teardown();
  try {
    const tempDir = await mkdtemp(path.join(os.tmpdir(), "driftwood-bench-checkout-"));
    teardown.add(
      () => rm(tempDir, { recursive: true, force: true }),
      () => rmSync(tempDir, { recursive: true, force: true }),
    );
    const throwaway = await openThrowawayDatabase(teardown, { name: "checkout", max: 16 });
    await migrateDatabase(throwaway.database);
    const { db, sql } = throwaway.database;
    console.log(
      `checkout benchmark: Node ${process.version}, PostgreSQL ${throwaway.version} (${throwaway.kind}), ` +
        `${players} players, ${CAPACITY} seats, ${CONCURRENCY} clients, seed ${seed}, ${os.cpus().length} CPUs, ` +
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );

    // ---- Setup, straight in the database: a game, an organizer, the events, funded players. ----
    const setupStarted = performance.now();
    const [game] = await db
      .insert(schema.games)
      .values({ slug: `bench-${randomUUID().slice(0, 8)}`, name: "Bench Game", handleLabel: "Tag" })
      .returning({ id: schema.games.id });
    const [organizer] = await db
      .insert(schema.users)
      .values({ name: "Bench Organizer", email: `bench-organizer-${randomUUID()}@example.test`, role: "organizer" })
      .returning({ id: schema.users.id });
    const now = Date.now();
    const openEvent = async (name: string, capacity: number) => {
      const [event] = await db
        .insert(schema.events)
        .values({
          organizerId: organizer!.id,
          gameId: game!.id,
          name,
          format: "single_elimination",
          capacity,
          entryFee: ENTRY_FEE,
          registrationOpensAt: new Date(now - 3_600_000),
          registrationClosesAt: new Date(now + 86_400_000),
          checkInOpensAt: new Date(now + 86_400_000 + 1_000),
          checkInClosesAt: new Date(now + 90_000_000),
          startsAt: new Date(now + 90_000_000),
          status: "published",
          publishedAt: new Date(now - 3_600_000),
        })
        .returning({ id: schema.events.id });
      return event!.id;
    };
    const eventId = await openEvent("Bench Checkout Cup", CAPACITY);
    const warmupEventId = await openEvent("Bench Warm-up Cup", WARMUP_CAPACITY);

    const clearing = await ledger.platformAccount(db, "card_clearing");
    const makePlayers = async (count: number, label: string) => {
      const made: { id: string; name: string; email: string; available: string }[] = [];
      for (let offset = 0; offset < count; offset += 1_000) {
        const n = Math.min(1_000, count - offset);
        const rows = await db
          .insert(schema.users)
          .values(
            Array.from({ length: n }, (_, k) => ({
              name: `Bench ${label} ${offset + k}`,
              email: `bench-${label}-${offset + k}-${randomUUID().slice(0, 8)}@example.test`,
              // Paying needs a verified email.
              emailVerified: new Date(),
            })),
          )
          .returning({ id: schema.users.id, name: schema.users.name, email: schema.users.email });
        const accounts = await db
          .insert(schema.ledgerAccounts)
          .values(
            rows.flatMap((r) => [
              { kind: "wallet_available" as const, userId: r.id, balance: 0 },
              { kind: "wallet_held" as const, userId: r.id, balance: 0 },
            ]),
          )
          .returning({ id: schema.ledgerAccounts.id, userId: schema.ledgerAccounts.userId, kind: schema.ledgerAccounts.kind });
        const available = new Map(accounts.filter((a) => a.kind === "wallet_available").map((a) => [a.userId!, a.id]));
        for (const r of rows) made.push({ ...r, available: available.get(r.id)! });
      }
      // Funded through the ledger itself (card clearing → wallet), 16 at a time.
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = next++; i < made.length; i = next++) {
            await ledger.postTransfer(db, {
              idempotencyKey: `bench-topup:${made[i]!.id}`,
              category: "topup",
              operation: "credit",
              description: "Benchmark top-up",
              legs: [
                { accountId: clearing, amount: -FUNDING },
                { accountId: made[i]!.available, amount: FUNDING },
              ],
            });
          }
        }),
      );
      return made;
    };
    const mainRows = await makePlayers(players, "p");
    const warmRows = warmupEnabled ? await makePlayers(WARMUP_PLAYERS, "w") : [];
    await sql`vacuum (analyze)`;

    // ---- Sessions as Auth.js writes them: an encrypted JWT whose sub is the user id. ----
    const authSecret = randomUUID() + randomUUID();
    const mint = (row: { id: string; name: string; email: string }) =>
      encode({ token: { sub: row.id, name: row.name, email: row.email }, secret: authSecret, salt: COOKIE_NAME, maxAge: SESSION_MAX_AGE });
    const random = mulberry32(seed);
    const resendCount = Math.round(players * RESEND_SHARE);
    const order = mainRows.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    // The first resendCount players of the shuffled order resend: alternately after and at once.
    const resendOf = new Map<number, Resend>();
    order.forEach((playerIndex, position) => {
      resendOf.set(playerIndex, position < resendCount ? (position % 2 === 0 ? "after" : "concurrent") : "none");
    });
    const queue: Player[] = [];
    for (let i = 0; i < mainRows.length; i++) {
      const row = mainRows[i]!;
      queue.push({ id: row.id, email: row.email, cookie: await mint(row), resend: resendOf.get(i)! });
    }
    for (let i = queue.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [queue[i], queue[j]] = [queue[j]!, queue[i]!];
    }
    const warmQueue: Player[] = [];
    for (let i = 0; i < warmRows.length; i++) {
      const row = warmRows[i]!;
      warmQueue.push({
        id: row.id,
        email: row.email,
        cookie: await mint(row),
        resend: i % 5 === 0 ? (i % 10 === 0 ? "after" : "concurrent") : "none",
      });
    }
    console.log(
      `setup: ${mainRows.length + warmRows.length} funded players (${(FUNDING / 100).toFixed(2)} each) and their sessions in ` +
        `${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    // ---- The production server. ----
    const server = await startProductionServer(teardown, {
      databaseUrl: throwaway.url,
      dataDir: path.join(tempDir, "data"),
      authSecret,
      nodeArgs: process.env.BENCH_SERVER_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`] : [],
    });
    const { baseUrl } = server;
    console.log(`server: next start on ${baseUrl}, healthy after ${server.healthySeconds.toFixed(1)} s`);

    // ---- One minted session, checked before anything depends on it. ----
    {
      const probe = queue[0]!;
      const response = await fetch(`${baseUrl}/api/trpc/account.me`, { headers: { cookie: `${COOKIE_NAME}=${probe.cookie}` } });
      const text = await response.text();
      let email: unknown;
      try {
        email = (JSON.parse(text) as { result?: { data?: { json?: { email?: string } } } }).result?.data?.json?.email;
      } catch {
        // reported below
      }
      if (response.status !== 200 || email !== probe.email) {
        throw new Error(`a minted session cookie was not accepted: account.me answered ${response.status}: ${text.slice(0, 300)}`);
      }
      console.log(`session: minted cookie accepted (account.me → ${probe.email})`);
    }

    // ---- Warm-up on its own event: loads the route's code and opens connections. Not counted. ----
    if (warmQueue.length > 0) {
      const warm = await rush(baseUrl, warmupEventId, ENTRY_FEE, warmQueue, CONCURRENCY);
      const warmErrors = warm.outcomes.flatMap((o) => [o.first, o.second]).filter((a) => a?.error);
      const warmMs = warm.outcomes.flatMap((o) => [o.first.ms, ...(o.second ? [o.second.ms] : [])]).sort((a, b) => a - b);
      console.log(
        `warm-up: ${warmQueue.length} players on a ${WARMUP_CAPACITY}-seat event in ${warm.seconds.toFixed(2)} s, ` +
          `max ${warmMs.at(-1)!.toFixed(0)} ms, ${warmErrors.length} errors (not counted below)`,
      );
    }

    // ---- The run. ----
    const loadBefore = os.loadavg();
    const histogramBefore = await checkoutHistogram(baseUrl);
    const cpuBefore = cpuByProcess();
    const run = await rush(baseUrl, eventId, ENTRY_FEE, queue, CONCURRENCY);
    const cpuAfter = cpuByProcess();
    const histogramAfter = await checkoutHistogram(baseUrl);
    const loadAfter = os.loadavg();
    // ---- For scale: the smallest signed-in call at the same concurrency. After the run, on the warm server. ----
    const floor = await signedInFloor(baseUrl, warmQueue.length > 0 ? warmQueue : queue, CONCURRENCY, FLOOR_CALLS);

    await server.stop();

    // ---- What the clients saw. ----
    const problems: string[] = [];
    const answers = run.outcomes.flatMap((o) => [o.first, ...(o.second ? [o.second] : [])]);
    const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
    const errors = answers.filter((a) => a.error);
    if (errors.length) {
      const where = (mode: Resend, which: "first" | "second") =>
        run.outcomes.filter((o) => o.player.resend === mode && (which === "first" ? o.first : o.second)?.error).length;
      problems.push(
        `${errors.length} requests failed (first sends: ${where("none", "first") + where("after", "first")} alone, ` +
          `${where("concurrent", "first") + where("concurrent", "second")} in concurrent pairs; resends after the answer: ${where("after", "second")}); ` +
          `first: ${errors[0]!.error}`,
      );
    }
    let resendMismatch = 0;
    for (const o of run.outcomes) {
      if (
        o.second &&
        !o.first.error &&
        !o.second.error &&
        (o.second.registrationId !== o.first.registrationId || o.second.next !== o.first.next)
      )
        resendMismatch++;
    }
    if (resendMismatch) problems.push(`${resendMismatch} resends got a different answer from their original`);
    const seen = new Map<string, string>(); // user → next, as the client was told
    for (const o of run.outcomes) {
      const told = o.first.next ?? o.second?.next;
      if (told) seen.set(o.player.id, told);
    }
    const toldConfirmed = [...seen.values()].filter((n) => n === "confirmed").length;
    const toldWaitlisted = [...seen.values()].filter((n) => n === "waitlisted").length;

    // ---- What the database says. ----
    const escrow = await ledger.eventEscrowAccount(db, eventId);
    const registrationRows = await sql<{ user_id: string; id: string; status: string; idempotency_key: string }[]>`
      select user_id, id, status, idempotency_key from registrations where event_id = ${eventId}`;
    const byUser = new Map<string, (typeof registrationRows)[number][]>();
    for (const r of registrationRows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
    const confirmed = registrationRows.filter((r) => r.status === "confirmed").length;
    const waitlisted = registrationRows.filter((r) => r.status === "waitlisted").length;
    const otherStatuses = registrationRows.filter((r) => r.status !== "confirmed" && r.status !== "waitlisted");
    if (otherStatuses.length)
      problems.push(`${otherStatuses.length} registrations are neither confirmed nor waitlisted (e.g. ${otherStatuses[0]!.status})`);
    const multiple = [...byUser.values()].filter((rows) => rows.length > 1).length;
    if (multiple) problems.push(`${multiple} players have more than one registration`);
    if (confirmed + waitlisted !== players) problems.push(`confirmed ${confirmed} + waitlisted ${waitlisted} ≠ ${players} players`);
    const expectedConfirmed = Math.min(CAPACITY, players);
    if (confirmed !== expectedConfirmed) problems.push(`${confirmed} confirmed, expected ${expectedConfirmed}`);
    const oversold = Math.max(0, confirmed - CAPACITY);
    if (oversold) problems.push(`oversold by ${oversold}`);
    let wrongAnswer = 0;
    for (const o of run.outcomes) {
      const rows = byUser.get(o.player.id) ?? [];
      const row = rows.find((r) => r.idempotency_key === o.key);
      const expectedNext = row?.status === "confirmed" ? "confirmed" : row?.status === "waitlisted" ? "waitlisted" : undefined;
      for (const a of [o.first, o.second]) {
        if (a && !a.error && (!row || a.registrationId !== row.id || a.next !== expectedNext)) wrongAnswer++;
      }
    }
    if (wrongAnswer) problems.push(`${wrongAnswer} answers do not match the stored registration`);
    if (toldConfirmed !== confirmed || toldWaitlisted !== waitlisted) {
      problems.push(
        `clients were told ${toldConfirmed} confirmed / ${toldWaitlisted} waitlisted; the database has ${confirmed} / ${waitlisted}`,
      );
    }

    const [seatRow] = await sql<{ seats_taken: number }[]>`select seats_taken from events where id = ${eventId}`;
    if (seatRow!.seats_taken !== confirmed) problems.push(`events.seats_taken is ${seatRow!.seats_taken}, ${confirmed} confirmed`);

    // Entry-fee debits into this event's escrow, per player.
    const debits = await sql<{ user_id: string; transfers: number; paid: string }[]>`
      select a.user_id, count(distinct t.id)::int as transfers, (-sum(e.amount))::text as paid
      from ledger_entries e
      join ledger_transfers t on t.id = e.transfer_id
      join ledger_accounts a on a.id = e.account_id
      where t.category = 'entry_fee' and a.kind = 'wallet_available' and e.amount < 0
        and e.transfer_id in (select transfer_id from ledger_entries where account_id = ${escrow})
      group by a.user_id`;
    const doubleCharges = debits.filter((d) => d.transfers > 1).length;
    if (doubleCharges) problems.push(`${doubleCharges} players were charged more than once`);
    const confirmedUsers = new Set(registrationRows.filter((r) => r.status === "confirmed").map((r) => r.user_id));
    const chargedNotConfirmed = debits.filter((d) => !confirmedUsers.has(d.user_id)).length;
    if (chargedNotConfirmed) problems.push(`${chargedNotConfirmed} players were charged without a confirmed seat`);
    if (debits.length !== confirmed) problems.push(`${debits.length} players charged, ${confirmed} confirmed`);

    const wallets = await sql<{ user_id: string; kind: string; balance: string }[]>`
      select user_id, kind, balance::text as balance from ledger_accounts where user_id = any(${mainRows.map((r) => r.id)}::uuid[])`;
    let wrongWallets = 0;
    for (const w of wallets) {
      const expected = w.kind === "wallet_held" ? 0 : FUNDING - (confirmedUsers.has(w.user_id) ? ENTRY_FEE : 0);
      if (Number(w.balance) !== expected) wrongWallets++;
    }
    if (wallets.length !== 2 * players) problems.push(`${wallets.length} wallet accounts for ${players} players`);
    if (wrongWallets) problems.push(`${wrongWallets} wallet accounts do not hold funding − fee (if confirmed)`);

    const escrowBalance = await ledger.accountBalance(db, escrow);
    if (escrowBalance !== confirmed * ENTRY_FEE) problems.push(`escrow holds ${escrowBalance}, expected ${confirmed * ENTRY_FEE}`);
    if (warmupEnabled) {
      const [warm] = await sql<{ confirmed: number; seats: number }[]>`
        select (select count(*)::int from registrations where event_id = ${warmupEventId} and status = 'confirmed') as confirmed,
               (select seats_taken from events where id = ${warmupEventId}) as seats`;
      const warmEscrow = await ledger.accountBalance(db, await ledger.eventEscrowAccount(db, warmupEventId));
      if (warm!.confirmed !== WARMUP_CAPACITY || warm!.seats !== WARMUP_CAPACITY || warmEscrow !== WARMUP_CAPACITY * ENTRY_FEE) {
        problems.push(`warm-up event: ${warm!.confirmed} confirmed, ${warm!.seats} seats taken, escrow ${warmEscrow}`);
      }
    }

    const [global] = await sql<{ total: string; drift: number; negative: number; unbalanced: number }[]>`
      select
        (select coalesce(sum(amount), 0)::text from ledger_entries) as total,
        (select count(*)::int from ledger_accounts a where a.balance is not null
           and a.balance <> (select coalesce(sum(e.amount), 0) from ledger_entries e where e.account_id = a.id)) as drift,
        (select count(*)::int from ledger_accounts where balance < 0) as negative,
        (select count(*)::int from (select 1 from ledger_entries group by transfer_id having sum(amount) <> 0) t) as unbalanced`;
    if (Number(global!.total) !== 0) problems.push(`ledger entries sum to ${global!.total}, not 0`);
    if (global!.drift) problems.push(`${global!.drift} stored balances differ from the sum of their entries`);
    if (global!.negative) problems.push(`${global!.negative} negative balances`);
    if (global!.unbalanced) problems.push(`${global!.unbalanced} transfers whose entries do not sum to 0`);

    // ---- Report. ----
    const invariantsOk = problems.length === 0;
    const p99 = percentile(latencies, 99);
    const registrationsPerSecond = players / run.seconds;
    const group = (label: string, values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `  ${label.padEnd(28)} n=${String(sorted.length).padStart(5)}  p50 ${percentile(sorted, 50).toFixed(1).padStart(7)}  p90 ${percentile(sorted, 90).toFixed(1).padStart(7)}  p99 ${percentile(sorted, 99).toFixed(1).padStart(7)}  max ${(sorted.at(-1) ?? NaN).toFixed(1).padStart(7)} ms`;
    };
    const firstOf = (next: string) => run.outcomes.filter((o) => o.first.next === next).map((o) => o.first.ms);
    console.log(
      `\nrun: ${players} checkouts (${answers.length} requests, ${run.outcomes.filter((o) => o.player.resend === "after").length} resent after the answer, ` +
        `${run.outcomes.filter((o) => o.player.resend === "concurrent").length} resent at once) in ${run.seconds.toFixed(2)} s: ` +
        `${registrationsPerSecond.toFixed(1)} checkouts/s, ${(answers.length / run.seconds).toFixed(1)} requests/s`,
    );
    console.log(`latency (client, whole request):`);
    console.log(group("all requests", latencies));
    console.log(group("first: confirmed", firstOf("confirmed")));
    console.log(group("first: waitlisted", firstOf("waitlisted")));
    console.log(
      group(
        "resend after the answer",
        run.outcomes.filter((o) => o.player.resend === "after" && o.second).map((o) => o.second!.ms),
      ),
    );
    console.log(
      group(
        "concurrent pairs (both)",
        run.outcomes.filter((o) => o.player.resend === "concurrent").flatMap((o) => [o.first.ms, o.second!.ms]),
      ),
    );
    const buckets = [50, 100, 250, 500, 1000];
    console.log(
      `  distribution: ${buckets.map((b) => `≤${b} ms ${((100 * latencies.filter((l) => l <= b).length) / latencies.length).toFixed(1)}%`).join(", ")}`,
    );
    console.log(
      `for scale: account.me (the smallest signed-in call) × ${FLOOR_CALLS} from ${CONCURRENCY} clients: ${floor.perSecond.toFixed(0)} calls/s, ` +
        `p50 ${floor.p50.toFixed(1)} ms, p99 ${floor.p99.toFixed(1)} ms, ${floor.serverMs.toFixed(1)} ms of server CPU a call` +
        (floor.failures ? ` (${floor.failures} failed)` : ""),
    );
    console.log(describeServerTime(histogramBefore, histogramAfter));
    console.log(describeCpu(cpuBefore, cpuAfter, run.seconds));
    console.log(
      `load average before/after the run: ${loadBefore.map((l) => l.toFixed(2)).join(" ")} / ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`,
    );
    console.log(
      `database: ${confirmed} confirmed, ${waitlisted} waitlisted, seats_taken ${seatRow!.seats_taken}/${CAPACITY}, ` +
        `escrow ${(escrowBalance / 100).toFixed(2)}, ${doubleCharges} double charges, ledger sum ${global!.total}`,
    );
    console.log(invariantsOk ? "invariants: all hold" : `invariants FAILED:\n  - ${problems.join("\n  - ")}`);
    console.log(`p99 ${p99.toFixed(1)} ms: ${p99 <= P99_TARGET_MS ? "within" : "OVER"} the ${P99_TARGET_MS} ms target`);

    console.log(
      JSON.stringify({
        attempts: players,
        confirmed,
        capacity: CAPACITY,
        waitlisted,
        double_charges: doubleCharges,
        oversold,
        invariants_ok: invariantsOk,
        registrations_s: round(registrationsPerSecond, 1),
        p99_ms: round(p99, 1),
      }),
    );
    return invariantsOk ? 0 : 1;
  } finally {
    await teardown.run();
  }
}

runBenchmark("bench:checkout", main);
