import { metricsAccess } from "@/server/metrics-access";
import { metrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

/**
 * Prometheus text. With METRICS_TOKEN set, only for `Authorization: Bearer <token>`; without it,
 * only for a client on this machine (a scraper beside the server).
 */
export async function GET(request: Request) {
  const access = metricsAccess(request.headers);
  if (!access.ok) {
    return Response.json(
      { error: access.message },
      { status: access.status, headers: { "cache-control": "no-store", ...(access.status === 401 ? { "www-authenticate": "Bearer" } : {}) } },
    );
  }
  return new Response(await metrics.registry.metrics(), {
    headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
  });
}
