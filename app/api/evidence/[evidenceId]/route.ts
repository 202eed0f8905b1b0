// Who may see an attached file asks the disputes domain: registered here too, not only by the start-up.
import "@/server/composition";
import { Readable } from "node:stream";
import { getDb } from "@/server/database";
import { sessionUserFromRequest } from "@/server/accounts/session-token";
import { logger } from "@/server/logger";
import { canViewEvidence, parseEvidenceId } from "@/server/storage/evidence";
import { isEvidenceType } from "@/server/storage/evidence-type";
import type { ByteRange } from "@/server/storage/file-store";
import { fileStore } from "@/server/storage/provider";
import { parseRange } from "@/server/storage/range-header";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ evidenceId: string }> };

function problem(status: number, message: string, headers: Record<string, string> = {}) {
  return Response.json({ error: message }, { status, headers: { "cache-control": "no-store", ...headers } });
}

/**
 * An evidence file's bytes, for whoever may see it (canViewEvidence), with headers that keep a
 * browser from treating it as anything but an image or a video: its sniffed type, nosniff, inline,
 * and a CSP that allows nothing to run. Range requests are answered, so long clips can be seeked.
 */
export async function GET(request: Request, { params }: Context) {
  const { evidenceId } = await params;
  try {
    const db = await getDb();
    const user = await sessionUserFromRequest(db, request);
    if (!user) return problem(401, "Please sign in first.");
    const parsed = parseEvidenceId(evidenceId);
    // Someone else's evidence is as absent as a missing one: its existence is private.
    if (!parsed || !(await canViewEvidence(db, user, evidenceId))) return problem(404, "We could not find that file.");

    const store = fileStore();
    const rangeHeader = request.headers.get("range");
    let range: ByteRange | undefined;
    if (rangeHeader) {
      const stat = await store.stat(parsed.key);
      if (!stat) return problem(404, "We could not find that file.");
      const wanted = parseRange(rangeHeader, stat.size);
      if (wanted === "unsatisfiable") return problem(416, "That range is outside the file.", { "content-range": `bytes */${stat.size}` });
      if (wanted !== "ignore") range = wanted;
    }
    const file = await store.get(parsed.key, range);
    if (!file) return problem(404, "We could not find that file.");

    const known = isEvidenceType(file.contentType);
    const headers: Record<string, string> = {
      // Anything not stored as evidence (a file placed there by hand) is only ever a download.
      "content-type": known ? file.contentType : "application/octet-stream",
      "content-disposition": known ? "inline" : "attachment",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; media-src 'self'; img-src 'self'",
      "cross-origin-resource-policy": "same-origin",
      "cache-control": "private, max-age=300",
      "accept-ranges": "bytes",
    };
    const status = range ? 206 : 200;
    if (range) {
      // parseRange fitted the range to the size read just before; a file is never rewritten in place.
      headers["content-range"] = `bytes ${range.start}-${range.end}/${file.size}`;
      headers["content-length"] = String(range.end - range.start + 1);
    } else {
      headers["content-length"] = String(file.size);
    }
    const body = Readable.toWeb(file.stream) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, { status, headers });
  } catch (error) {
    logger.error({ err: error, evidenceId }, "evidence download failed");
    return problem(503, "We could not load that file just now. Please try again in a moment.");
  }
}
