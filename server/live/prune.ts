import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

export const PRUNE_LIVE_EVENTS_TASK = "prune-live-events";

/**
 * How long announcements stay replayable. A client that was away longer reloads its page anyway;
 * its live view resumes from the topic's current sequence (kept in live_topics, never pruned).
 */
export const LIVE_EVENT_RETENTION_HOURS = 24 * 7;

const BATCH = 10_000;

/**
 * Deletes announcements older than the retention window, a batch at a time so no statement holds
 * many row locks or runs long. Returns how many rows went.
 */
export async function pruneLiveEvents(db: DbOrTx, options: { olderThan?: Date } = {}): Promise<number> {
  const cutoff = options.olderThan ?? new Date(Date.now() - LIVE_EVENT_RETENTION_HOURS * 3_600_000);
  let removed = 0;
  for (;;) {
    const rows = await db.execute<{ n: number }>(sql`
      with doomed as (
        select ctid from live_events where created_at < ${cutoff.toISOString()}::timestamptz limit ${BATCH}
      )
      delete from live_events where ctid in (select ctid from doomed)
      returning 1 as n`);
    removed += rows.length;
    if (rows.length < BATCH) return removed;
  }
}
