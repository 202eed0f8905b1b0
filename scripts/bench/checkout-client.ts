/**
 * bench:checkout's client side: the HTTP calls a browser makes (checkout, the smallest signed-in
 * call), the rush of 32 clients pulling players from a queue, and what it reads off the server
 * (the checkout procedure's histogram from /api/metrics, CPU per process).
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { percentile } from "./common";
import { processTree } from "./server";

/** Clients checking out at once. */
export const CONCURRENCY = 32;
export const COOKIE_NAME = "authjs.session-token"; // http, so not the __Secure- variant

/** Small seeded PRNG, so a run's choice of resends can be repeated with BENCH_SEED. */
export function mulberry32(state: number) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- One checkout request over HTTP, as the browser's tRPC client sends it (unbatched). ----

export type Resend = "none" | "after" | "concurrent";

export interface Player {
  id: string;
  email: string;
  cookie: string;
  resend: Resend;
}

export interface Answer {
  ms: number;
  httpStatus: number;
  registrationId?: string;
  next?: string;
  error?: string;
}

export interface Outcome {
  player: Player;
  key: string;
  first: Answer;
  second?: Answer;
}

/**
 * The HTTP client: node:http with kept-alive connections rather than fetch, whose web streams cost
 * this process about 2 ms of CPU a request, CPU the server under test shares on a small machine.
 * The request is the one the browser sends (headers that change nothing on the server aside).
 */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 2 * CONCURRENCY });

export function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return send(url, "POST", { ...headers, "content-length": String(Buffer.byteLength(body)) }, body);
}

export function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

export async function postCheckout(baseUrl: string, player: Player, input: Record<string, unknown>): Promise<Answer> {
  const started = performance.now();
  let httpStatus = 0;
  let text = "";
  try {
    ({ status: httpStatus, text } = await post(
      `${baseUrl}/api/trpc/registration.checkout`,
      { "content-type": "application/json", "accept-encoding": "gzip, deflate, br", cookie: `${COOKIE_NAME}=${player.cookie}` },
      JSON.stringify({ json: input }),
    ));
  } catch (error) {
    return { ms: performance.now() - started, httpStatus, error: `network: ${error instanceof Error ? error.message : String(error)}` };
  }
  const ms = performance.now() - started;
  try {
    const body = JSON.parse(text) as {
      result?: { data?: { json?: { registrationId?: string; next?: string } } };
      error?: { json?: { message?: string; data?: { code?: string } } };
    };
    if (body.error)
      return { ms, httpStatus, error: `${body.error.json?.data?.code ?? "?"}: ${body.error.json?.message ?? text.slice(0, 200)}` };
    const data = body.result?.data?.json;
    if (httpStatus !== 200 || !data?.registrationId)
      return { ms, httpStatus, error: `unexpected answer ${httpStatus}: ${text.slice(0, 200)}` };
    return { ms, httpStatus, registrationId: data.registrationId, next: data.next };
  } catch {
    return { ms, httpStatus, error: `not JSON (${httpStatus}): ${text.slice(0, 200)}` };
  }
}

/**
 * For scale: the smallest signed-in call there is (`account.me`: the session, one indexed read),
 * `count` times from `concurrency` clients, with the server's CPU per call. No checkout can answer
 * faster than this on the same machine, whatever it does.
 */
export async function signedInFloor(baseUrl: string, players: Player[], concurrency: number, count: number) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const cpuBefore = cpuByProcess();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const sent = performance.now();
        const { status } = await send(`${baseUrl}/api/trpc/account.me`, "GET", {
          cookie: `${COOKIE_NAME}=${players[i % players.length]!.cookie}`,
        });
        latencies.push(performance.now() - sent);
        if (status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverSeconds = ((cpuByProcess().get("next server") ?? 0) - (cpuBefore.get("next server") ?? 0)) / 100;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: count / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    serverMs: (1000 * serverSeconds) / count,
    failures,
  };
}

