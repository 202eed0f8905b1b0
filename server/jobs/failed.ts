import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { Conflict, NotFound } from "@/server/errors";

export interface FailedJob {
  id: string;
  task: string;
  attempts: number;
  maxAttempts: number;
  /** Used every attempt: will not run again unless retried. */
  dead: boolean;
  lastError: string;
  runAt: Date;
  createdAt: Date;
  updatedAt: Date;
  /** Taken by a worker right now (a retry is refused meanwhile). */
  running: boolean;
}

export const FAILED_JOBS_LIMIT = 100;
const ERROR_CHARS = 2_000;

/**
 * Jobs whose last attempt failed, dead ones first, newest first: graphile-worker keeps a job with
 * its last error until it succeeds. Payloads are not shown (they may hold personal data).
 */
export async function listFailedJobs(db: DbOrTx): Promise<FailedJob[]> {
  const rows = await db.execute<{
    id: string;
    task_identifier: string;
    attempts: number;
    max_attempts: number;
    last_error: string;
    run_at: string;
    created_at: string;
    updated_at: string;
    locked_at: string | null;
  }>(sql`
    select id::text, task_identifier, attempts, max_attempts, left(last_error, ${ERROR_CHARS}) as last_error, run_at, created_at, updated_at, locked_at
    from graphile_worker.jobs
    where last_error is not null
    order by (attempts >= max_attempts) desc, updated_at desc
    limit ${FAILED_JOBS_LIMIT}`);
  return rows.map((row) => ({
    id: row.id,
    task: row.task_identifier,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    dead: row.attempts >= row.max_attempts,
    lastError: row.last_error,
    runAt: new Date(row.run_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    running: row.locked_at !== null,
  }));
}

/**
 * Runs a failed job again now, with its attempts counted from zero. Tasks are idempotent, so a
 * retry of a job that half-succeeded does no harm. A job a worker holds right now is not touched.
 */
export async function retryJob(db: DbOrTx, jobId: string): Promise<{ id: string; runAt: Date }> {
  const [job] = await db.execute<{ id: string; locked_at: string | null; last_error: string | null }>(
    sql`select id::text, locked_at, last_error from graphile_worker.jobs where id = ${jobId}::bigint`,
  );
  if (!job) throw new NotFound("That job is no longer in the queue: it succeeded or was removed.");
  if (!job.last_error) throw new Conflict("That job has not failed; it is waiting for its turn.");
  const [rescheduled] = await db.execute<{ id: string; run_at: string }>(
    sql`select id::text, run_at from graphile_worker.reschedule_jobs(array[${jobId}::bigint], run_at := now(), attempts := 0)`,
  );
  if (!rescheduled) throw new Conflict("A worker is running that job right now. Try again when it has finished.");
  return { id: rescheduled.id, runAt: new Date(rescheduled.run_at) };
}
