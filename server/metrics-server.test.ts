import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { setMetricsDatabase } from "./metrics-database";
import { startMetricsServer } from "./metrics-server";

const { db } = await createTestDatabase();
setMetricsDatabase(db);
const server = await startMetricsServer(0, "127.0.0.1");
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

describe("the worker's metrics server", () => {
  it("serves the registry at /metrics to a client on this machine, with the job metrics", async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain("# TYPE driftwood_job_failures_total counter");
    expect(text).toContain("driftwood_database_up");
  });

  it("answers 404 in words elsewhere, and a forged forwarded address changes nothing", async () => {
    const other = await fetch(`${base}/`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: "Metrics are at /metrics." });
    const forged = await fetch(`${base}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9", "x-driftwood-peer": "203.0.113.9" } });
    // The peer header is the server's own, from the socket: the loopback client is still served.
    expect(forged.status).toBe(200);
  });
});
