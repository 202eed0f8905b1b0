// Before anything runs: payment purposes and live access rules, on globalThis for every chunk.
import "./composition";
import { MigrationError } from "@/db/migrate";
import { backfillNameKeys } from "./accounts/name-keys";
import { getDatabase } from "./database";
import { seedOnStart } from "./demo/on-start";
import { env } from "./env";
import { stampIncomingRequests } from "./http";
import { logger } from "./logger";
import { assertPayoutKeyConfigured, PayoutKeyError } from "./withdrawals/bank-box";

/**
 * Starts (or joins) the database, applies migrations and seeds a fresh embedded database, so the
 * first page does not pay for it. A failed migration stops the start, naming the migration.
 */
export async function prepareServer(): Promise<void> {
  // Before the first request: per-address limits need the connection's own address.
  stampIncomingRequests();
  try {
    assertPayoutKeyConfigured();
  } catch (error) {
    // Bank account numbers cannot be stored safely: nothing should run until the key is set.
    const message = error instanceof PayoutKeyError ? error.message : String(error);
    logger.fatal(message);
    console.error(`\nDriftwood cannot start: ${message}\n`);
    process.exit(1);
  }
  try {
    const database = await getDatabase();
    logger.info("database ready");
    await fillNameKeys(database.db);
    await seedOnStart(database).catch((error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "demo data could not be seeded");
    });
    if (env.RUN_WORKER !== "false") await startInProcessWorker(database);
  } catch (error) {
    if (error instanceof MigrationError) {
      logger.fatal({ migration: error.migration, reason: error.reason }, error.message);
      console.error(`\nDriftwood cannot start: ${error.message}\n`);
      process.exit(1);
    }
    // Nothing a later request could fix: say what to do and stop, rather than serve 503s forever.
    if (error instanceof Error && error.name === "EmbeddedPostgresUnreachable") {
      logger.fatal(error.message);
      console.error(`\nDriftwood cannot start: ${error.message}\n`);
      process.exit(1);
    }
    // The app still serves pages (they explain the outage) and /api/health answers 503.
    logger.error({ err: error instanceof Error ? error.message : String(error) }, "database unavailable at start");
  }
}

/** Accounts from before display names were compared by look get their name's key (see backfillNameKeys). */
async function fillNameKeys(db: Awaited<ReturnType<typeof getDatabase>>["db"]) {
  try {
    const outcome = await backfillNameKeys(db);
    if (outcome.filled + outcome.taken + outcome.empty > 0) logger.info({ component: "accounts", ...outcome }, "display name keys filled");
    if (outcome.taken > 0)
      logger.warn(
        { component: "accounts", taken: outcome.taken },
        "accounts left without a name key: an older account has a look-alike name",
      );
  } catch (error) {
    // Sign-ups still compare against the keys there are; the next start tries again.
    logger.error({ err: error instanceof Error ? error.message : String(error) }, "display name keys could not be filled");
  }
}

async function startInProcessWorker(database: Awaited<ReturnType<typeof getDatabase>>) {
  try {
    const { startWorker } = await import("./worker");
    // Two jobs at a time in the web process, which shares its one thread with the requests: under a
    // registration rush, four at once held checkouts up (bench:checkout: p99 about 100 ms worse);
    // two keep one long job from blocking the rest. `npm run worker` runs four.
    await startWorker(database, { concurrency: 2 });
    logger.info("job worker started in the web process");
  } catch (error) {
    // Payments still start; their webhooks wait in the queue until a worker runs.
    logger.error({ err: error instanceof Error ? error.message : String(error) }, "job worker failed to start");
  }
}
