/** The record of every evidence upload (db/schema/evidence.ts): a user's daily quota is counted from it. */
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { waitPhrase } from "@/server/rate-limit";
import { EvidenceError, evidenceIdOf, saveEvidence, type SavedEvidence } from "./evidence";
import type { FileBody, FileStore } from "./file-store";

const MB = 1024 * 1024;

/** The rolling window of the upload quota. */
export const EVIDENCE_QUOTA_HOURS = 24;
/** Evidence files a user may upload per window: two disputes' worth with room to spare. */
export const EVIDENCE_QUOTA_FILES = 50;
/** Bytes a user may upload per window: two of the largest videos, or twenty of the largest images. */
export const EVIDENCE_QUOTA_BYTES = 200 * MB;

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

function quotaRefusal(usage: QuotaUsage & { waitSeconds: number }): EvidenceError {
  const used = usage.files >= EVIDENCE_QUOTA_FILES ? `${EVIDENCE_QUOTA_FILES} evidence files` : `${amount(EVIDENCE_QUOTA_BYTES)} of evidence`;
  return new EvidenceError(
    "over_quota",
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
 * byte is read when the quota is used up (EvidenceError "over_quota", 429), cut off like an
 * oversized file when it would pass what is left (413). The upload is recorded before the file is
 * written, so no stored file is ever without its row.
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
