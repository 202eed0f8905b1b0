/**
 * The record of every evidence upload (db/schema/storage.ts): a user's daily quota is counted
 * from it, attaching a file to a dispute claims its row, and files never attached are deleted a
 * day after their upload, row first and file after that deletion committed.
 */
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { RateLimited } from "@/server/errors";
import { enqueueJob } from "@/server/jobs/queue";
import { waitPhrase } from "@/server/rate-limit";
import { deleteEvidence, evidenceIdOf, saveEvidence, type SavedEvidence } from "./evidence";
import type { FileBody, FileStore } from "./file-store";

const MB = 1024 * 1024;

/** The rolling window of the upload quota. */
export const EVIDENCE_QUOTA_HOURS = 24;
/** Evidence files a user may upload per window: two disputes' worth with room to spare. */
export const EVIDENCE_QUOTA_FILES = 50;
/** Bytes a user may upload per window: two of the largest videos, or twenty of the largest images. */
export const EVIDENCE_QUOTA_BYTES = 200 * MB;
/** How long an upload may wait to be attached to a dispute statement before it is deleted. */
export const UNATTACHED_EVIDENCE_HOURS = 24;

export const CLEAN_UNATTACHED_EVIDENCE_TASK = "clean-unattached-evidence";
export const DELETE_EVIDENCE_FILES_TASK = "delete-evidence-files";

const amount = (bytes: number) => (bytes >= MB ? `${Math.floor(bytes / MB)} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`);

export interface QuotaUsage {
  files: number;
  bytes: number;
  /** Seconds until the user may upload again; null while under both limits. */
  waitSeconds: number | null;
}

/**
 * The user's uploads in the window, and when they may upload again if they are at a limit: the
 * moment the newest upload that keeps them at it turns 24 hours old. Uploads still in progress
 * count as files (their size is not known yet).
 */
export async function quotaUsage(db: DbOrTx, uploaderId: string): Promise<QuotaUsage> {
  const [row] = await db.execute<{ files: number; bytes: number; wait: number | null }>(sql`
    with recent as (
      select created_at, count(*) over newest_first as files, sum(size) over newest_first as bytes
      from evidence_uploads
      where uploader_id = ${uploaderId} and created_at > now() - make_interval(hours => ${EVIDENCE_QUOTA_HOURS})
      window newest_first as (order by created_at desc, evidence_id rows between unbounded preceding and current row)
    )
    select (select count(*)::int from recent) as files, (select coalesce(max(bytes), 0)::float8 from recent) as bytes,
      (select ceil(extract(epoch from created_at + make_interval(hours => ${EVIDENCE_QUOTA_HOURS}) - now()))::int from recent
        where files >= ${EVIDENCE_QUOTA_FILES} or bytes >= ${EVIDENCE_QUOTA_BYTES} order by files limit 1) as wait`);
  return { files: row!.files, bytes: row!.bytes, waitSeconds: row!.wait === null ? null : Math.max(1, row!.wait) };
}

function quotaRefusal(usage: QuotaUsage & { waitSeconds: number }): RateLimited {
  const used =
    usage.files >= EVIDENCE_QUOTA_FILES ? `${EVIDENCE_QUOTA_FILES} evidence files` : `${amount(EVIDENCE_QUOTA_BYTES)} of evidence`;
  return new RateLimited(
    `You have uploaded ${used} in the last ${EVIDENCE_QUOTA_HOURS} hours, the most allowed. You can upload more ${waitPhrase(usage.waitSeconds)}.`,
    usage.waitSeconds,
  );
}

/**
 * Checks the quota and records the upload as started, under a per-user lock so that parallel
 * uploads are counted one after the other. Returns what is left of the byte quota.
 */