/** Every player checks out once (a resend reuses the key); `concurrency` workers share one queue. */
export async function rush(baseUrl: string, eventId: string, fee: number, queue: Player[], concurrency: number) {
  const outcomes: Outcome[] = new Array(queue.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < queue.length; i = next++) {
      const player = queue[i]!;
      const key = randomUUID();
      const input = { eventId, idempotencyKey: key, walletAmount: fee };
      if (player.resend === "concurrent") {
        const [first, second] = await Promise.all([postCheckout(baseUrl, player, input), postCheckout(baseUrl, player, input)]);
        outcomes[i] = { player, key, first, second };
      } else {
        const first = await postCheckout(baseUrl, player, input);
        const second = player.resend === "after" ? await postCheckout(baseUrl, player, input) : undefined;
        outcomes[i] = { player, key, first, second };
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return { outcomes, seconds: (performance.now() - started) / 1000 };
}

// ---- The server's own view: its tRPC duration histogram, before and after the run. ----

export interface Histogram {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

export async function checkoutHistogram(baseUrl: string): Promise<Histogram | null> {
  try {
    const text = await (await fetch(`${baseUrl}/api/metrics`)).text();
    const histogram: Histogram = { buckets: new Map(), sum: 0, count: 0 };
    for (const line of text.split("\n")) {
      if (!line.startsWith("driftwood_trpc_request_duration_seconds") || !line.includes('procedure="registration.checkout"')) continue;
      const value = Number(line.slice(line.lastIndexOf(" ") + 1));
      const le = /le="([^"]+)"/.exec(line)?.[1];
      if (line.startsWith("driftwood_trpc_request_duration_seconds_bucket") && le) {
        const bound = le === "+Inf" ? Infinity : Number(le);
        histogram.buckets.set(bound, (histogram.buckets.get(bound) ?? 0) + value);
      } else if (line.startsWith("driftwood_trpc_request_duration_seconds_sum")) histogram.sum += value;
      else if (line.startsWith("driftwood_trpc_request_duration_seconds_count")) histogram.count += value;
    }
    return histogram;
  } catch {
    return null;
  }
}

export function describeServerTime(before: Histogram | null, after: Histogram | null): string {
  if (!before || !after) return "server-side checkout time: /api/metrics not available";
  const count = after.count - before.count;
  if (count <= 0) return "server-side checkout time: no observations";
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((b) => [b, (after.buckets.get(b) ?? 0) - (before.buckets.get(b) ?? 0)] as const);
  const p99Bucket = cumulative.find(([, n]) => n >= 0.99 * count)?.[0];
  const within = (limit: number) => cumulative.find(([b]) => b === limit)?.[1];
  const under250 = within(0.25);
  return (
    `server-side checkout time (procedure only, from /api/metrics): ${count} calls, mean ${((1000 * (after.sum - before.sum)) / count).toFixed(1)} ms, ` +
    `p99 ≤ ${p99Bucket === undefined || p99Bucket === Infinity ? "∞" : `${p99Bucket * 1000} ms`}` +
    (under250 !== undefined ? `, ${((100 * under250) / count).toFixed(1)}% within 250 ms` : "")
  );
}

// ---- Where the CPU went during the run: this process, the server, PostgreSQL (its children). ----

export function cpuByProcess(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const p of processTree(process.pid)) {
    const name =
      p.pid === process.pid
        ? "this client"
        : p.name.startsWith("postgres")
          ? "PostgreSQL"
          : p.name.startsWith("next")
            ? "next server"
            : p.name;
    ticks.set(name, (ticks.get(name) ?? 0) + p.cpuTicks);
  }
  return ticks;
}

export function describeCpu(before: Map<string, number>, after: Map<string, number>, seconds: number): string {
  if (after.size === 0) return "cpu during the run: /proc not available";
  const used = [...after]
    .map(([name, t]) => [name, (t - (before.get(name) ?? 0)) / 100] as const)
    .filter(([, s]) => s >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  return (
    `cpu during the run (${os.cpus().length} CPUs × ${seconds.toFixed(1)} s): ` +
    used.map(([name, s]) => `${name} ${s.toFixed(1)} s (${((100 * s) / seconds).toFixed(0)}% of one)`).join(", ")
  );
}
