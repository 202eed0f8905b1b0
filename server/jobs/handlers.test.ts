import type { JobHelpers } from "graphile-worker";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { crontabLine, defineJob, JobPayloadError, taskListOf } from "./handlers";

const helpers = { job: { id: "1", attempts: 1 } } as unknown as JobHelpers;

describe("defineJob", () => {
  it("runs the handler with the parsed payload (defaults applied, unknown keys such as _cron dropped)", async () => {
    const run = vi.fn();
    const job = defineJob({
      task: "test-reconcile",
      payload: z.object({ trigger: z.enum(["schedule", "manual"]).default("schedule"), actorId: z.string().optional() }),
      run,
    });
    await job.perform({ db: "deps" }, { _cron: { ts: "2026-01-01T04:00:00Z", backfilled: false } }, helpers);
    expect(run).toHaveBeenCalledWith({ db: "deps" }, { trigger: "schedule" }, helpers);
    // A job queued with no payload reads as {}.
    await job.perform({ db: "deps" }, null, helpers);
    expect(run).toHaveBeenLastCalledWith({ db: "deps" }, { trigger: "schedule" }, helpers);
  });

  it("fails a bad payload naming the task and the fields, without running the handler", async () => {
    const run = vi.fn();
    const job = defineJob({ task: "test-expire-offer", payload: z.object({ registrationId: z.string(), at: z.iso.datetime() }), run });
    const failure = await job.perform({}, { registrationId: 42, at: "yesterday" }, helpers).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JobPayloadError);
    expect((failure as JobPayloadError).task).toBe("test-expire-offer");
    expect((failure as JobPayloadError).fields).toEqual(["registrationId", "at"]);
    expect((failure as Error).message).toMatch(/^job test-expire-offer: bad payload \(registrationId: .*; at: .*\)$/);
    expect(run).not.toHaveBeenCalled();
  });

  it("names the fields of every shape when a payload matches none of them", async () => {
    const run = vi.fn();
    const job = defineJob({
      task: "test-refund",
      payload: z.union([z.object({ refundId: z.string() }), z.object({ registrationId: z.string(), amount: z.number() })]),
      run,
    });
    const failure = (await job.perform({}, { amount: "ten" }, helpers).catch((error: unknown) => error)) as JobPayloadError;
    expect(failure.fields).toEqual(["refundId", "registrationId", "amount"]);
    expect(failure.message).toMatch(
      /^job test-refund: bad payload \(none of its shapes: \(refundId: .*\) or \(registrationId: .*; amount: .*\)\)$/,
    );
    expect(run).not.toHaveBeenCalled();
  });

  it("names nested fields by their path", async () => {
    const job = defineJob({
      task: "test-nested",
      payload: z.object({ event: z.object({ data: z.object({ id: z.string() }) }) }),
      run: vi.fn(),
    });
    const failure = (await job.perform({}, { event: { data: {} } }, helpers).catch((error: unknown) => error)) as JobPayloadError;
    expect(failure.fields).toEqual(["event.data.id"]);
  });

  it("gives graphile-worker nothing back (an array would read as a batch of results)", async () => {
    const job = defineJob({ task: "test-result", payload: z.object({}), run: () => ["a", "b"] });
    expect(await job.perform({}, {}, helpers)).toBeUndefined();
  });
});

describe("taskListOf", () => {
  it("gives each handler the deps, and refuses two handlers of one task", async () => {
    const run = vi.fn();
    const one = defineJob({ task: "test-one", payload: z.object({ n: z.number() }), run });
    const tasks = taskListOf([one], { db: "the db" });
    expect(Object.keys(tasks)).toEqual(["test-one"]);
    await tasks["test-one"]!({ n: 1 }, helpers);
    expect(run).toHaveBeenCalledWith({ db: "the db" }, { n: 1 }, helpers);
    await expect(tasks["test-one"]!({ n: "1" }, helpers)).rejects.toThrow(/^job test-one: bad payload \(n: /);
    expect(() => taskListOf([one, one], {})).toThrow("Two handlers for the job test-one.");
  });
});

describe("crontabLine", () => {
  it("writes graphile-worker's crontab line", () => {
    expect(crontabLine({ task: "prune", pattern: "17 * * * *" })).toBe("17 * * * * prune");
    expect(crontabLine({ task: "reconcile", pattern: "0 4 * * *", options: "fill=1d&max=3", payload: { trigger: "schedule" } })).toBe(
      '0 4 * * * reconcile ?fill=1d&max=3 {"trigger":"schedule"}',
    );
  });
});
