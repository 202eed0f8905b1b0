import { createServer, type Server } from "node:http";
import { stampIncomingRequests } from "./http";
import { metricsAnswer } from "./metrics-access";

/**
 * The worker's own /metrics (`npm run worker` with WORKER_METRICS_PORT): its job counters live in
 * its process, which serves no pages. The same rule as the app's /api/metrics: METRICS_TOKEN's
 * bearer, or a client on this machine. Resolves once listening.
 */
export async function startMetricsServer(port: number, host = "0.0.0.0"): Promise<Server> {
  stampIncomingRequests();
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Metrics are at /metrics." }));
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
    metricsAnswer(headers).then(
      (answer) => response.writeHead(answer.status, answer.headers).end(answer.body),
      () => response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "Metrics could not be read." })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
