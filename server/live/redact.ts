import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { enqueueJobs } from "@/server/jobs/queue";
import { announce } from "./announce";
import { firestorePublishingEnabled } from "./firebase";
import { firestoreResyncJob } from "./firestore-publisher";
import { isLiveTopic } from "./topics-name";

export interface Redaction {
  /** Stored events whose payload contains this (jsonb `@>`) are rewritten. */
  matching: Record<string, unknown>;
  /** Where in the payload `patch` goes: the object there gets its keys replaced. */
  path: readonly string[];
  patch: Record<string, unknown>;
}

/**
 * Takes content back from `topic`'s stored events (a chat message a moderator deleted), then
 * announces `payload` on the topic, in the caller's transaction. SSE replays from live_events, which
 * is rewritten here; Firestore holds copies of the last events, which a job queued in the same
 * transaction rewrites from live_events after commit. The announcement matters to that job: any
 * copy read before this commit is older than it, so it can no longer overwrite the rewritten ones.
 * Returns the announcement's sequence number.
 */
export async function redactEvents(tx: DbOrTx, topic: string, redaction: Redaction, payload: unknown): Promise<number> {
  if (!isLiveTopic(topic)) throw new Error(`Not a live topic: ${topic}`);
  // A Postgres text[] literal; each element quoted (JSON's escaping is the array literal's).
  const path = `{${redaction.path.map((key) => JSON.stringify(key)).join(",")}}`;
  await tx.execute(sql`
    update live_events
    set payload = jsonb_set(payload, ${path}::text[], coalesce(payload #> ${path}::text[], '{}'::jsonb) || ${JSON.stringify(redaction.patch)}::jsonb)
    where topic = ${topic} and payload @> ${JSON.stringify(redaction.matching)}::jsonb`);
  const seq = await announce(tx, topic, payload);
  if (firestorePublishingEnabled()) await enqueueJobs(tx, [firestoreResyncJob(topic)]);
  return seq;
}
