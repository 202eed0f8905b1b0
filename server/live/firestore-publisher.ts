import { desc, eq } from "drizzle-orm";
import type { Firestore } from "firebase-admin/firestore";
import type { DbOrTx } from "@/db/client";
import { liveEvents } from "@/db/schema/live";
import type { JobSpec } from "@/server/jobs/queue";
import { isLiveTopic } from "./topics-name";

/** The job that copies a topic's latest state from PostgreSQL to Firestore. Payload: `{ topic }`. */
export const LIVE_PUBLISH_FIRESTORE_TASK = "live-publish-firestore";

/** Events kept in `live/<topic>/events` for browsers catching up; older ones are deleted. */
export const FIRESTORE_EVENTS_KEPT = 100;

/**
 * The job that writes `topic`'s snapshot to Firestore, queued with each announcement in the
 * announcing transaction (so a rollback queues nothing). One key per topic: a burst of
 * announcements before the worker picks the job up leaves one job, which publishes the latest
 * state; a job already running is not touched and a new one follows it.
 */
export function firestorePublishJob(topic: string): JobSpec {
  return { task: LIVE_PUBLISH_FIRESTORE_TASK, payload: { topic }, jobKey: `${LIVE_PUBLISH_FIRESTORE_TASK}:${topic}` };
}

/**
 * The job that rewrites the copies of `topic`'s events already in Firestore from PostgreSQL, for
 * events whose content was taken back (see redactEvents). Its own key, so a publish queued after it
 * cannot replace it.
 */
export const LIVE_RESYNC_FIRESTORE_TASK = "live-resync-firestore";

export function firestoreResyncJob(topic: string): JobSpec {
  return { task: LIVE_RESYNC_FIRESTORE_TASK, payload: { topic }, jobKey: `${LIVE_RESYNC_FIRESTORE_TASK}:${topic}` };
}

/** The user ids allowed to read a room's live document: its members. Provided by the chat domain. */
export type RoomReaders = (db: DbOrTx, roomId: string) => Promise<string[]>;

/**
 * Who may read an event, bracket or match topic: undefined when everyone may, else the user ids (a
 * draft event's organizer and admins). Provided by the brackets domain.
 */
export type EventTopicReaders = (db: DbOrTx, kind: "event" | "bracket" | "match", id: string) => Promise<string[] | undefined>;

export interface PublishOptions {
  /**
   * Who may read `room:<id>`, provided by chat (wired in server/composition.ts). Without it, rooms
   * are published with no readers, so no browser can read them: private by default.
   */
  roomReaders?: RoomReaders;
  /** Who may read `event:`, `bracket:` and `match:` topics; without it they are public. */
  eventTopicReaders?: EventTopicReaders;
}

export interface LiveEventRecord {
  seq: number;
  payload: unknown;
  createdAt: Date;
}

/** What the job writes: read from PostgreSQL, the source of truth. */
export interface TopicSnapshot {
  topic: string;
  latest: LiveEventRecord;
  /** The last FIRESTORE_EVENTS_KEPT events, oldest first (the latest included). */
  recent: LiveEventRecord[];
  /**
   * For private topics (rooms, users, a draft event's topics): the user ids that firestore.rules
   * let read it. Absent: public (only event, bracket and match topics may be).
   */
  readers?: string[];
}

export async function readersOf(db: DbOrTx, topic: string, options: PublishOptions = {}): Promise<string[] | undefined> {
  const separator = topic.indexOf(":");
  const kind = topic.slice(0, separator);
  const id = topic.slice(separator + 1);
  if (kind === "user") return [id];
  if (kind === "room") return options.roomReaders ? [...new Set(await options.roomReaders(db, id))].sort() : [];
  if (kind === "event" || kind === "bracket" || kind === "match") {
    const readers = await options.eventTopicReaders?.(db, kind, id);
    return readers && [...new Set(readers)].sort();
  }
  return [];
}

/** The topic's latest event and the recent ones, or null when nothing was ever announced on it. */
export async function readTopicSnapshot(db: DbOrTx, topic: string, options: PublishOptions = {}): Promise<TopicSnapshot | null> {
  const rows = await db
    .select({ seq: liveEvents.seq, payload: liveEvents.payload, createdAt: liveEvents.createdAt })
    .from(liveEvents)
    .where(eq(liveEvents.topic, topic))
    .orderBy(desc(liveEvents.seq))
    .limit(FIRESTORE_EVENTS_KEPT);
  if (rows.length === 0) return null;
  const recent = rows.reverse();
  return { topic, latest: recent.at(-1)!, recent, readers: await readersOf(db, topic, options) };
}

