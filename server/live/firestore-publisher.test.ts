import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Firestore } from "firebase-admin/firestore";
import { liveEvents } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { runDueJobs } from "@/server/worker";
import { announce } from "./announce";
import { getLiveFirestore } from "./firebase";
import { enqueueJobs } from "@/server/jobs/queue";
import {
  firestorePublishJob,
  FIRESTORE_EVENTS_KEPT,
  LIVE_PUBLISH_FIRESTORE_TASK,
  publishTopicToFirestore,
  readTopicSnapshot,
  writeTopicSnapshot,
} from "./firestore-publisher";

/**
 * The publisher against @firestore-emulator/server (gRPC, in this process, on a loopback port the
 * system picks) with the real firebase-admin client. Firestore is configured through the same
 * environment variables as in production, set before anything reads them.
 */
const emulator = await vi.hoisted(async () => (await import("./testing/firestore-emulator")).startFirestoreEmulator());

const database = await createTestDatabase();
const { db } = database;
let firestore: Firestore;

beforeAll(async () => {
  firestore = await getLiveFirestore()!;
});

afterAll(async () => {
  const { deleteApp, getApps } = await import("firebase-admin/app");
  await firestore?.terminate();
  await Promise.all(getApps().map((app) => deleteApp(app)));
  emulator.stop();
});

const topicOf = (kind: string) => `${kind}:${crypto.randomUUID()}`;

/** Publish jobs waiting for `topic` (by payload, so a job whose key was cleared counts too). */
async function queuedJobs(topic: string): Promise<number> {
  const rows = await database.sql`
    select count(*)::int as n
    from graphile_worker._private_jobs jobs
    join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
    where tasks.identifier = ${LIVE_PUBLISH_FIRESTORE_TASK} and jobs.payload->>'topic' = ${topic}`;
  return rows[0]!.n as number;
}

async function stored(topic: string) {
  const snapshot = await firestore.collection("live").doc(topic).get();
  const events = await firestore.collection("live").doc(topic).collection("events").get();
  return {
    exists: snapshot.exists,
    data: snapshot.data(),
    updateTime: snapshot.updateTime?.toMillis(),
    events: events.docs
      .map((doc) => ({ id: doc.id, data: doc.data(), updateTime: doc.updateTime.toMillis() }))
      .sort((a, b) => Number(a.id) - Number(b.id)),
  };
}

