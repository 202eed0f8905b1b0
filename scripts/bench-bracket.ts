/**
 * `npm run bench:bracket`: starting big brackets and reporting results, through the service layer.
 *
 * One throwaway PostgreSQL (an embedded cluster in the OS temp folder, or a fresh database on
 * DATABASE_URL's server, dropped at the end), migrated with the job queue. Players, events and
 * checked-in registrations are seeded with bulk SQL before anything is timed. Measured:
 *
 *   de4096_ms     startBracket on a 4,096-entrant double elimination: seeding from the checked-in
 *                 field, the engine, 8,191 match rows and the entrants (COPY), the start record, the
 *                 event going live, announcements, the follow-up job: one transaction
 *   se16384_ms    the same for a 16,384-entrant single elimination (16,383 rows)
 *   report_*_ms   1,000 organizer results (setMatchResult: lock, load downstream rows, engine, one
 *                 write statement, audit record, live announcements, deadline and notification jobs)
 *                 on ready matches of the double elimination, one after another (concurrency 1).
 *
 * Informational: the same 1,000 results with 4 concurrent organizers on the single elimination (they
 * queue on the bracket's lock), and the job that runs after a start (8,192 report deadlines and
 * 16,384 first-match notifications queued) for the single elimination. A small
 * bracket is started first to warm up (not counted). The 16,384 entries exceed an event's capacity
 * (4,096): registrations are written straight to the table, seat counts untouched. Human-readable
 * lines first, the JSON line last; exits non-zero when a consistency check fails.
 */
// An entry point: what the services reach through the composition root is registered first.
import "@/server/composition";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { percentile, round, Teardown, runBenchmark } from "./bench/common";
import { openThrowawayDatabase } from "./bench/database";

// Must be set before anything creates the app's pino logger (modules below are imported lazily).
process.env.LOG_LEVEL = "silent";

const REPORTS = 1_000;

