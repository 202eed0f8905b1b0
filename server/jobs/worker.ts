import { run, runOnce, type Runner } from "graphile-worker";
import type { Database } from "@/db/client";
import { paymentGateway } from "@/server/payments/provider";
import { jobLogger } from "./queue";
import { createTaskList, crontab } from "./tasks";

/** The job worker: in the web process by default, or alone with `npm run worker`. */
export async function startWorker(database: Database, options: { concurrency?: number } = {}): Promise<Runner> {
  return run({
    connectionString: database.url,
    concurrency: options.concurrency ?? 4,
    taskList: createTaskList(database.db, await paymentGateway(database.db)),
    crontab,
    logger: jobLogger,
    pollInterval: 2000,
  });
}

/** Runs every job that is due now, then returns (tests, scripts). */
export async function runDueJobs(database: Pick<Database, "db" | "url">): Promise<void> {
  await runOnce({
    connectionString: database.url,
    taskList: createTaskList(database.db, await paymentGateway(database.db)),
    logger: jobLogger,
  });
}
