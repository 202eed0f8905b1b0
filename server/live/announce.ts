import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { firestorePublishingEnabled } from "./firebase";
import { enqueueJobs, type JobSpec } from "@/server/jobs/queue";
import { firestorePublishJob } from "./firestore-publisher";
import { isLiveTopic, LIVE_CHANNEL } from "./topics-name";

/**
 * Tell live views that `topic` changed. Call it inside the transaction that makes the change: the
 * event row and the NOTIFY commit with it, and a rolled-back transaction announces nothing. The
 * upsert on live_topics locks the topic's row, so sequence numbers follow commit order per topic.
 * With Firestore configured, the job that publishes the topic there is queued in the same
 * transaction too. Returns the event's sequence number.
 */
export async function announce(tx: DbOrTx, topic: string, payload: unknown): Promise<number> {
  return (await announceWhen(tx, topic, payload, null))!;
}

/**
 * announce(), but only if `change` (a data-modifying statement with RETURNING, such as taking a
 * seat) changes a row, in the same statement: the change's rows are locked before the topic's,
 * in one round trip. Returns the sequence number, or null when nothing changed (and nothing was
 * announced).
 */
export async function announceWhen(tx: DbOrTx, topic: string, payload: unknown, change: SQL | null): Promise<number | null> {
  const { channel, json, jobs } = announcement(topic, payload);
  // One statement (one round trip): live_announce() bumps the topic's seq, stores the event and
  // notifies; it is not called when the change changed nothing.
  const rows = await tx.execute<{ seq: string | number }>(sql`
    ${change ? sql`with changed as (${change})` : sql``}
    select live_announce(${channel}, ${topic}, ${json}::jsonb) as seq
    ${change ? sql`where exists (select from changed)` : sql``}`);
  if (rows.length === 0) return null;
  if (jobs.length > 0) await enqueueJobs(tx, jobs);
  return Number(rows[0]!.seq);
}

/**
 * live_announce()'s arguments for `topic` and the jobs that must be queued with it (Firestore's
 * publish, when configured): for SQL that announces by itself (the checkout paid from the wallet).
 */
export function announcement(topic: string, payload: unknown): { channel: string; json: string; jobs: JobSpec[] } {
  if (!isLiveTopic(topic)) throw new Error(`Not a live topic: ${topic}`);
  return {
    channel: LIVE_CHANNEL,
    json: JSON.stringify(payload ?? null),
    jobs: firestorePublishingEnabled() ? [firestorePublishJob(topic)] : [],
  };
}
