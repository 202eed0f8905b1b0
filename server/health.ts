import { getDatabase } from "./database";
import { logger } from "./logger";

export type DatabaseCheck = { status: "ok"; latencyMs: number } | { status: "error"; error: string };

async function pingAppDatabase(): Promise<void> {
  const { sql } = await getDatabase();
  await sql`select 1`;
}

/** A round trip to the database, bounded so a hung server answers 503 instead of hanging. */
export async function checkDatabase(ping: () => Promise<unknown> = pingAppDatabase, timeoutMs = 3000): Promise<DatabaseCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, "health check: database unavailable");
    return { status: "error", error: "database unavailable" };
  } finally {
    clearTimeout(timer);
  }
}
