/** The most a tRPC request's body may hold; uploads have their own routes and limits. */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;
/** The most calls one batched tRPC request may carry (the browser's client batches at most this many). */
export const TRPC_MAX_BATCH = 20;

export type LimitedBody = { ok: true; body: Uint8Array<ArrayBuffer> } | { ok: false };

/**
 * Reads a request's body up to `maxBytes`, refusing as soon as it is known to be larger: at once by
 * its declared length, or when a chunked body passes the limit (the rest is never read or kept).
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<LimitedBody> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return { ok: false };
  if (!request.body) return { ok: true, body: new Uint8Array() };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, body };
}

/** The same request with its body already read, for a handler that reads it again. */
export function withBody(request: Request, body: Uint8Array<ArrayBuffer>): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body: body.byteLength ? body : null });
}
