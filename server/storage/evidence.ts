import type { DbOrTx } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { Invalid, PayloadTooLarge } from "@/server/errors";
import type { LimitRule } from "@/server/rate-limit";
import { evidenceAttachments } from "./evidence-access";
import { chunksOf, type FileBody, type FileStore } from "./file-store";
import { EVIDENCE_SNIFF_BYTES, evidenceLimit, evidenceMessages, isEvidenceType, sniffEvidence, type EvidenceType } from "./evidence-type";

/**
 * Evidence files for disputes. A file is stored under `evidence/<uploaderId>/<uuid>`; outside this
 * module it is named by its evidence id `<uploaderId>_<uuid>` (no slash, so it sits in one URL
 * segment, /api/evidence/<evidenceId>, untouched by proxies that mangle %2F). The uploader is part
 * of the id, so who may see a file is known before the store is asked.
 */

/** Uploads per user: enough for a dispute and its answer, not enough to use the store as free hosting. */
export const EVIDENCE_UPLOAD_LIMIT: LimitRule = { name: "evidence-upload", points: 30, durationSeconds: 10 * 60 };

/**
 * A refused file, for the upload form to show beside its file picker (400). A file over its limit
 * is PayloadTooLarge (413), a used-up quota RateLimited (429, server/storage/evidence-uploads.ts).
 */
const refusedFile = (message: string) => new Invalid(message, { field: "files" });

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const EVIDENCE_ID = new RegExp(`^(${UUID})_(${UUID})$`);

export function evidenceIdOf(uploaderId: string, fileId: string): string {
  const id = `${uploaderId.toLowerCase()}_${fileId.toLowerCase()}`;
  if (!EVIDENCE_ID.test(id)) throw new Error("uploader and file ids must be UUIDs");
  return id;
}

/** The id's uploader and storage key; null for anything that is not an evidence id. */
export function parseEvidenceId(evidenceId: string): { uploaderId: string; key: string } | null {
  const match = EVIDENCE_ID.exec(evidenceId);
  if (!match) return null;
  return { uploaderId: match[1]!, key: `evidence/${match[1]}/${match[2]}` };
}

/**
 * The name the user gave the file, for display only (never a path, never trusted): the last path
 * part, without control, zero-width and bidirectional-override characters (which can make
 * "invoice‮gnp.exe" read as "invoiceexe.png"), at most 120 characters with its extension kept.
 */
export function displayFileName(raw: string | null | undefined): string {
  const base = (raw ?? "").normalize("NFC").split(/[\\/]/).pop() ?? "";
  const cleaned = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips control and invisible formatting characters from uploaded file names on purpose
    .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const chars = Array.from(cleaned);
  if (chars.length <= 120) return cleaned || "evidence";
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 && cleaned.length - dot <= 10 ? Array.from(cleaned.slice(dot)) : [];
  return (
    chars
      .slice(0, 120 - extension.length)
      .join("")
      .trimEnd() + extension.join("")
  );
}

export interface SavedEvidence {
  evidenceId: string;
  key: string;
  contentType: EvidenceType;
  size: number;
  sha256: string;
  /** Sanitised, for display only. */
  originalName: string;
}

async function* prepend(first: Uint8Array, rest: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  yield* rest;
}

/** Takes chunks until at least `count` bytes (or the end) are in hand; the rest stay in `chunks`. */
async function readHead(chunks: AsyncGenerator<Uint8Array>, count: number): Promise<Uint8Array[]> {
  const head: Uint8Array[] = [];
  let length = 0;
  while (length < count) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    length += next.value.byteLength;
  }
  return head;
}

/**
 * Stores one evidence file from a stream: its type is sniffed from its first bytes (the name and
 * any declared type are ignored), the limit for that type is enforced while streaming (the upload
 * is cut off as soon as it passes the limit; `declaredSize` only lets an announced oversize fail
 * sooner), and the store computes its SHA-256. On any failure nothing is left in the store and the
 * error is a domain error (Invalid for a refused or interrupted upload, PayloadTooLarge past the
 * limit) or the store's own error (its outage).
 */
