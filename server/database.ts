import path from "node:path";
import type { Sql } from "postgres";
import { connect, type Database, type Db } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrate } from "@/db/migrate";
import { dataDir } from "./data-dir";
import { databaseTracing } from "./database-tracing";
import { env } from "./env";
import { installJobQueue } from "./jobs/queue";
import { logger } from "./logger";

/** Driftwood's migrations (db/migrations), then the job queue's own schema. Returns the tags applied now. */
export async function migrateDatabase(database: { sql: Sql; url: string }): Promise<string[]> {
  const applied = await migrate(database.sql);
  await installJobQueue(database.url);
  return applied;
}

async function open(): Promise<AppDatabase> {
  const log = logger.child({ component: "database" });
  let url = env.DATABASE_URL;
  let embedded = false;
  if (!url) {
    const pgDir = path.join(dataDir(), "postgres");
    const started = Date.now();
    const cluster = await startEmbeddedPostgres({
      dataDir: pgDir,
      log: (line) => log.debug({ postgres: line }),
    });
    url = cluster.url;
    embedded = true;
    log.info(
      { port: cluster.port, dataDir: pgDir, created: cluster.created, ms: Date.now() - started },
      cluster.owned ? "embedded PostgreSQL started" : "joined running embedded PostgreSQL",
    );
  }

  const database = connect(url, { observer: databaseTracing });
  try {
    const applied = await migrateDatabase(database);
    if (applied.length > 0) log.info({ applied }, "migrations applied");
  } catch (error) {
    await database.close();
    throw error;
  }

  return { ...database, embedded };
}

/** The app's database, and whether it is the embedded one this process started or joined. */
export type AppDatabase = Database & { embedded: boolean };

const globalForDb = globalThis as unknown as { driftwoodDatabase?: Promise<AppDatabase> };

/**
 * The app's database, ready to use: started (embedded when DATABASE_URL is unset) and migrated;
 * traced when tracing is on. The web server's start-up seeds a fresh one (server/demo/on-start.ts). Cached on globalThis because Next.js
 * may load this module more than once per process.
 */
export function getDatabase(): Promise<AppDatabase> {
  if (!globalForDb.driftwoodDatabase) {
    globalForDb.driftwoodDatabase = open().catch((error: unknown) => {
      globalForDb.driftwoodDatabase = undefined;
      throw error;
    });
  }
  return globalForDb.driftwoodDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}
