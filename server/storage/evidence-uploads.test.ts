import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { PayloadTooLarge, RateLimited } from "@/server/errors";
import { createUser } from "@/server/testing/factories";
import { httpStatusOf } from "@/server/trpc";
import { queuedJobs } from "@/server/brackets/testing";
import { crontab } from "@/server/composition";
import { runDueJobs } from "@/server/worker";
import { describeEvidence } from "./evidence";
import {
  CLEAN_UNATTACHED_EVIDENCE_TASK,
  claimUploads,
  cleanUnattachedEvidence,
  DELETE_EVIDENCE_FILES_TASK,
  EVIDENCE_QUOTA_BYTES,
  EVIDENCE_QUOTA_FILES,
  quotaUsage,
  uploadEvidence,
} from "./evidence-uploads";
import { LocalFileStore } from "./local-store";
import { setFileStoreForTesting } from "./provider";
import { filesBelow, samples } from "./testing";

const database = await createTestDatabase();
const { db } = database;
const root = await mkdtemp(path.join(os.tmpdir(), "driftwood-evidence-uploads-"));
const store = new LocalFileStore(root);

beforeAll(() => setFileStoreForTesting(store));
afterAll(async () => {
  setFileStoreForTesting(undefined);
  await rm(root, { recursive: true, force: true });
});

const upload = async (uploaderId: string) =>
  (await uploadEvidence(db, store, { uploaderId, stream: samples.png, declaredName: "proof.png" })).evidenceId;
const uploadedHoursAgo = (evidenceId: string, hours: number) =>
  db.execute(sql`update evidence_uploads set created_at = now() - make_interval(hours => ${hours}) where evidence_id = ${evidenceId}`);
const rowOf = async (evidenceId: string) =>
  (await db.execute<{ evidence_id: string }>(sql`select evidence_id from evidence_uploads where evidence_id = ${evidenceId}`))[0];
const stored = async (evidenceId: string) => (await describeEvidence(store, evidenceId)) !== null;

describe("uploadEvidence", () => {
  it("records each upload with its size, so the quota counts it", async () => {
    const user = await createUser(db);
    const id = await upload(user.id);
    const [row] = await db.execute<{ uploader_id: string; size: number; attached_at: string | null }>(
      sql`select uploader_id, size::int, attached_at from evidence_uploads where evidence_id = ${id}`,
    );
    expect(row).toEqual({ uploader_id: user.id, size: samples.png.length, attached_at: null });
    expect(await quotaUsage(db, user.id)).toEqual({ files: 1, bytes: samples.png.length, waitSeconds: null });
  });

  // Rows written here are attached (or recent), so the clean-up tests below see only their own.
  it("at the limit says when the oldest upload that keeps the user there turns 24 hours old", async () => {
    const user = await createUser(db);
    await db.execute(sql`insert into evidence_uploads (evidence_id, uploader_id, size, created_at)
      select ${user.id} || '_' || gen_random_uuid(), ${user.id}, 1, now() - make_interval(hours => 21) from generate_series(1, ${EVIDENCE_QUOTA_FILES})`);
    const usage = await quotaUsage(db, user.id);
    expect(usage.files).toBe(EVIDENCE_QUOTA_FILES);
    expect(usage.waitSeconds).toBeGreaterThan(3 * 3600 - 60);
    expect(usage.waitSeconds).toBeLessThanOrEqual(3 * 3600);

    const bytes = await createUser(db);
    await db.execute(sql`insert into evidence_uploads (evidence_id, uploader_id, size, created_at) values
      (${`${bytes.id}_${crypto.randomUUID()}`}, ${bytes.id}, ${EVIDENCE_QUOTA_BYTES / 2}, now() - interval '22 hours'),
      (${`${bytes.id}_${crypto.randomUUID()}`}, ${bytes.id}, ${EVIDENCE_QUOTA_BYTES / 2}, now() - interval '1 hour'),
      (${`${bytes.id}_${crypto.randomUUID()}`}, ${bytes.id}, ${EVIDENCE_QUOTA_BYTES}, now() - interval '25 hours')`);
    await db.execute(sql`update evidence_uploads set attached_at = created_at where uploader_id = ${bytes.id}`);
    const full = await quotaUsage(db, bytes.id);
    expect(full).toMatchObject({ files: 2, bytes: EVIDENCE_QUOTA_BYTES });
    // Once the 22-hour-old one leaves the window, half the quota is free.
    expect(Math.round(full.waitSeconds! / 60)).toBe(120);
  });
});

