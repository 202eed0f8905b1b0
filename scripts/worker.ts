/** `npm run worker`: the job worker on its own (production runs the web with RUN_WORKER=false). */
// Jobs run payment purposes (webhooks, refunds, reconciliation): registered before the worker starts.
import "@/server/composition";
import { getDatabase } from "@/server/database";
import { env } from "@/server/env";
import { startMetricsServer } from "@/server/metrics-server";
import { startWorker } from "@/server/worker";
import { logger } from "@/server/logger";
import { startTracing } from "@/server/tracing";
import { assertPayoutKeyConfigured } from "@/server/withdrawals/bank-box";

async function main() {
  // Payout jobs read bank account numbers: production without PAYOUT_ENCRYPTION_KEY stops here, saying so.
  try {
    assertPayoutKeyConfigured();
  } catch (error) {
    console.error(`\nThe Driftwood worker cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    throw error;
  }
  await startTracing({ serviceName: "driftwood-worker" });
  const runner = await startWorker(await getDatabase());
  logger.info("job worker running");
  if (env.WORKER_METRICS_PORT) {
    await startMetricsServer(env.WORKER_METRICS_PORT);
    logger.info({ port: env.WORKER_METRICS_PORT }, "worker metrics at /metrics");
  }
  await runner.promise;
}

main().catch((error: unknown) => {
  logger.fatal({ err: error instanceof Error ? error.message : String(error) }, "job worker stopped");
  process.exit(1);
});
