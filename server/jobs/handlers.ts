import type { JobHelpers, TaskList } from "graphile-worker";
import type { z } from "zod";

/**
 * The shape of a job handler, which each domain publishes for its own tasks in
 * `server/<domain>/jobs.ts`; server/composition.ts gathers them, one line per domain, and the
 * worker (server/worker.ts) runs them. `Deps` is what the handler needs from the process that runs
 * it (the database, the payment gateway...): a domain asks only for what it uses.
 */
export interface JobHandler<Deps> {
  /** graphile-worker's task identifier: the name jobs are queued under. */
  readonly task: string;
  /** Every payload shape that may be in the queue for this task, older ones included. */
  readonly payload: z.ZodType;
  /**
   * Checks the payload against the schema, then runs the handler with the parsed payload. A payload
   * the schema refuses throws JobPayloadError (naming the task and the fields) and the handler is
   * not called; the worker then fails that job for good, without retries (server/worker.ts).
   */
  readonly perform: (deps: Deps, payload: unknown, helpers: JobHelpers) => Promise<void>;
}

/** A recurring job, a line of graphile-worker's crontab. */
export interface JobSchedule {
  task: string;
  /** Minute, hour, day of month, month, day of week (UTC). */
  pattern: string;
  /** graphile-worker's options, e.g. `fill=1d&max=3` (catch up a missed run within a day). */
  options?: string;
  /** Merged into the payload of each scheduled job (with graphile-worker's own `_cron`). */
  payload?: Record<string, unknown>;
}

/** What a domain contributes to the worker: its handlers and its schedules. */
export interface JobHandlers<Deps> {
  readonly handlers: readonly JobHandler<Deps>[];
  readonly schedules?: readonly JobSchedule[];
}

/** A payload that no shape of its task accepts: queued by a bug, or by code since removed. */
export class JobPayloadError extends Error {
  constructor(
    readonly task: string,
    readonly fields: string[],
    detail: string,
  ) {
    super(`job ${task}: bad payload (${detail})`);
    this.name = "JobPayloadError";
  }
}

type Issue = z.core.$ZodIssue;

const fieldOf = (path: readonly PropertyKey[]) => (path.length > 0 ? path.map(String).join(".") : "payload");

/** The fields an issue names, those of every shape for a payload that matches none of a union's. */
function fieldsOf(issue: Issue, prefix: readonly PropertyKey[] = []): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) return issue.errors.flat().flatMap((inner) => fieldsOf(inner, path));
  return [fieldOf(path)];
}

function describeIssue(issue: Issue, prefix: readonly PropertyKey[] = []): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const shapes = issue.errors.map((shape) => shape.map((inner) => describeIssue(inner, path)).join("; "));
    return `none of its shapes: ${shapes.map((shape) => `(${shape})`).join(" or ")}`;
  }
  return `${fieldOf(path)}: ${issue.message}`;
}

function payloadError(task: string, error: z.ZodError): JobPayloadError {
  const fields = [...new Set(error.issues.flatMap((issue) => fieldsOf(issue)))];
  return new JobPayloadError(task, fields, error.issues.map((issue) => describeIssue(issue)).join("; "));
}

/**
 * A job handler: its task, the zod schema of its payload, and what it does. The handler's result is
 * not returned to graphile-worker (an array would read as a batch of results).
 */
export function defineJob<Deps, Schema extends z.ZodType>(job: {
  task: string;
  payload: Schema;
  run: (deps: Deps, payload: z.output<Schema>, helpers: JobHelpers) => unknown;
}): JobHandler<Deps> {
  return {
    task: job.task,
    payload: job.payload,
    perform: async (deps, payload, helpers) => {
      // graphile-worker stores `{}` for a job queued without one; an explicit null reads the same.
      const parsed = job.payload.safeParse(payload ?? {});
      if (!parsed.success) throw payloadError(job.task, parsed.error);
      await job.run(deps, parsed.data, helpers);
    },
  };
}

/** graphile-worker's task list for these handlers, each given `deps`. Two handlers of one task are a mistake. */
export function taskListOf<Deps>(handlers: readonly JobHandler<Deps>[], deps: Deps): TaskList {
  const tasks: TaskList = {};
  for (const handler of handlers) {
    if (Object.hasOwn(tasks, handler.task)) throw new Error(`Two handlers for the job ${handler.task}.`);
    tasks[handler.task] = (payload, helpers) => handler.perform(deps, payload, helpers);
  }
  return tasks;
}

/** The crontab line of a schedule, as graphile-worker reads it. */
export function crontabLine(schedule: JobSchedule): string {
  const parts = [schedule.pattern, schedule.task];
  if (schedule.options) parts.push(`?${schedule.options}`);
  if (schedule.payload) parts.push(JSON.stringify(schedule.payload));
  return parts.join(" ");
}
