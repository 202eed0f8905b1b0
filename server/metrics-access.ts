import { createHash, timingSafeEqual } from "node:crypto";
import ipaddr from "ipaddr.js";
import { env } from "./env";
import { clientAddress } from "./http";
import { metrics } from "./metrics";
import { readGaugesFromDatabase } from "./metrics-database";

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Whether an address from clientAddress is this machine's (never "local": a request this server did not receive). */
function isLoopback(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === "loopback";
}

/**
 * Who may read /api/metrics (call counts per procedure, memory, queue depths): the holder of
 * METRICS_TOKEN when it is set, else only a client on this machine.
 */
export function metricsAccess(headers: Headers, token: string | undefined = env.METRICS_TOKEN): MetricsAccess {
  if (token) {
    const given =
      headers
        .get("authorization")
        ?.match(/^Bearer\s+(.+)$/i)?.[1]
        ?.trim() ?? "";
    return timingSafeEqual(digest(given), digest(token))
      ? { ok: true }
      : { ok: false, status: 401, message: "Metrics need the bearer token set in METRICS_TOKEN." };
  }
  return isLoopback(clientAddress(headers))
    ? { ok: true }
    : { ok: false, status: 403, message: "Metrics are served only to this machine unless METRICS_TOKEN is set." };
}

/** What /api/metrics (and the worker's metrics server) answer to a request with these headers. */
export async function metricsAnswer(headers: Headers): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const access = metricsAccess(headers);
  if (!access.ok) {
    return {
      status: access.status,
      headers: {
        "content-type": "application/json",
        "cache-control": "no-store",
        ...(access.status === 401 ? { "www-authenticate": "Bearer" } : {}),
      },
      body: JSON.stringify({ error: access.message }),
    };
  }
  readGaugesFromDatabase();
  return {
    status: 200,
    headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
    body: await metrics.registry.metrics(),
  };
}
