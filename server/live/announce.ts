import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { firestorePublishingEnabled } from "./firebase";
import { enqueueJobs, type JobSpec } from "@/server/jobs/queue";
import { firestorePublishJob } from "./firestore-publisher";
import { isLiveTopic, LIVE_CHANNEL } from "./topics-name";

/**
 * Tell live views that `topic` changed. Call it inside the transaction that makes the change: the
 * event row and the NOTIFY commit with it, and a rolled-back transaction announces nothing.
 * live_announce() (migration 0013) bumps the topic's seq, stores the event and notifies in one
 * round trip; its upsert on live_topics locks the topic's row, so sequence numbers follow commit
 * order per topic. With Firestore configured, the job that publishes the topic there is queued in
 * the same transaction too. Returns the event's sequence number.
 */
export async function announce(tx: DbOrTx, topic: string, payload: unknown): Promise<number> {
  const { channel, json, jobs } = announcement(topic, payload);
  const [row] = await tx.execute<{ seq: string | number }>(sql`select live_announce(${channel}, ${topic}, ${json}::jsonb) as seq`);
  if (jobs.length > 0) await enqueueJobs(tx, jobs);
  return Number(row!.seq);
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