/**
 * Write `live/<topic>` and its new `events/<seq>` docs in one Firestore transaction, only if the
 * snapshot is newer than the stored one. A retried job (same seq) writes nothing new, and a job that
 * read PostgreSQL before a newer one wrote never rolls the document back. Events are keyed by seq,
 * so writing one twice overwrites it with the same content.
 *
 * `resync` also rewrites the events already stored whose payload PostgreSQL no longer has as it
 * was (taken back by redactEvents), and deletes those it no longer has at all (pruned); it writes
 * a snapshot as new as the stored one too (the same seq: the same content, but the readers may
 * have changed). A redaction announces in the transaction that rewrites PostgreSQL, so a snapshot
 * read before it is older than the one the resync writes, and is refused as stale from then on.
 *
 * `payload` is stored as JSON text: Firestore forbids arrays inside arrays and turns integers and
 * floats into different types, JSON text round-trips any payload exactly.
 */
export async function writeTopicSnapshot(
  firestore: Firestore,
  snapshot: TopicSnapshot,
  options: { resync?: boolean } = {},
): Promise<"written" | "stale"> {
  const topicRef = firestore.collection("live").doc(snapshot.topic);
  const events = topicRef.collection("events");
  const recent = new Map(snapshot.recent.map((event) => [event.seq, JSON.stringify(event.payload ?? null)]));
  return firestore.runTransaction(async (transaction) => {
    const stored = await transaction.get(topicRef);
    const storedSeq = stored.exists ? Number(stored.get("seq") ?? 0) : 0;
    if (options.resync ? storedSeq > snapshot.latest.seq : storedSeq >= snapshot.latest.seq) return "stale" as const;
    // Every read before the first write, as Firestore transactions require.
    const storedEvents = options.resync ? (await transaction.get(events)).docs : [];

    const doc: Record<string, unknown> = {
      topic: snapshot.topic,
      seq: snapshot.latest.seq,
      payload: recent.get(snapshot.latest.seq),
      updatedAt: snapshot.latest.createdAt,
    };
    if (snapshot.readers) doc.readers = snapshot.readers;
    transaction.set(topicRef, doc);

    const rewrite = new Set<number>();
    for (const event of storedEvents) {
      const seq = Number(event.id);
      if (!recent.has(seq)) transaction.delete(event.ref);
      else if (event.get("payload") !== recent.get(seq)) rewrite.add(seq);
    }
    for (const event of snapshot.recent) {
      if (event.seq <= storedSeq && !rewrite.has(event.seq)) continue;
      transaction.set(events.doc(String(event.seq)), {
        topic: snapshot.topic,
        seq: event.seq,
        payload: recent.get(event.seq),
        createdAt: event.createdAt,
      });
    }
    if (options.resync) return "written" as const;
    // Events that fell out of the kept window since the last publish (only those can still exist).
    const dropTo = Math.min(storedSeq, snapshot.latest.seq - FIRESTORE_EVENTS_KEPT);
    for (let seq = Math.max(1, storedSeq - FIRESTORE_EVENTS_KEPT + 1); seq <= dropTo; seq++) {
      transaction.delete(events.doc(String(seq)));
    }
    return "written" as const;
  });
}

/** The job: copy `topic`'s latest state to Firestore. Idempotent; safe to run any number of times. */
export async function publishTopicToFirestore(
  db: DbOrTx,
  firestore: Firestore,
  topic: string,
  options: PublishOptions = {},
): Promise<"written" | "stale" | "empty"> {
  if (!isLiveTopic(topic)) throw new Error(`Not a live topic: ${topic}`);
  const snapshot = await readTopicSnapshot(db, topic, options);
  if (!snapshot) return "empty";
  return writeTopicSnapshot(firestore, snapshot);
}

/** Attempts of a resync that keeps finding a newer snapshot stored than the one it read. */
const RESYNC_ATTEMPTS = 5;

/**
 * The resync job: rewrite `topic`'s Firestore copy, stored events included, from PostgreSQL. A
 * newer snapshot stored meanwhile (by a publish that did not look at older events) is no reason
 * to stop: PostgreSQL is read again until this job writes. Idempotent.
 */
export async function resyncTopicInFirestore(
  db: DbOrTx,
  firestore: Firestore,
  topic: string,
  options: PublishOptions = {},
): Promise<"written" | "empty"> {
  if (!isLiveTopic(topic)) throw new Error(`Not a live topic: ${topic}`);
  for (let attempt = 0; attempt < RESYNC_ATTEMPTS; attempt++) {
    const snapshot = await readTopicSnapshot(db, topic, options);
    if (!snapshot) return "empty";
    if ((await writeTopicSnapshot(firestore, snapshot, { resync: true })) === "written") return "written";
  }
  // The job is retried later, when the topic is quieter.
  throw new Error(`Could not resync ${topic} in Firestore: newer snapshots kept arriving.`);
}
