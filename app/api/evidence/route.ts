import { getDb } from "@/server/database";
import { DomainError } from "@/server/errors";
import { sessionUserFromRequest } from "@/server/accounts/session-token";
import { logger, runWithRequestId } from "@/server/logger";
import { requestIdFrom } from "@/server/request-id";
import { domainErrorResponse } from "@/server/route-errors";
import { consumeLimit, waitPhrase } from "@/server/rate-limit";
import { CROSS_SITE_MESSAGE, isCrossSiteWrite } from "@/server/same-origin";
import { EVIDENCE_UPLOAD_LIMIT } from "@/server/storage/evidence";
import { uploadEvidence } from "@/server/storage/evidence-uploads";
import { fileStore } from "@/server/storage/provider";

export const dynamic = "force-dynamic";

/** The X-File-Name header: browsers can only send Latin-1 there, so clients send encodeURIComponent(file.name). */
function declaredName(headers: Headers): string | null {
  const raw = headers.get("x-file-name");
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function declaredSize(headers: Headers): number | null {
  const raw = headers.get("content-length");
  return raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

/**
 * Upload one evidence file (PNG, JPEG, WebP up to 10 MB; MP4, WebM up to 100 MB) as the raw request
 * body: `fetch("/api/evidence", { method: "POST", body: file, headers: { "x-file-name":
 * encodeURIComponent(file.name) } })`. A raw body rather than multipart, so the file streams to the
 * store as it arrives and the size limit cuts it off at the first byte too many. The type is taken
 * from the content, never from Content-Type or the name. proxy.ts leaves this path out of its
 * matcher: Next.js would otherwise buffer a request body for the proxy and cut it at 10 MB.
 *
 * 201 `{ evidenceId, contentType, size, name }`; 400/413 `{ error }` for a refused file (413 also
 * for a file larger than what is left of the daily quota), 401 signed out, 429 too many uploads
 * (30 per 10 minutes, or the daily quota of 50 files or 200 MB per 24 hours, per user; with
 * Retry-After), 503 when the store itself failed.
 */
export async function POST(request: Request) {
  const requestId = requestIdFrom(request.headers);
  return runWithRequestId(requestId, async () => {
    const problem = (status: number, message: string, headers: Record<string, string> = {}) =>
      Response.json({ error: message }, { status, headers: { "cache-control": "no-store", "x-request-id": requestId, ...headers } });
    // proxy.ts does not see this path (see its matcher), so the upload refuses other sites itself.
    if (isCrossSiteWrite(request.method, request.headers)) return problem(403, CROSS_SITE_MESSAGE);
    try {
      const db = await getDb();
      const user = await sessionUserFromRequest(db, request);
      if (!user) return problem(401, "Please sign in first.");

      const limit = await consumeLimit(db, EVIDENCE_UPLOAD_LIMIT, user.id);
      if (!limit.allowed) {
        return problem(429, `Too many uploads. Please try again ${waitPhrase(limit.retryAfterSeconds)}.`, {
          "retry-after": String(limit.retryAfterSeconds),
        });
      }
      if (!request.body) return problem(400, "Choose a file to upload.");

      const saved = await uploadEvidence(db, fileStore(), {
        uploaderId: user.id,
        stream: request.body,
        declaredName: declaredName(request.headers),
        declaredSize: declaredSize(request.headers),
      });
      logger.info({ evidenceId: saved.evidenceId, contentType: saved.contentType, size: saved.size }, "evidence uploaded");
      return Response.json(
        { evidenceId: saved.evidenceId, contentType: saved.contentType, size: saved.size, name: saved.originalName },
        { status: 201, headers: { "cache-control": "no-store", "x-request-id": requestId } },
      );
    } catch (error) {
      // A refused file or a used-up quota, answered like every route's domain errors.
      if (error instanceof DomainError && error.kind !== "internal") {
        return domainErrorResponse(error, { "cache-control": "no-store", "x-request-id": requestId });
      }
      logger.error({ err: error }, "evidence upload failed");
      return problem(503, "We could not store that file just now. Please try again in a moment.");
    }
  });
}
