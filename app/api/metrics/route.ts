import { metricsAnswer } from "@/server/metrics-access";

export const dynamic = "force-dynamic";

/**
 * Prometheus text. With METRICS_TOKEN set, only for `Authorization: Bearer <token>`; without it,
 * only for a client on this machine (a scraper beside the server).
 */
export async function GET(request: Request) {
  const answer = await metricsAnswer(request.headers);
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
