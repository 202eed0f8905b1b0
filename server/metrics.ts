import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

interface Metrics {
  registry: Registry;
  trpcRequests: Counter<"procedure" | "type" | "code">;
  trpcDuration: Histogram<"procedure" | "type" | "code">;
}

function createMetrics(): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "driftwood" });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    trpcRequests: new Counter({
      name: "driftwood_trpc_requests_total",
      help: "tRPC calls by procedure, type and result code",
      labelNames: ["procedure", "type", "code"],
      registers: [registry],
    }),
    trpcDuration: new Histogram({
      name: "driftwood_trpc_request_duration_seconds",
      help: "tRPC call duration in seconds by procedure, type and result code",
      labelNames: ["procedure", "type", "code"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

// One registry per process, even when Next.js loads this module in more than one bundle.
const globalForMetrics = globalThis as unknown as { driftwoodMetrics?: Metrics };
export const metrics: Metrics = (globalForMetrics.driftwoodMetrics ??= createMetrics());

export function recordTrpcCall(procedure: string, type: string, code: string, seconds: number): void {
  metrics.trpcRequests.inc({ procedure, type, code });
  metrics.trpcDuration.observe({ procedure, type, code }, seconds);
}
