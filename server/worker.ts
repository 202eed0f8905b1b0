/**
 * The job worker: graphile-worker running every domain's handlers (gathered in
 * server/composition.ts), with job metrics and a trace per job. Above the domains: they queue jobs
 * through server/jobs/queue.ts and never import this file.
 */
import { EventEmitter } from "node:events";
import { type JobHelpers, type Runner, type RunnerOptions, run, runOnce, type TaskList, type WorkerEvents } from "graphile-worker";
import type { Database } from "@/db/client";
import { metrics } from "@/server/metrics";
import { paymentGateway } from "@/server/payments/provider";
import { inSpan, ROOT_CONTEXT, SpanKind, tracingEnabled } from "@/server/tracing";
import { crontab, jobTaskList } from "./composition";
import { jobLogger } from "./jobs/queue";

/**
 * Counts job outcomes by task: every failed attempt, the ones that will be retried, the ones that
 * used their last attempt, and successes. Counted in the process that runs the worker.
 */
export function jobMetricsEvents(): WorkerEvents {
  const events: WorkerEvents = new EventEmitter();
  events.on("job:error", ({ job }) => {
    metrics.jobFailures.inc({ task: job.task_identifier });
    if (job.attempts < job.max_attempts) metrics.jobRetries.inc({ task: job.task_identifier });
  });
  events.on("job:failed", ({ job }) => metrics.jobsFailedPermanently.inc({ task: job.task_identifier }));
  events.on("job:success", ({ job }) => metrics.jobsSucceeded.inc({ task: job.task_identifier }));
  return events;
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
 * What graphile-worker is given however jobs are run: the composed task list (each job traced), the
 * job logger and the metrics events. Built here only, so the worker and runDueJobs run the same jobs
 * the same way.
 */
export async function workerOptions(database: Pick<Database, "db" | "url">) {
  return {
    connectionString: database.url,
    taskList: tracedTasks(jobTaskList({ db: database.db, gateway: await paymentGateway(database.db) })),
    logger: jobLogger,
    events: jobMetricsEvents(),
  } satisfies RunnerOptions;
}

/** The job worker: in the web process by default, or alone with `npm run worker`. */
export async function startWorker(database: Database, options: { concurrency?: number } = {}): Promise<Runner> {
  return run({ ...(await workerOptions(database)), concurrency: options.concurrency ?? 4, crontab, pollInterval: 2000 });
}

/** Runs every job that is due now, then returns (tests, scripts). */
export async function runDueJobs(database: Pick<Database, "db" | "url">): Promise<void> {
  await runOnce(await workerOptions(database));
}
