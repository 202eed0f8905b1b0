import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/db/testing/factories";
import { EVIDENCE_QUOTA_BYTES, EVIDENCE_QUOTA_FILES, quotaUsage, uploadEvidence } from "./evidence-uploads";
import { LocalFileStore } from "./local-store";
import { setFileStoreForTesting } from "./provider";
import { samples } from "./testing";

const database = await createTestDatabase();
const { db } = database;
const root = await mkdtemp(path.join(os.tmpdir(), "driftwood-evidence-uploads-"));
const store = new LocalFileStore(root);

beforeAll(() => setFileStoreForTesting(store));
afterAll(async () => {
  setFileStoreForTesting(undefined);
  await rm(root, { recursive: true, force: true });
});

const upload = async (uploaderId: string) => (await uploadEvidence(db, store, { uploaderId, stream: samples.png, declaredName: "proof.png" })).evidenceId;

describe("uploadEvidence", () => {
  it("records each upload with its size, so the quota counts it", async () => {
    const user = await createUser(db);
    const id = await upload(user.id);
    const [row] = await db.execute<{ uploader_id: string; size: number; attached_at: string | null }>(sql`select uploader_id, size::int, attached_at from evidence_uploads where evidence_id = ${id}`);
    expect(row).toEqual({ uploader_id: user.id, size: samples.png.length, attached_at: null });
    expect(await quotaUsage(db, user.id)).toEqual({ files: 1, bytes: samples.png.length, waitSeconds: null });
  });

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
    const full = await quotaUsage(db, bytes.id);
    expect(full).toMatchObject({ files: 2, bytes: EVIDENCE_QUOTA_BYTES });
    // Once the 22-hour-old one leaves the window, half the quota is free.
    expect(Math.round(full.waitSeconds! / 60)).toBe(120);
  });
});
