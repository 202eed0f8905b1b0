// Browser-safe: loaded by client components; imports nothing server-only.
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
  if (!request.body) return { ok: true, body: new Uint8Array() };
  const reader = request.body.getReader();
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) {
    void discardRest(reader);
    return { ok: false };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void discardRest(reader);
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

/** How much of a refused body is read and dropped, so its sender gets the answer; then the connection is cut. */
const DISCARD_BYTES = 8 * 1024 * 1024;

/**
 * Reads and drops what is left of a refused body, up to DISCARD_BYTES, then stops reading. While a
 * server reads, the client can finish sending and gets the refusal; a server that closes with the
 * body unread resets the connection, and the client loses the answer (nginx's "lingering close").
 * Nothing is kept.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let dropped = 0;
  try {
    while (dropped <= DISCARD_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away.
  }
}

/** The same request with its body already read, for a handler that reads it again. */
export function withBody(request: Request, body: Uint8Array<ArrayBuffer>): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body: body.byteLength ? body : null });
}
