/** Attaching uploaded evidence files to a dispute statement. */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import { Invalid } from "@/server/errors";
import { describeEvidence, parseEvidenceId, type EvidenceFile } from "@/server/storage/evidence";
import { claimUploads } from "@/server/storage/evidence-uploads";
import type { FileStore } from "@/server/storage/file-store";

/** More than enough for any honest dispute; keeps one from becoming a file locker. */
export const MAX_EVIDENCE_PER_DISPUTE = 30;

/**
 * The stored facts of each file the actor attaches, read from the store (type, size, hash and name
 * are never taken from the browser). Called before the transaction: a store round trip should not
 * hold the bracket lock, and stored files never change.
 */
export async function describeAttachments(store: FileStore, actorId: string, evidenceIds: readonly string[]): Promise<EvidenceFile[]> {
  const ids = [...new Set(evidenceIds)];
  for (const id of ids) {
    const parsed = parseEvidenceId(id);
    if (!parsed) throw new Invalid("One of the attachments is not an uploaded file. Upload it again.", { field: "evidenceIds" });
    if (parsed.uploaderId !== actorId.toLowerCase()) {
      throw new Invalid("You can only attach files you uploaded yourself.", { field: "evidenceIds" });
    }
  }
  const files = await Promise.all(ids.map((id) => describeEvidence(store, id)));
  if (files.some((file) => file === null))
    throw new Invalid("One of the attached files could not be found. Upload it again.", { field: "evidenceIds" });
  return files as EvidenceFile[];
}

/** Records the files on the statement, in the caller's transaction. */
export async function attachEvidence(tx: DbOrTx, disputeId: string, statementId: string, files: readonly EvidenceFile[]): Promise<void> {
  if (files.length === 0) return;
  const [counted] = await tx.execute<{ n: number; taken: string | null }>(sql`
    select (select count(*)::int from dispute_evidence where dispute_id = ${disputeId}) as n,
      (select evidence_id from dispute_evidence where evidence_id in (select jsonb_array_elements_text(${JSON.stringify(files.map((f) => f.evidenceId))}::jsonb)) limit 1) as taken`);
  if (counted!.taken) throw new Invalid("One of the files is already attached to a dispute.", { field: "evidenceIds" });
  if (counted!.n + files.length > MAX_EVIDENCE_PER_DISPUTE)
    throw new Invalid(`A dispute takes at most ${MAX_EVIDENCE_PER_DISPUTE} files.`, { field: "evidenceIds" });
  // The claim is what keeps the clean-up of unattached uploads from deleting these files: a file it
  // took between describeAttachments and now is `gone`, and the statement is not written.
  const { gone, taken } = await claimUploads(
    tx,
    files.map((f) => f.evidenceId),
  );
  if (taken.length > 0) throw new Invalid("One of the files is already attached to a dispute.", { field: "evidenceIds" });
  if (gone.length > 0) throw new Invalid("One of the attached files could not be found. Upload it again.", { field: "evidenceIds" });
  try {
    await tx.execute(sql`
      insert into dispute_evidence (dispute_id, statement_id, evidence_id, uploader_id, content_type, size, sha256, name)
      select ${disputeId}, ${statementId}, f->>'evidenceId', (f->>'uploaderId')::uuid, f->>'contentType', (f->>'size')::bigint, f->>'sha256', f->>'name'
      from jsonb_array_elements(${JSON.stringify(files)}::jsonb) as f`);
  } catch (error) {
    // The same file attached at the same moment elsewhere.
    if (pgErrorCode(error) === "23505") throw new Invalid("One of the files is already attached to a dispute.", { field: "evidenceIds" });
    throw error;
  }
}
