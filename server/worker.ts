/**
 * The job worker: graphile-worker running every domain's handlers (gathered in
 * server/composition.ts), with job metrics and a trace per job. Above the domains: they queue jobs
 * through server/jobs/queue.ts and never import this file.
 */
import { EventEmitter } from "node:events";
import {
  type Job,
  type JobHelpers,
  type Runner,
  type RunnerOptions,
  run,
  runOnce,
  type TaskList,
  type WorkerEvents,
} from "graphile-worker";
import type { Database } from "@/db/client";
import { metrics } from "@/server/metrics";
import { paymentGateway } from "@/server/payments/provider";
import { inSpan, ROOT_CONTEXT, SpanKind, tracingEnabled } from "@/server/tracing";
import { crontab, jobTaskList } from "./composition";
import { JobPayloadError } from "./jobs/handlers";
import { jobLogger } from "./jobs/queue";

/**
 * Counts job outcomes by task: every failed attempt, the ones that will be retried, the ones that
 * used their last attempt, and successes. Counted in the process that runs the worker. A job whose
 * payload was refused (in `refused`) is counted by refusingBadPayloads, not as a success.
 */
export function jobMetricsEvents(refused: WeakSet<Job> = new WeakSet()): WorkerEvents {
  const events: WorkerEvents = new EventEmitter();
  events.on("job:error", ({ job }) => {
    metrics.jobFailures.inc({ task: job.task_identifier });
    if (job.attempts < job.max_attempts) metrics.jobRetries.inc({ task: job.task_identifier });
  });
  events.on("job:failed", ({ job }) => metrics.jobsFailedPermanently.inc({ task: job.task_identifier }));
  events.on("job:success", ({ job }) => {
    if (!refused.has(job)) metrics.jobsSucceeded.inc({ task: job.task_identifier });
  });
  return events;
}

/**
 * A job whose payload its task refuses (JobPayloadError: queued by a bug, or by code since removed)
 * can never succeed, so it fails for good at once instead of being retried 25 times: it is logged
 * with its id, task and the fields refused (not the payload, which may hold personal data), counted
 * as a failed attempt and a job failed for good, and then completed, which takes it out of the
 * queue. graphile-worker lets a task either succeed or fail and be retried; its admin functions
 * (permanently_fail_jobs) skip locked jobs, the running one included, and are documented as not
 * meant for a job to call on itself, so the task executor ends it.
 */
export function refusingBadPayloads(tasks: TaskList, refused: WeakSet<Job>): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([task, handler]) => [
      task,
      async (payload: unknown, helpers: JobHelpers) => {
        try {
          return await handler!(payload, helpers);
        } catch (error) {
          if (!(error instanceof JobPayloadError)) throw error;
          const { job } = helpers;
          helpers.logger.error(`Job ${job.id} (${job.task_identifier}) refused, not retried: ${error.message}`, {
            jobId: job.id,
            task: job.task_identifier,
            attempt: job.attempts,
            fields: error.fields,
          });
          metrics.jobFailures.inc({ task: job.task_identifier });
          metrics.jobsFailedPermanently.inc({ task: job.task_identifier });
          refused.add(job);
        }
      },
    ]),
  );
}

/** Each job a trace of its own (when tracing is on), named by its task, with its id and attempt. */
export function tracedTasks(tasks: TaskList): TaskList {
  if (!tracingEnabled()) return tasks;
  return Object.fromEntries(
    Object.entries(tasks).map(([task, handler]) => [
      task,
      (payload: unknown, helpers: JobHelpers) =>
        inSpan(
          `job ${task}`,
          {
            kind: SpanKind.CONSUMER,
            parent: ROOT_CONTEXT,
            attributes: { "driftwood.job.task": task, "driftwood.job.id": helpers.job.id, "driftwood.job.attempt": helpers.job.attempts },
          },
          () => handler!(payload, helpers),
        ),
    ]),
  );
}

/**
 * What graphile-worker is given however jobs are run: the composed task list (each job traced, a
 * refused payload failed for good), the job logger and the metrics events. Built here only, so the worker and runDueJobs run the same jobs
 * the same way.
 */
export async function workerOptions(database: Pick<Database, "db" | "url">) {
  const refused = new WeakSet<Job>();
  const tasks = tracedTasks(jobTaskList({ db: database.db, gateway: await paymentGateway(database.db) }));
  return {
    connectionString: database.url,
    taskList: refusingBadPayloads(tasks, refused),
    logger: jobLogger,
    events: jobMetricsEvents(refused),
  } satisfies RunnerOptions;
}

/** The job worker: in the web process by default, or alone with `npm run worker`. */
export async function startWorker(database: Database, options: { concurrency?: number } = {}): Promise<Runner> {
  return run({ ...(await workerOptions(database)), concurrency: options.concurrency ?? 4, crontab, pollInterval: 2000 });
}

/**
 * Runs every job that is due now, then returns once each outcome is written (tests, scripts).
 * Unbatched, graphile-worker writes a job's completion or failure without waiting for it, and
 * runOnce can return before the last one is in the table; batched (a delay of 0), it waits for the
 * batches when it shuts down.
 */
export async function runDueJobs(database: Pick<Database, "db" | "url">): Promise<void> {
  await runOnce({ ...(await workerOptions(database)), preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } } });
}
