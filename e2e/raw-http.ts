import http from "node:http";
import { E2E_BASE_URL } from "./config";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => unknown;
}

/**
 * One HTTP request to the e2e server from a chosen loopback address (127.0.0.2, 127.0.0.3…: all of
 * 127/8 is this machine), so a test can act as a client at an address of its own, with headers a
 * browser would not send.
 */
export function rawRequest(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; from?: string } = {},
): Promise<RawResponse> {
  const url = new URL(path, E2E_BASE_URL);
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, localAddress: options.from, agent: false },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, json: () => JSON.parse(body) });
        });
        response.on("error", reject);
      },
    );
    // A server that answers before reading the whole body may close while it is still being sent.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    request.end(options.body);
  });
}

/** A tRPC mutation as the browser's client sends it (superjson-wrapped input, no batching). */
export function trpcMutation(procedure: string, input: unknown, options: { headers?: Record<string, string>; from?: string } = {}) {
  return rawRequest(`/api/trpc/${procedure}`, {
    method: "POST",
    from: options.from,
    headers: { "content-type": "application/json", ...options.headers },
    body: JSON.stringify({ json: input }),
  });
}

/**
 * Sends a large body the way a client that reads its answer would: in 64 KB pieces, stopping as
 * soon as the server has answered. `declare` sends Content-Length, else the body is chunked.
 */
export function streamRequest(
  path: string,
  options: { totalBytes: number; declare: boolean; headers?: Record<string, string>; from?: string },
): Promise<RawResponse & { sentBytes: number }> {
  const url = new URL(path, E2E_BASE_URL);
  const piece = Buffer.alloc(64 * 1024, "x");
  const headers = {
    "content-type": "application/json",
    ...options.headers,
    ...(options.declare ? { "content-length": String(options.totalBytes) } : {}),
  };
  return new Promise((resolve, reject) => {
    let answered = false;
    let sentBytes = 0;
    const request = http.request(url, { method: "POST", headers, localAddress: options.from, agent: false }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, json: () => JSON.parse(body), sentBytes });
        request.destroy();
      });
    });
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    // A piece, then a pause (10 ms; 1 ms past the first 2 MB), so the answer is read before the
    // next write: a server that stops reading closes the connection, and a write after that
    // resets it and loses the answer.
    const pump = () => {
      if (answered) return;
      if (sentBytes >= options.totalBytes) return void request.end();
      const size = Math.min(piece.length, options.totalBytes - sentBytes);
      sentBytes += size;
      const next = () => setTimeout(pump, sentBytes < 2 * 1024 * 1024 ? 10 : 1);
      if (request.write(piece.subarray(0, size))) next();
      else request.once("drain", next);
    };
    pump();
  });
}