describe("uploadEvidence over the daily quota", () => {
  it("refuses with RateLimited (429) and the wait once the quota is used, and PayloadTooLarge (413) past what is left", async () => {
    const full = await createUser(db);
    await db.execute(sql`insert into evidence_uploads (evidence_id, uploader_id, size, created_at, attached_at)
      select ${full.id} || '_' || gen_random_uuid(), ${full.id}, 1, now() - interval '21 hours', now() from generate_series(1, ${EVIDENCE_QUOTA_FILES})`);
    const refused = await uploadEvidence(db, store, { uploaderId: full.id, stream: samples.png }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimited);
    expect(httpStatusOf(refused as RateLimited)).toBe(429);
    expect((refused as RateLimited).message).toBe(
      `You have uploaded ${EVIDENCE_QUOTA_FILES} evidence files in the last 24 hours, the most allowed. You can upload more in 3 hours.`,
    );
    expect((refused as RateLimited).retryAfterSeconds).toBeGreaterThan(3 * 3600 - 120);

    const nearly = await createUser(db);
    await db.execute(sql`insert into evidence_uploads (evidence_id, uploader_id, size, created_at, attached_at)
      values (${`${nearly.id}_${crypto.randomUUID()}`}, ${nearly.id}, ${EVIDENCE_QUOTA_BYTES - 10}, now() - interval '1 hour', now())`);
    const tooLarge = await uploadEvidence(db, store, { uploaderId: nearly.id, stream: samples.png }).catch((error: unknown) => error);
    expect(tooLarge).toBeInstanceOf(PayloadTooLarge);
    expect(httpStatusOf(tooLarge as PayloadTooLarge)).toBe(413);
    expect(await quotaUsage(db, nearly.id)).toMatchObject({ files: 1 });
  });
});

describe("cleanUnattachedEvidence", () => {
  it("deletes the rows and then the files of uploads never attached after 24 hours; keeps attached and recent ones", async () => {
    const user = await createUser(db);
    const [stale, attachedStale, recent, almost] = [
      await upload(user.id),
      await upload(user.id),
      await upload(user.id),
      await upload(user.id),
    ];
    await uploadedHoursAgo(stale, 25);
    await uploadedHoursAgo(attachedStale, 30);
    await uploadedHoursAgo(almost, 23);
    expect(await db.transaction((tx) => claimUploads(tx, [attachedStale]))).toEqual({ gone: [], taken: [] });

    const removed = await cleanUnattachedEvidence(db);
    expect(removed).toContain(stale);
    for (const kept of [attachedStale, recent, almost]) expect(removed).not.toContain(kept);
    // The row went in the clean-up's transaction; the file goes in the job it queued there.
    expect(await rowOf(stale)).toBeUndefined();
    expect(await queuedJobs(db, DELETE_EVIDENCE_FILES_TASK)).toContainEqual({ evidenceIds: removed });
    expect(await stored(stale)).toBe(true);
    await runDueJobs(database);
    expect(await stored(stale)).toBe(false);

    for (const kept of [attachedStale, recent, almost]) {
      expect(await rowOf(kept)).toBeDefined();
      expect(await stored(kept)).toBe(true);
    }
    expect((await filesBelow(root)).some((file) => file.includes(stale.split("_")[1]!))).toBe(false);

    // Idempotent: a second run (or the job delivered twice) finds nothing more to do.
    expect(await cleanUnattachedEvidence(db)).toEqual([]);
    await db.execute(sql`select graphile_worker.add_job(${DELETE_EVIDENCE_FILES_TASK}, ${JSON.stringify({ evidenceIds: [stale] })}::json)`);
    await runDueJobs(database);
    expect(await stored(attachedStale)).toBe(true);
  });

  it("skips an upload an attach is claiming at that moment; an attach after the clean-up finds it gone", async () => {
    const user = await createUser(db);
    const [claimed, cleaned] = [await upload(user.id), await upload(user.id)];
    await uploadedHoursAgo(claimed, 25);
    await uploadedHoursAgo(cleaned, 25);

    // An attach holds its claim (uncommitted) while the clean-up runs: the clean-up leaves it alone.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claiming!: () => void;
    const claimedNow = new Promise<void>((resolve) => (claiming = resolve));
    const attach = db.transaction(async (tx) => {
      const outcome = await claimUploads(tx, [claimed]);
      claiming();
      await held;
      return outcome;
    });
    await claimedNow;
    expect(await cleanUnattachedEvidence(db)).toEqual([cleaned]);
    release();
    expect(await attach).toEqual({ gone: [], taken: [] });
    expect(await cleanUnattachedEvidence(db)).toEqual([]);
    expect(await rowOf(claimed)).toBeDefined();

    // The clean-up won for the other one: claiming it now is refused, whatever the store still holds.
    expect(await db.transaction((tx) => claimUploads(tx, [cleaned, claimed]))).toEqual({ gone: [cleaned], taken: [claimed] });
  });

  it("runs every hour from the worker's crontab", () => {
    expect(crontab.split("\n")).toContainEqual(
      expect.stringMatching(new RegExp(`^\\d+ \\* \\* \\* \\* ${CLEAN_UNATTACHED_EVIDENCE_TASK}$`)),
    );
  });
});