export async function saveEvidence(
  store: FileStore,
  input: {
    uploaderId: string;
    stream: FileBody;
    declaredName?: string | null;
    declaredSize?: number | null;
    /** The id to store it under (one of this uploader's, from evidenceIdOf); a new one by default. */
    evidenceId?: string;
    /** A lower bound than the type's own, e.g. what is left of a quota, with its message. */
    allowance?: { maxBytes: number; tooLarge: string };
  },
): Promise<SavedEvidence> {
  const evidenceId = input.evidenceId ?? evidenceIdOf(input.uploaderId, crypto.randomUUID());
  const parsed = parseEvidenceId(evidenceId);
  if (parsed?.uploaderId !== input.uploaderId.toLowerCase()) throw new Error("the evidence id must be one of the uploader's");
  const { key } = parsed;
  const originalName = displayFileName(input.declaredName);

  // Reading from the client fails when it goes away; that is an interrupted upload, not our error.
  const source = chunksOf(input.stream);
  async function* fromClient(): AsyncGenerator<Uint8Array> {
    try {
      yield* source;
    } catch {
      throw refusedFile(evidenceMessages.interrupted);
    }
  }
  const chunks = fromClient();

  let started = false;
  try {
    const head = await readHead(chunks, EVIDENCE_SNIFF_BYTES);
    const headBytes = Buffer.concat(head);
    if (headBytes.byteLength === 0) throw refusedFile(evidenceMessages.empty);
    const contentType = sniffEvidence(headBytes);
    if (!contentType) throw refusedFile(evidenceMessages.unsupported);
    const byType = evidenceLimit(contentType);
    const { maxBytes, tooLarge } = input.allowance && input.allowance.maxBytes < byType.maxBytes ? input.allowance : byType;
    // Content-Length is only a hint: a body may lie about it, so the count below is what binds.
    if (input.declaredSize != null && input.declaredSize > maxBytes) throw new PayloadTooLarge(tooLarge);

    // Each chunk is counted before it is passed on: the first byte past the limit ends the upload.
    async function* limited(): AsyncGenerator<Uint8Array> {
      let size = 0;
      for await (const chunk of prepend(headBytes, chunks)) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new PayloadTooLarge(tooLarge);
        yield chunk;
      }
    }

    started = true;
    const stored = await store.put(key, limited(), { contentType, metadata: { name: originalName } });
    return { evidenceId, key, contentType, size: stored.size, sha256: stored.sha256, originalName };
  } catch (error) {
    // Stop reading the client's body (a no-op when it already ended). Not awaited: a read still
    // pending on a silent client must not hold up the answer.
    chunks.return(undefined).catch(() => {});
    if (started) await store.delete(key).catch(() => {});
    throw error;
  }
}

export interface EvidenceFile {
  evidenceId: string;
  uploaderId: string;
  contentType: EvidenceType;
  size: number;
  sha256: string;
  name: string;
}

/**
 * The stored facts of an evidence file (type, size, hash, display name), read from the store and
 * so trustworthy; null when there is no such file. The dispute service calls this when evidence
 * ids are attached, rather than trusting what the browser says about them.
 */
export async function describeEvidence(store: FileStore, evidenceId: string): Promise<EvidenceFile | null> {
  const parsed = parseEvidenceId(evidenceId);
  if (!parsed) return null;
  const stored = await store.stat(parsed.key);
  if (!stored || !isEvidenceType(stored.contentType)) return null;
  return {
    evidenceId,
    uploaderId: parsed.uploaderId,
    contentType: stored.contentType,
    size: stored.size,
    sha256: stored.sha256,
    name: stored.metadata.name ?? "evidence",
  };
}

/**
 * Whether `user` may see the evidence file: its uploader; once it is attached (to a dispute), whom
 * what it is attached to lets see it (server/storage/evidence-access.ts: the players of both sides
 * of the dispute's match, the event's organizer, and admins). A file not attached to anything stays
 * private to its uploader.
 */
export async function canViewEvidence(db: DbOrTx, user: Pick<SessionUser, "id" | "role"> | null, evidenceId: string): Promise<boolean> {
  const parsed = parseEvidenceId(evidenceId);
  if (!parsed || !user) return false;
  if (parsed.uploaderId === user.id.toLowerCase()) return true;
  return evidenceAttachments().mayView(db, user, evidenceId);
}

/** Removes an evidence file (e.g. one uploaded but never attached); removing a missing one is fine. */
export async function deleteEvidence(store: FileStore, evidenceId: string): Promise<void> {
  const parsed = parseEvidenceId(evidenceId);
  if (parsed) await store.delete(parsed.key);
}
