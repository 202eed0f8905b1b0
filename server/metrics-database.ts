import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getDb } from "./database";
import { checkDatabase } from "./health";
import { logger } from "./logger";
import { MISMATCH_KINDS, metrics, setScrapeRefresh } from "./metrics";

/**
 * The gauges Prometheus reads from the database at scrape time. Every query is bounded: it reads
 * one small table (reconciliation runs, live events and their escrow entries, graphile-worker's job
 * queue grouped by task) under a 2-second statement timeout; the gauges of one scrape share one refresh.
 */

export interface DatabaseGauges {
  jobs: { task: string; queued: number; retrying: number; dead: number; oldestSeconds: number }[];
  reconciliation: { mismatches: Record<string, number>; lastSuccess: number };
  escrow: { liveEvents: number; liveBalance: number; paidOutNotEmpty: number };
}

const QUERY_TIMEOUT = "2s";

export async function readDatabaseGauges(db: Db): Promise<DatabaseGauges> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = ${sql.raw(`'${QUERY_TIMEOUT}'`)}`);
    const jobs = await tx.execute<{ task: string; queued: number; retrying: number; dead: number; oldest: number | null }>(sql`
      select t.identifier as task,
        count(*) filter (where j.attempts < j.max_attempts and j.locked_at is null and j.run_at <= now())::int as queued,
        count(*) filter (where j.attempts < j.max_attempts and j.last_error is not null)::int as retrying,
        count(*) filter (where j.attempts >= j.max_attempts)::int as dead,
        extract(epoch from now() - min(j.run_at) filter (where j.attempts < j.max_attempts and j.locked_at is null and j.run_at <= now()))::float8 as oldest
      from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      group by t.identifier`);
    const [latest] = await tx.execute<{ id: string | null; last_success: number | null }>(sql`
      select (select id from reconciliation_runs where status = 'finished' order by finished_at desc limit 1) as id,
        extract(epoch from (select max(finished_at) from reconciliation_runs where status = 'finished'))::float8 as last_success`);
    const mismatches: Record<string, number> = Object.fromEntries(MISMATCH_KINDS.map((kind) => [kind, 0]));
    if (latest?.id) {
      const rows = await tx.execute<{ kind: string; n: number }>(sql`
        select kind, count(*)::int as n from reconciliation_mismatches where run_id = ${latest.id} and repaired = 'no' group by kind`);
      for (const row of rows) mismatches[row.kind] = row.n;
    }
    const [escrow] = await tx.execute<{ live_events: number; live_balance: string; paid_out_not_empty: number }>(sql`
      select
        (select count(*)::int from events where status = 'live') as live_events,
        (select coalesce(sum(le.amount), 0)::bigint from events e
          join ledger_accounts a on a.event_id = e.id and a.kind = 'event_escrow'
          join ledger_entries le on le.account_id = a.id
          where e.status = 'live') as live_balance,
        (select count(*)::int from (
          select e.id from events e
          join ledger_accounts a on a.event_id = e.id and a.kind = 'event_escrow'
          join ledger_entries le on le.account_id = a.id
          where e.paid_out_at > now() - interval '7 days'
          group by e.id having sum(le.amount) <> 0) s) as paid_out_not_empty`);
    return {
      jobs: jobs.map((row) => ({
        task: row.task,
        queued: row.queued,
        retrying: row.retrying,
        dead: row.dead,
        oldestSeconds: Math.max(0, row.oldest ?? 0),
      })),
      reconciliation: { mismatches, lastSuccess: latest?.last_success ?? 0 },
      escrow: {
        liveEvents: escrow?.live_events ?? 0,
        liveBalance: Number(escrow?.live_balance ?? 0),
        paidOutNotEmpty: escrow?.paid_out_not_empty ?? 0,
      },
    };
  });
}

/** Sets the scrape-time gauges from a fresh read (or marks the database down if it fails). */
export async function setDatabaseGauges(db: Db, ping?: () => Promise<unknown>): Promise<void> {
  const health = await checkDatabase(ping ?? (() => db.execute(sql`select 1`)));
  metrics.databaseUp.set(health.status === "ok" ? 1 : 0);
  if (health.status === "ok") metrics.databaseLatency.set(health.latencyMs / 1000);
  if (health.status !== "ok") return;
  let gauges: DatabaseGauges;
  try {
    gauges = await readDatabaseGauges(db);
  } catch (error) {
    logger.warn({ component: "metrics", err: error instanceof Error ? error.message : String(error) }, "metrics: database gauges not read");
    return;
  }
  // Tasks that emptied out disappear instead of staying at their last value.
  for (const gauge of [metrics.jobsQueued, metrics.jobsRetrying, metrics.jobsDead, metrics.jobQueueOldest]) gauge.reset();
  for (const job of gauges.jobs) {
    metrics.jobsQueued.set({ task: job.task }, job.queued);
    metrics.jobsRetrying.set({ task: job.task }, job.retrying);
    metrics.jobsDead.set({ task: job.task }, job.dead);
    metrics.jobQueueOldest.set({ task: job.task }, job.oldestSeconds);
  }
  for (const [kind, n] of Object.entries(gauges.reconciliation.mismatches)) metrics.reconciliationMismatches.set({ kind }, n);
  metrics.reconciliationLastSuccess.set(gauges.reconciliation.lastSuccess);
  metrics.liveEvents.set(gauges.escrow.liveEvents);
  metrics.liveEscrow.set(gauges.escrow.liveBalance);
  metrics.paidOutEscrowNotEmpty.set(gauges.escrow.paidOutNotEmpty);
}

let source: { db: () => Promise<Db>; ping?: () => Promise<unknown> } = { db: getDb };
let inFlight: Promise<void> | null = null;

/** Which database the scrape-time gauges read (tests: their own, and a ping that may fail). */
export function setMetricsDatabase(db: Db, ping?: () => Promise<unknown>): void {
  source = { db: async () => db, ping };
  readGaugesFromDatabase();
}

/** Has every scrape refresh the database gauges first (metricsAnswer calls it before each). */
export function readGaugesFromDatabase(): void {
  setScrapeRefresh(refreshDatabaseGauges);
}

/**
 * Called by each scrape-time gauge's collect(). prom-client collects all metrics of a scrape at
 * once, so they share the refresh in flight.
 */
export function refreshDatabaseGauges(): Promise<void> {
  inFlight ??= (async () => {
    let db: Db;
    try {
      db = await source.db();
    } catch {
      metrics.databaseUp.set(0);
      return;
    }
    await setDatabaseGauges(db, source.ping);
  })()
    .catch((error: unknown) => {
      logger.warn({ component: "metrics", err: error instanceof Error ? error.message : String(error) }, "metrics: refresh failed");
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}
