import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { codeOf } from "@/server/testing/trpc";
import { EXPIRE_OFFER_TASK } from "@/server/registration/lifecycle";
import { listFailedJobs, retryJob } from "./failed";
import { enqueueJob } from "./queue";
import { runDueJobs } from "@/server/worker";

const database = await createTestDatabase();
const { db } = database;

describe("failed jobs (admin)", () => {
  it("lists jobs whose last attempt failed with their error, and a retry runs one again now", async () => {
    // Not a registration id: the task throws on every attempt.
    await enqueueJob(db, EXPIRE_OFFER_TASK, { registrationId: "not-a-uuid" }, { maxAttempts: 1 });
    await enqueueJob(db, EXPIRE_OFFER_TASK, { registrationId: "00000000-0000-0000-0000-000000000000" });
    expect(await listFailedJobs(db)).toEqual([]);
    await runDueJobs(database);

    const [failed, ...others] = await listFailedJobs(db);
    expect(others).toEqual([]);
    expect(failed).toMatchObject({ task: EXPIRE_OFFER_TASK, attempts: 1, maxAttempts: 1, dead: true, running: false });
    expect(failed!.lastError).toMatch(/uuid/i);

    const retried = await retryJob(db, failed!.id);
    expect(retried.id).toBe(failed!.id);
    expect((await listFailedJobs(db))[0]).toMatchObject({ id: failed!.id, attempts: 0, dead: false });
    await runDueJobs(database);
    expect((await listFailedJobs(db))[0]).toMatchObject({ id: failed!.id, attempts: 1, dead: true });
  });

  it("refuses a job that is gone, or one that has not failed", async () => {
    expect(await codeOf(retryJob(db, "999999999"))).toBe("NOT_FOUND");
    await enqueueJob(db, "a-task-no-worker-runs", {});
    const [job] = await db.execute<{ id: string }>(
      sql`select id::text from graphile_worker.jobs where task_identifier = 'a-task-no-worker-runs'`,
    );
    expect(await codeOf(retryJob(db, job!.id))).toBe("CONFLICT");
  });
});
