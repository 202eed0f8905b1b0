import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { firestorePublishingEnabled } from "./firebase";
import { enqueueFirestorePublish } from "./firestore-publisher";
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
  if (!isLiveTopic(topic)) throw new Error(`Not a live topic: ${topic}`);
  const json = JSON.stringify(payload ?? null);
  // One statement (one round trip): bump the topic's seq, store the event, notify.
  const rows = await tx.execute<{ seq: string | number }>(sql`
    with ${change ? sql`changed as (${change}),` : sql``} bumped as (
      insert into live_topics (topic, seq) select ${topic}, 1 ${change ? sql`where exists (select from changed)` : sql``}
      on conflict (topic) do update set seq = live_topics.seq + 1
      returning seq
    ), stored as (
      insert into live_events (topic, seq, payload) select ${topic}, seq, ${json}::jsonb from bumped returning seq
    )
    select seq, pg_notify(${LIVE_CHANNEL}, json_build_object('topic', ${topic}::text, 'seq', seq)::text) from stored`);
  if (rows.length === 0) return null;
  const seq = Number(rows[0]!.seq);
  if (firestorePublishingEnabled()) await enqueueFirestorePublish(tx, topic);
  return seq;
}
