import { sql } from "drizzle-orm";
import { type Job, Logger, runMigrations } from "graphile-worker";
import type { DbOrTx } from "@/db/client";
import { logger } from "@/server/logger";

/**
 * graphile-worker logs each job it runs with the whole job row; the payload may hold personal data
 * or secrets, so only what names the job is logged.
 */
function withoutPayload(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const job = meta?.job as Job | undefined;
  if (!job || typeof job !== "object") return meta ?? {};
  return { ...meta, job: { id: job.id, task: job.task_identifier, attempts: job.attempts, maxAttempts: job.max_attempts } };
}

export const jobLogger = new Logger((scope) => (level, message, meta) => {
  const log = logger.child({ component: "jobs", ...scope });
  const fields = withoutPayload(meta);
  if (level === "error") log.error(fields, message);
  else if (level === "warning") log.warn(fields, message);
  else if (level === "info") log.info(fields, message);
  else log.debug(fields, message);
});

/** Creates or updates graphile-worker's own tables (schema graphile_worker). */
export async function installJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: jobLogger });
}

export interface JobOptions {
  /** Replaces a queued job with the same key instead of adding a second one. */
  jobKey?: string;
  maxAttempts?: number;
  runAt?: Date;
}

/**
 * Adds a job inside the caller's transaction: it runs only if that transaction commits, and at
 * least once, so every task must be idempotent.
 */
export async function enqueueJob(db: DbOrTx, task: string, payload: unknown, options: JobOptions = {}): Promise<void> {
  await db.execute(sql`select graphile_worker.add_job(
    ${task},
    ${JSON.stringify(payload ?? {})}::json,
    job_key => ${options.jobKey ?? null}::text,
    max_attempts => ${options.maxAttempts ?? 25}::int,
    run_at => ${options.runAt?.toISOString() ?? null}::timestamptz
  )`);
}

export interface JobSpec {
  task: string;
  payload: unknown;
  runAt?: Date;
  /** Replaces a queued job with the same key. */
  jobKey?: string;
}

const BULK_CHUNK = 5_000;

/**
 * Adds many jobs in one statement per 5,000 (graphile-worker's add_jobs), inside the caller's
 * transaction: starting a 16,384-entrant bracket queues 8,192 report deadlines without 8,192 round
 * trips. Same semantics as enqueueJob: they run only if the transaction commits.
 */
export async function enqueueJobs(tx: DbOrTx, specs: readonly JobSpec[]): Promise<void> {
  for (let start = 0; start < specs.length; start += BULK_CHUNK) {
    await tx.execute(sql`select count(*) from graphile_worker.add_jobs(
      array(select json_populate_recordset(null::graphile_worker.job_spec, ${jobSpecsJson(specs.slice(start, start + BULK_CHUNK))}::json)), false)`);
  }
}

/**
 * Jobs as the JSON that graphile_worker.add_jobs() reads (through json_populate_recordset into
 * graphile_worker.job_spec), for enqueueJobs and for SQL that adds its jobs itself.
 */
export function jobSpecsJson(specs: readonly JobSpec[]): string {
  return JSON.stringify(
    specs.map((spec) => ({
      identifier: spec.task,
      payload: spec.payload ?? {},
      run_at: spec.runAt?.toISOString() ?? null,
      job_key: spec.jobKey ?? null,
      max_attempts: 25,
    })),
  );
}
