import { sniffImageType } from "./accounts/avatar";
import { readLimitedBody, withBody } from "./request-body";

export type ImageUpload = { ok: true; type: string; data: Buffer } | { ok: false; status: 400 | 413 | 415; message: string };

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/**
 * The `file` of a multipart upload, checked: present, at most `maxBytes`, and really a PNG, JPEG,
 * WebP or GIF by its first bytes (the browser's claimed type is not trusted).
 */
export async function readImageUpload(request: Request, maxBytes: number): Promise<ImageUpload> {
  const tooLarge = { ok: false as const, status: 413 as const, message: `That image is larger than ${megabytes(maxBytes)}.` };
  // Refuse an oversized body before reading it, or as soon as a chunked one passes the limit; the
  // form's own framing adds a little.
  const body = await readLimitedBody(request, maxBytes + 64 * 1024);
  if (!body.ok) return tooLarge;
  let file: FormDataEntryValue | null;
  try {
    file = (await withBody(request, body.body).formData()).get("file");
  } catch {
    return { ok: false, status: 400, message: "Choose an image to upload." };
  }
  if (!(file instanceof File) || file.size === 0) return { ok: false, status: 400, message: "Choose an image to upload." };
  if (file.size > maxBytes) return tooLarge;
  const data = Buffer.from(await file.arrayBuffer());
  const type = sniffImageType(data);
  if (!type) return { ok: false, status: 415, message: "Use a PNG, JPEG, WebP or GIF image." };
  return { ok: true, type, data };
}

/** A stored image, served so a browser can never treat it as a page. */
export function imageResponse(image: { contentType: string; data: Buffer }, cacheControl: string): Response {
  return new Response(new Uint8Array(image.data), {
    headers: {
      "content-type": image.contentType,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'",
      "cache-control": cacheControl,
    },
  });
}