async function reserveUpload(db: Db, uploaderId: string, evidenceId: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`evidence-quota:${uploaderId}`}, 0))`);
    const usage = await quotaUsage(tx, uploaderId);
    if (usage.waitSeconds !== null) throw quotaRefusal({ ...usage, waitSeconds: usage.waitSeconds });
    await tx.execute(sql`insert into evidence_uploads (evidence_id, uploader_id) values (${evidenceId}, ${uploaderId})`);
    return EVIDENCE_QUOTA_BYTES - usage.bytes;
  });
}

/**
 * Stores one evidence file (see saveEvidence) within the uploader's daily quota: refused before a
 * byte is read when the quota is used up (RateLimited, 429, with the wait), cut off like an
 * oversized file when it would pass what is left (413). The upload is recorded before the file is
 * written, so no stored file is ever without its row (a crash leaves a row the clean-up takes).
 */
export async function uploadEvidence(
  db: Db,
  store: FileStore,
  input: { uploaderId: string; stream: FileBody; declaredName?: string | null; declaredSize?: number | null },
): Promise<SavedEvidence> {
  const evidenceId = evidenceIdOf(input.uploaderId, crypto.randomUUID());
  const left = await reserveUpload(db, input.uploaderId, evidenceId);
  const allowance = {
    maxBytes: left,
    tooLarge: `You can upload ${amount(left)} more evidence now (at most ${amount(EVIDENCE_QUOTA_BYTES)} in ${EVIDENCE_QUOTA_HOURS} hours), and that file is larger.`,
  };
  let saved: SavedEvidence;
  try {
    saved = await saveEvidence(store, { ...input, evidenceId, allowance });
  } catch (error) {
    // Nothing was stored (saveEvidence leaves no file behind): the refused upload does not count.
    await db.execute(sql`delete from evidence_uploads where evidence_id = ${evidenceId}`).catch(() => {});
    throw error;
  }
  await db.execute(sql`update evidence_uploads set size = ${saved.size} where evidence_id = ${evidenceId}`);
  return saved;
}

/**
 * Marks the uploads attached, in the caller's transaction (the one that records them on a
 * statement). Returns the ids that could not be claimed: `gone` (never uploaded, or deleted by the
 * clean-up) or `taken` (attached already, possibly a moment ago). A claim waits for a clean-up
 * deleting the same row and then finds it gone; a clean-up skips a row being claimed.
 */
export async function claimUploads(tx: DbOrTx, evidenceIds: readonly string[]): Promise<{ gone: string[]; taken: string[] }> {
  const ids = JSON.stringify([...new Set(evidenceIds)]);
  const claimed = await tx.execute<{ evidence_id: string }>(sql`
    update evidence_uploads set attached_at = now()
    where evidence_id in (select jsonb_array_elements_text(${ids}::jsonb)) and attached_at is null
    returning evidence_id`);
  const done = new Set(claimed.map((row) => row.evidence_id));
  const rest = [...new Set(evidenceIds)].filter((id) => !done.has(id));
  if (rest.length === 0) return { gone: [], taken: [] };
  const existing = await tx.execute<{ evidence_id: string }>(sql`
    select evidence_id from evidence_uploads where evidence_id in (select jsonb_array_elements_text(${JSON.stringify(rest)}::jsonb))`);
  const taken = new Set(existing.map((row) => row.evidence_id));
  return { gone: rest.filter((id) => !taken.has(id)), taken: rest.filter((id) => taken.has(id)) };
}

const CLEAN_BATCH = 500;

/**
 * Deletes the rows of uploads never attached and older than the window, a batch per transaction,
 * each queuing the deletion of its files in the same transaction: the files go only once the rows
 * are gone for good, and a crash in between still deletes them (the job runs at least once).
 * Rows being claimed by an attach are skipped. Returns the evidence ids removed.
 */
export async function cleanUnattachedEvidence(db: Db, options: { olderThan?: Date } = {}): Promise<string[]> {
  const cutoff = options.olderThan ?? new Date(Date.now() - UNATTACHED_EVIDENCE_HOURS * 3_600_000);
  const removed: string[] = [];
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await tx.execute<{ evidence_id: string }>(sql`
        with doomed as (
          select evidence_id from evidence_uploads where attached_at is null and created_at < ${cutoff.toISOString()}::timestamptz
          order by created_at limit ${CLEAN_BATCH} for update skip locked
        )
        delete from evidence_uploads u using doomed where u.evidence_id = doomed.evidence_id
        returning u.evidence_id`);
      const ids = rows.map((row) => row.evidence_id);
      if (ids.length > 0) await enqueueJob(tx, DELETE_EVIDENCE_FILES_TASK, { evidenceIds: ids });
      return ids;
    });
    removed.push(...batch);
    if (batch.length < CLEAN_BATCH) return removed;
  }
}

/** The job queued by cleanUnattachedEvidence; deleting a file already gone is fine. */
export async function deleteEvidenceFiles(store: FileStore, evidenceIds: readonly string[]): Promise<void> {
  for (const evidenceId of evidenceIds) await deleteEvidence(store, evidenceId);
}
