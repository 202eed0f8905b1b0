import { getDatabase } from "@/db/client";
import { logger } from "./logger";

export type DatabaseCheck = { status: "ok"; latencyMs: number } | { status: "error"; error: string };

const TIMEOUT_MS = 3000;

/** A round trip to the database, bounded so a hung server answers 503 instead of hanging. */
export async function checkDatabase(): Promise<DatabaseCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const probe = (async () => {
      const { sql } = await getDatabase();
      await sql`select 1`;
    })();
    await Promise.race([
      probe,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn({ err: message }, "health check: database unavailable");
    return { status: "error", error: "database unavailable" };
  } finally {
    clearTimeout(timer);
  }
}
