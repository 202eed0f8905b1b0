import { getDb } from "@/server/database";
import { sniffImageType } from "@/server/accounts/avatar";
import { getCurrentUser } from "@/server/accounts/session";
import { BANNER_MAX_BYTES, getEventBanner, removeEventBanner, setEventBanner } from "@/server/events/banner";
import { domainErrorResponse } from "@/server/route-errors";

type Context = { params: Promise<{ eventId: string }> };

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
const TOO_LARGE = "That image is larger than 2 MB.";
const CHOOSE = "Choose an image to upload.";

function problem(status: number, message: string) {
  return Response.json({ error: message }, { status, headers: { "cache-control": "no-store" } });
}

const fromServiceError = (error: unknown) => domainErrorResponse(error, { "cache-control": "no-store" });

export async function GET(request: Request, { params }: Context) {
  const { eventId } = await params;
  if (!isUuid(eventId)) return new Response("Not found", { status: 404 });
  const banner = await getEventBanner(await getDb(), getCurrentUser, eventId);
  if (!banner) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  const etag = `"${banner.updatedAt.getTime()}"`;
  const headers = {
    "content-type": banner.contentType,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'",
    // Short: a replaced banner shows everywhere within minutes. A draft's banner is for its
    // organizer only, so no shared cache may keep it.
    "cache-control": banner.draft ? "private, max-age=300" : "public, max-age=300",
    etag,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(banner.data), { headers });
}

/**
 * The upload body, read up to the limit and no further: a client that leaves out (or understates)
 * Content-Length cannot make us buffer more than that.
 */
async function readLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.byteLength;
  }
  return body;
}

/** The event's organizer (or an admin) uploads its banner: multipart form with one `file` (PNG, JPEG, WebP or GIF, up to 2 MB). */
export async function POST(request: Request, { params }: Context) {
  const user = await getCurrentUser();
  if (!user) return problem(401, "Please sign in first.");
  const { eventId } = await params;
  if (!isUuid(eventId)) return problem(404, "We could not find that event.");
  const allowance = BANNER_MAX_BYTES + 64 * 1024; // the image plus the multipart framing
  if (Number(request.headers.get("content-length") ?? 0) > allowance) return problem(413, TOO_LARGE);

  const body = await readLimited(request, allowance);
  if (!body) return problem(413, TOO_LARGE);
  let file: FormDataEntryValue | null;
  try {
    const form = await new Response(body, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
    file = form.get("file");
  } catch {
    return problem(400, CHOOSE);
  }
  if (!(file instanceof File) || file.size === 0) return problem(400, CHOOSE);
  if (file.size > BANNER_MAX_BYTES) return problem(413, TOO_LARGE);
  const data = Buffer.from(await file.arrayBuffer());
  const type = sniffImageType(data);
  if (!type) return problem(415, "Use a PNG, JPEG, WebP or GIF image.");
  try {
    return Response.json(await setEventBanner(await getDb(), user, eventId, { type, data }));
  } catch (error) {
    return fromServiceError(error);
  }
}

export async function DELETE(_request: Request, { params }: Context) {
  const user = await getCurrentUser();
  if (!user) return problem(401, "Please sign in first.");
  const { eventId } = await params;
  if (!isUuid(eventId)) return problem(404, "We could not find that event.");
  try {
    return Response.json(await removeEventBanner(await getDb(), user, eventId));
  } catch (error) {
    return fromServiceError(error);
  }
}
