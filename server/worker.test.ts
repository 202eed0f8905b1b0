/**
 * The two ways of running jobs (the worker, and runDueJobs for tests and scripts) hand graphile-worker
 * the same thing, built in one place (workerOptions). graphile-worker's run/runOnce are replaced by
 * spies here, so nothing is run: what they are given is compared.
 */
import type { JobHelpers, Runner, RunnerOptions } from "graphile-worker";
import { describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { jobTaskList } from "./composition";
import { createSimulatedGateway } from "./payments/simulated-gateway";
import { jobLogger } from "./jobs/queue";
import { EXPIRE_OFFER_TASK } from "./registration/lifecycle";
import { runDueJobs, startWorker, workerOptions } from "./worker";

const given = vi.hoisted(() => ({ run: [] as RunnerOptions[], runOnce: [] as RunnerOptions[] }));
vi.mock("graphile-worker", async (importOriginal) => ({
  ...(await importOriginal<typeof import("graphile-worker")>()),
  run: async (options: RunnerOptions) => {
    given.run.push(options);
    return {} as Runner;
  },
  runOnce: async (options: RunnerOptions) => {
    given.runOnce.push(options);
  },
}));

const database = await createTestDatabase();

describe("the worker and runDueJobs", () => {
  it("give graphile-worker the options workerOptions builds: every task, the job logger, the metrics events", async () => {
    await startWorker(database);
    await runDueJobs(database);
    const [worker] = given.run;
    const [once] = given.runOnce;
    const shared = await workerOptions(database);
    const tasks = Object.keys(jobTaskList({ db: database.db, gateway: createSimulatedGateway(database.db, "whsec_worker_test") })).sort();
    expect(Object.keys(shared.taskList).sort()).toEqual(tasks);

    for (const options of [worker!, once!]) {
      expect(options.connectionString).toBe(database.url);
      expect(Object.keys(options.taskList!).sort()).toEqual(tasks);
      expect(options.logger).toBe(jobLogger);
      expect(options.events!.eventNames().sort()).toEqual(shared.events.eventNames().sort());
    }
    // What only the long-running worker has: its schedules, concurrency and polling.
    expect(worker).toMatchObject({ concurrency: 4, pollInterval: 2000 });
    expect(worker!.crontab).toMatch(/prune-live-events/);
    expect(Object.keys(worker!).sort()).toEqual([...Object.keys(shared), "concurrency", "crontab", "pollInterval"].sort());
    // runDueJobs batches the writing of outcomes, so that it returns only once they are written.
    expect(Object.keys(once!).sort()).toEqual([...Object.keys(shared), "preset"].sort());
    expect(once!.preset).toEqual({ worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } });
  });

  it("both refuse a payload the task's schema refuses without throwing, so graphile-worker does not retry it", async () => {
    given.run.length = 0;
    given.runOnce.length = 0;
    await startWorker(database);
    await runDueJobs(database);
    for (const options of [given.run[0]!, given.runOnce[0]!]) {
      const job = { id: "9", task_identifier: EXPIRE_OFFER_TASK, attempts: 1, max_attempts: 25 };
      const helpers = { job, logger: jobLogger.scope({}) } as unknown as JobHelpers;
      await expect(Promise.resolve(options.taskList![EXPIRE_OFFER_TASK]!({ registrationId: 7 }, helpers))).resolves.toBeUndefined();
    }
  });
});