async function main() {
  const { migrateDatabase } = await import("@/server/database");
  const { sql } = await import("drizzle-orm");
  const service = await import("@/server/brackets/service");
  type Db = import("@/db/client").Db;
  type SessionUser = import("@/server/accounts/roles").SessionUser;

  const teardown = new Teardown();
  try {
    const throwaway = await openThrowawayDatabase(teardown, { name: "bracket", max: 8 });
    await migrateDatabase(throwaway.database);
    const db: Db = throwaway.database.db;
    console.log(
      `bracket benchmark: Node ${process.version}, PostgreSQL ${throwaway.version} (${throwaway.kind}), ${os.cpus().length} CPUs`,
    );

    // ---- Seed (not timed): an organizer, 16,384 players, four events with checked-in entries. ----
    const seedStarted = performance.now();
    const [organizer] = (await db.execute<Record<string, unknown>>(sql`
      insert into users (name, email, role) values ('Bench Organizer', ${`organizer-${crypto.randomUUID()}@example.test`}, 'organizer')
      returning id, name, email, role, image`)) as unknown as SessionUser[];
    const [game] = await db.execute<{ id: string }>(
      sql`insert into games (slug, name, handle_label) values ('bench', 'Bench', 'Tag') returning id`,
    );
    await db.execute(sql`insert into users (name, email) select 'Bench player ' || i, 'bench-' || i || '-' || gen_random_uuid() || '@example.test'
      from generate_series(1, 16384) i`);
    const newEvent = async (name: string, format: string) => {
      const [row] = await db.execute<{ id: string }>(sql`
        insert into events (organizer_id, game_id, name, format, capacity, registration_opens_at, registration_closes_at,
          check_in_opens_at, check_in_closes_at, starts_at, status, published_at)
        values (${organizer!.id}, ${game!.id}, ${name}, ${format}::event_format, 4096, now() - interval '3 days', now() - interval '2 hours',
          now() - interval '3 hours', now() - interval '1 hour', now(), 'published', now())
        returning id`);
      return row!.id;
    };
    const enter = async (eventId: string, count: number) => {
      await db.execute(sql`
        insert into registrations (event_id, user_id, status, idempotency_key, fee, created_at, confirmed_at, checked_in_at)
        select ${eventId}, u.id, 'confirmed', gen_random_uuid()::text, 0, now() - interval '1 day' + n * interval '1 ms', now(), now()
        from (select id, row_number() over (order by created_at, id) as n from users where role = 'player' order by created_at, id limit ${count}) u`);
    };
    const warmEvent = await newEvent("Warm-up", "double_elimination");
    const deEvent = await newEvent("Double elimination 4,096", "double_elimination");
    const seEvent = await newEvent("Single elimination 16,384", "single_elimination");
    await enter(warmEvent, 256);
    await enter(deEvent, 4_096);
    await enter(seEvent, 16_384);
    await db.execute(sql`analyze`);
    console.log(`seeded 16,384 players and 20,736 checked-in entries in ${round((performance.now() - seedStarted) / 1000, 1)} s`);

    const start = (eventId: string) =>
      service.startBracket(db, organizer!, eventId, {
        seeding: "registration",
        settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
        reportMinutes: 30,
      });
    const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
      const started = performance.now();
      const value = await run();
      return [value, performance.now() - started];
    };

    const [warm, warmMs] = await timed(() => start(warmEvent));
    console.log(`warm-up: 256-entrant double elimination (${warm.matches} matches) started in ${round(warmMs, 1)} ms`);
    const [de, deMs] = await timed(() => start(deEvent));
    console.log(`double elimination 4,096: ${de.matches} matches persisted in ${round(deMs, 1)} ms (target ≤ 2,000)`);
    const [se, seMs] = await timed(() => start(seEvent));
    console.log(`single elimination 16,384: ${se.matches} matches persisted in ${round(seMs, 1)} ms (target ≤ 5,000)`);

    // ---- 1,000 organizer results, one at a time, on ready matches of the double elimination. ----
    const readyOf = async (bracketId: string) =>
      (
        await db.execute<{ id: string }>(
          sql`select id from bracket_matches where bracket_id = ${bracketId} and status = 'ready' order by ordinal`,
        )
      ).map((row) => row.id);
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    const play = async (bracketId: string, count: number, concurrency: number) => {
      const queue = await readyOf(bracketId);
      const seen = new Set(queue);
      const latencies: number[] = [];
      let failures = 0;
      let firstError: unknown;
      let started = 0;
      let inFlight = 0;
      const worker = async () => {
        while (started < count) {
          const matchId = queue.shift();
          if (!matchId) {
            // Whatever is ready is being played; the matches it unlocks come back with its result.
            if (inFlight > 0) {
              await new Promise((resolve) => setTimeout(resolve, 1));
              continue;
            }
            return;
          }
          started++;
          inFlight++;
          const began = performance.now();
          try {
            const result = await service.setMatchResult(db, organizer!, {
              matchId,
              outcome: { type: "played", winner: random() < 0.5 ? 0 : 1 },
            });
            latencies.push(performance.now() - began);
            for (const match of result.matches) {
              if (match.status === "ready" && !seen.has(match.id)) {
                seen.add(match.id);
                queue.push(match.id);
              }
            }
          } catch (error) {
            failures++;
            firstError ??= error;
          } finally {
            inFlight--;
          }
        }
      };
      const began = performance.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - began) / 1000, failures, firstError };
    };

    const sequential = await play(de.bracketId, REPORTS, 1);
    const p50 = percentile(sequential.latencies, 50);
    const p99 = percentile(sequential.latencies, 99);
    console.log(
      `1,000 results on the double elimination, sequential: ${sequential.latencies.length} ok, ${sequential.failures} failed in ${round(sequential.seconds, 2)} s; ` +
        `p50 ${round(p50, 2)} ms, p90 ${round(percentile(sequential.latencies, 90), 2)} ms, p99 ${round(p99, 2)} ms, max ${round(sequential.latencies.at(-1) ?? NaN, 2)} ms (target p99 ≤ 50)`,
    );
    if (sequential.firstError) console.error("first failure:", sequential.firstError);
    const concurrent = await play(se.bracketId, REPORTS, 4);
    console.log(
      `informational: 1,000 results on the single elimination, 4 concurrent: ${concurrent.latencies.length} ok, ${concurrent.failures} failed in ${round(concurrent.seconds, 2)} s; ` +
        `p50 ${round(percentile(concurrent.latencies, 50), 2)} ms, p99 ${round(percentile(concurrent.latencies, 99), 2)} ms (including waits for the bracket lock)`,
    );
    if (concurrent.firstError) console.error("first failure:", concurrent.firstError);

    const [fanout, fanoutMs] = await timed(() => service.afterBracketStart(db, se.bracketId));
    console.log(
      `informational: the after-start job queued the first report deadlines and ${fanout} players' notifications in ${round(fanoutMs, 1)} ms`,
    );

    // ---- Checks: the stored open-match counters and versions agree with the rows. ----
    const checks = await db.execute<{ id: string; open_matches: number; counted: number; version: number; actions: number }>(sql`
      select b.id, b.open_matches,
        (select count(*)::int from bracket_matches m where m.bracket_id = b.id and m.status in ('pending', 'ready', 'in_progress')) as counted,
        b.version, (select count(*)::int from bracket_actions a where a.bracket_id = b.id and a.kind <> 'start') + 1 as actions
      from brackets b`);
    const consistent =
      sequential.failures === 0 &&
      concurrent.failures === 0 &&
      sequential.latencies.length === REPORTS &&
      checks.every((row) => row.open_matches === row.counted && row.version === row.actions);
    console.log(
      consistent ? "checks: open-match counters and versions match the rows; no result failed" : `CHECKS FAILED: ${JSON.stringify(checks)}`,
    );

    const summary = { de4096_ms: round(deMs, 1), se16384_ms: round(seMs, 1), report_p50_ms: round(p50, 2), report_p99_ms: round(p99, 2) };
    await teardown.run();
    console.log(JSON.stringify(summary));
    return consistent ? 0 : 1;
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

runBenchmark("bench:bracket", main);