describe("the Firestore publisher", () => {
  it("queues one job per topic in the announcing transactions, which writes the latest snapshot and the events", async () => {
    // A bracket id that is no bracket (yet) is public; an event id that is no event would be readable by nobody.
    const topic = topicOf("bracket");
    for (let n = 1; n <= 3; n++) await db.transaction((tx) => announce(tx, topic, { n, list: [[n]] }));
    // Three commits, one pending job: the job key coalesces a burst.
    expect(await queuedJobs(topic)).toBe(1);

    await runDueJobs(database);
    expect(await queuedJobs(topic)).toBe(0);

    const { data, events } = await stored(topic);
    const [latest] = await db
      .select()
      .from(liveEvents)
      .where(and(eq(liveEvents.topic, topic), eq(liveEvents.seq, 3)));
    expect(data).toMatchObject({ topic, seq: 3, payload: JSON.stringify({ n: 3, list: [[3]] }) });
    expect(data!.updatedAt.toDate()).toEqual(latest!.createdAt);
    expect(data).not.toHaveProperty("readers");
    expect(events.map((e) => e.id)).toEqual(["1", "2", "3"]);
    expect(events.map((e) => JSON.parse(e.data.payload as string))).toEqual([1, 2, 3].map((n) => ({ n, list: [[n]] })));
    expect(events.map((e) => e.data.seq)).toEqual([1, 2, 3]);
  });

  it("writes the same documents when a job is retried, never a duplicate", async () => {
    const topic = topicOf("bracket");
    for (let n = 1; n <= 3; n++) await db.transaction((tx) => announce(tx, topic, { n }));
    await runDueJobs(database);
    const first = await stored(topic);

    // The same job again, as after a crash between the write and the job's completion.
    await enqueueJobs(db, [firestorePublishJob(topic)]);
    await runDueJobs(database);
    expect(await publishTopicToFirestore(db, firestore, topic)).toBe("stale");

    const again = await stored(topic);
    expect(again).toEqual(first);
    expect(again.events).toHaveLength(3);
  });

  it("never lets an older job overwrite a newer snapshot", async () => {
    const topic = topicOf("match");
    for (let n = 1; n <= 3; n++) await db.transaction((tx) => announce(tx, topic, { n }));
    // A job that read PostgreSQL at seq 3 and stalled before writing…
    const older = (await readTopicSnapshot(db, topic))!;
    expect(older.latest.seq).toBe(3);
    // …while the next announcement's job ran to the end.
    await db.transaction((tx) => announce(tx, topic, { n: 4 }));
    await runDueJobs(database);
    const newer = await stored(topic);
    expect(newer.data).toMatchObject({ seq: 4, payload: JSON.stringify({ n: 4 }) });

    expect(await writeTopicSnapshot(firestore, older)).toBe("stale");
    expect(await stored(topic)).toEqual(newer);
    expect(newer.events.map((e) => e.id)).toEqual(["1", "2", "3", "4"]);
  });

  it("queues nothing for an announcement whose transaction rolls back", async () => {
    const topic = topicOf("event");
    await expect(
      db.transaction(async (tx) => {
        await announce(tx, topic, { kind: "rolled back" });
        // Queued inside the transaction…
        expect(
          await tx.execute(sql`select 1 from graphile_worker.jobs where key = ${`${LIVE_PUBLISH_FIRESTORE_TASK}:${topic}`}`),
        ).toHaveLength(1);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    // …and gone with it.
    expect(await queuedJobs(topic)).toBe(0);
    await runDueJobs(database);
    expect((await stored(topic)).exists).toBe(false);
    expect(await publishTopicToFirestore(db, firestore, topic)).toBe("empty");
  });

  it("lists the readers of private topics: a user's own id, a room's members", async () => {
    const userId = crypto.randomUUID();
    const userTopic = `user:${userId}`;
    const room = topicOf("room");
    await db.transaction(async (tx) => {
      await announce(tx, userTopic, { kind: "wallet.changed" });
      await announce(tx, room, { kind: "message" });
    });
    await runDueJobs(database);
    expect((await stored(userTopic)).data).toMatchObject({ seq: 1, readers: [userId] });
    // Until chat provides room membership, nobody may read a room's document.
    expect((await stored(room)).data).toMatchObject({ seq: 1, readers: [] });

    await db.transaction((tx) => announce(tx, room, { kind: "message" }));
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await publishTopicToFirestore(db, firestore, room, { roomReaders: async (_db, roomId) => (roomId === room.slice(5) ? [b, a, b] : []) });
    expect((await stored(room)).data).toMatchObject({ seq: 2, readers: [a, b].sort() });
  });

  it(`keeps the last ${FIRESTORE_EVENTS_KEPT} events and deletes older ones`, async () => {
    const topic = topicOf("event");
    const extra = 5;
    await db.transaction(async (tx) => {
      for (let n = 1; n <= FIRESTORE_EVENTS_KEPT + extra; n++) await announce(tx, topic, { n });
    });
    await runDueJobs(database);
    let events = (await stored(topic)).events.map((e) => Number(e.id));
    expect(events).toEqual(Array.from({ length: FIRESTORE_EVENTS_KEPT }, (_, i) => i + 1 + extra));

    for (let n = 1; n <= 3; n++) await db.transaction((tx) => announce(tx, topic, { n }));
    await runDueJobs(database);
    events = (await stored(topic)).events.map((e) => Number(e.id));
    expect(events).toEqual(Array.from({ length: FIRESTORE_EVENTS_KEPT }, (_, i) => i + 1 + extra + 3));
  });
});
