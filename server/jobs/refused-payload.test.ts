import { sql } from "drizzle-orm";
import type { Logger as PinoLogger } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { logger } from "@/server/logger";
import { metrics } from "@/server/metrics";
import { EXPIRE_OFFER_TASK } from "@/server/registration/lifecycle";
import { runDueJobs } from "@/server/worker";
import { enqueueJob } from "./queue";

const database = await createTestDatabase();
const { db } = database;

interface Readable {
  get(): Promise<{ values: { labels: Record<string, string | number>; value: number }[] }>;
}
const count = async (metric: Readable, task: string) => (await metric.get()).values.find((v) => v.labels.task === task)?.value ?? 0;

/** Every line logged through pino (the job logger and graphile-worker's lines included), as JSON. */
function recordLogs(): string[] {
  const lines: string[] = [];
  const record =
    (bindings: object) =>
    (...args: unknown[]) =>
      lines.push(JSON.stringify([bindings, ...args]));
  const recorder = (bindings: object) => ({
    error: record(bindings),
    warn: record(bindings),
    info: record(bindings),
    debug: record(bindings),
  });
  vi.spyOn(logger, "child").mockImplementation((bindings) => recorder(bindings) as unknown as PinoLogger<string>);
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a job whose payload its task refuses", () => {
  it("fails for good at once: logged with its id and task (not its payload), counted, not retried; a good job still runs", async () => {
    const task = { task: EXPIRE_OFFER_TASK };
    const before = {
      failures: await count(metrics.jobFailures, EXPIRE_OFFER_TASK),
      retries: await count(metrics.jobRetries, EXPIRE_OFFER_TASK),
      failedForGood: await count(metrics.jobsFailedPermanently, EXPIRE_OFFER_TASK),
      succeeded: await count(metrics.jobsSucceeded, EXPIRE_OFFER_TASK),
    };
    // registrationId must be a string: no code can ever run this job.
    await enqueueJob(db, EXPIRE_OFFER_TASK, { registrationId: 42, note: "secret-in-the-payload" }, { jobKey: "refused-payload-test" });
    // A registration that does not exist: the task runs and has nothing to do.
    await enqueueJob(db, EXPIRE_OFFER_TASK, { registrationId: "00000000-0000-0000-0000-000000000000" });
    const queued = await db.execute<{ id: string; good: boolean }>(
      sql`select id::text, key is null as good from graphile_worker.jobs where task_identifier = ${task.task}`,
    );
    const bad = queued.find((job) => !job.good)!;
    expect(queued).toHaveLength(2);

    const logs = recordLogs();
    await runDueJobs(database);

    // Neither is left in the queue: the good one succeeded, the bad one will never be tried again.
    const left = await db.execute<{ id: string; attempts: number; max_attempts: number }>(
      sql`select id::text, attempts, max_attempts from graphile_worker.jobs where task_identifier = ${task.task}`,
    );
    expect(left).toEqual([]);

    const refusal = logs.find((line) => line.includes("refused"));
    expect(refusal).toBeDefined();
    expect(JSON.parse(refusal!)[1]).toEqual({ jobId: bad.id, task: EXPIRE_OFFER_TASK, attempt: 1, fields: ["registrationId"] });
    expect(logs.filter((line) => line.includes("secret-in-the-payload"))).toEqual([]);

    expect(await count(metrics.jobFailures, EXPIRE_OFFER_TASK)).toBe(before.failures + 1);
    expect(await count(metrics.jobsFailedPermanently, EXPIRE_OFFER_TASK)).toBe(before.failedForGood + 1);
    expect(await count(metrics.jobRetries, EXPIRE_OFFER_TASK)).toBe(before.retries);
    expect(await count(metrics.jobsSucceeded, EXPIRE_OFFER_TASK)).toBe(before.succeeded + 1);
  });
});
