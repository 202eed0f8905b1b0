import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Firestore } from "firebase-admin/firestore";
import { createTestDatabase } from "@/db/testing/database";
import { adminIds } from "@/server/accounts/service";
import { deleteMessage, sendMessage } from "@/server/chat/messages";
import { reportMessage, resolveReport } from "@/server/chat/moderation";
import { joinEventLobby } from "@/server/chat/rooms";
import { chatFixtures } from "@/server/chat/testing";
import { publishEvent } from "@/server/events/service";
import { runDueJobs } from "@/server/worker";
import { announce } from "./announce";
import { getLiveFirestore } from "./firebase";
import { readTopicSnapshot, writeTopicSnapshot } from "./firestore-publisher";
import { pruneLiveEvents } from "./prune";

/**
 * What the Firestore copy of the live topics lets out, through the real jobs, against
 * @firestore-emulator/server (which does not evaluate firestore.rules: these tests check the
 * documents the rules decide on; firestore-rules.test.ts checks the rules).
 */
const emulator = await vi.hoisted(async () => (await import("./testing/firestore-emulator")).startFirestoreEmulator());

const database = await createTestDatabase();
const { db } = database;
let firestore: Firestore;
let f: Awaited<ReturnType<typeof chatFixtures>>;

beforeAll(async () => {
  firestore = await getLiveFirestore()!;
  f = await chatFixtures(db);
});

afterAll(async () => {
  const { deleteApp, getApps } = await import("firebase-admin/app");
  await firestore?.terminate();
  await Promise.all(getApps().map((app) => deleteApp(app)));
  emulator.stop();
});

/** The topic document and every event document under it, as stored. */
async function stored(topic: string) {
  const ref = firestore.collection("live").doc(topic);
  const events = await ref.collection("events").get();
  return {
    doc: (await ref.get()).data(),
    events: events.docs
      .map((doc) => ({ seq: Number(doc.id), ...doc.data(), payload: doc.get("payload") as string }))
      .sort((a, b) => a.seq - b.seq),
  };
}

/** A lobby with a few messages, published to Firestore; the second one says `secret`. */
async function lobbyWithSecret(secret: string) {
  const event = await f.openEvent();
  const [player] = await f.players(1);
  await f.enter(event.id, player!.id);
  const { roomId } = await joinEventLobby(db, player!, { eventId: event.id });
  const send = (body: string) => sendMessage(db, player!, { roomId, body, clientId: crypto.randomUUID() });
  await send("glhf");
  const message = await send(secret);
  await send("see you in the bracket");
  await runDueJobs(database);
  const topic = `room:${roomId}`;
  expect(JSON.stringify(await stored(topic))).toContain(secret);
  return { topic, message, player: player! };
}

describe("a deleted chat message", () => {
  it("leaves no copy in the room's Firestore events once the organizer deleted it", async () => {
    const secret = `my password is ${crypto.randomUUID()}`;
    const { topic, message } = await lobbyWithSecret(secret);
    await deleteMessage(db, f.organizer, { messageId: message.id });
    await runDueJobs(database);

    const after = await stored(topic);
    expect(JSON.stringify(after)).not.toContain(secret);
    // Rewritten, not lost: the message keeps its place, without its body, and the others are intact.
    const payloads = after.events.map((event) => JSON.parse(event.payload) as Record<string, unknown>);
    expect(payloads.find((p) => (p.message as { id?: string } | undefined)?.id === message.id)).toMatchObject({
      kind: "message",
      message: { id: message.id, body: null, deleted: true },
    });
    expect(JSON.stringify(payloads)).toContain("see you in the bracket");
    expect(payloads.at(-1)).toEqual({ kind: "deleted", messageId: message.id });
  });

  it("leaves no copy when an admin deletes it from a report", async () => {
    const secret = `call me at ${crypto.randomUUID()}`;
    const { topic, message } = await lobbyWithSecret(secret);
    const [reporter] = await f.players(1);
    const event = (await db.execute<{ event_id: string }>(sql`select event_id from chat_rooms where id = ${topic.slice(5)}`))[0]!;
    await f.enter(event.event_id, reporter!.id);
    const { reportId } = await reportMessage(db, reporter!, { messageId: message.id, reason: "harassment" });
    await resolveReport(db, f.admin, { reportId, action: "delete_message" });
    await runDueJobs(database);
    expect(JSON.stringify(await stored(topic))).not.toContain(secret);
  });

  it("cannot come back through a publish that read PostgreSQL before the deletion, whichever writes first", async () => {
    for (const staleWritesFirst of [true, false]) {
      const secret = `stale ${crypto.randomUUID()}`;
      const { topic, message } = await lobbyWithSecret(secret);
      // A publish job read the room while the message was there, and stalled…
      await announce(db, topic, { kind: "typing", userId: crypto.randomUUID(), name: "x" });
      const stale = (await readTopicSnapshot(db, topic))!;
      expect(JSON.stringify(stale)).toContain(secret);
      await deleteMessage(db, f.organizer, { messageId: message.id });
      // …and writes before or after the jobs that the deletion queued.
      if (staleWritesFirst) await writeTopicSnapshot(firestore, stale);
      await runDueJobs(database);
      if (!staleWritesFirst) expect(await writeTopicSnapshot(firestore, stale)).toBe("stale");
      expect(JSON.stringify(await stored(topic))).not.toContain(secret);
    }
  });

  it("leaves no copy in Firestore after its live event was pruned from PostgreSQL", async () => {
    const secret = `old news ${crypto.randomUUID()}`;
    const { topic, message } = await lobbyWithSecret(secret);
    await db.execute(sql`update live_events set created_at = now() - interval '30 days' where topic = ${topic}`);
    await pruneLiveEvents(db);
    await deleteMessage(db, f.organizer, { messageId: message.id });
    await runDueJobs(database);
    const after = await stored(topic);
    expect(JSON.stringify(after)).not.toContain(secret);
    // SSE cannot replay what was pruned; neither can Firestore now.
    expect(after.events.map((event) => JSON.parse(event.payload))).toEqual([{ kind: "deleted", messageId: message.id }]);
  });
});

describe("a draft event's live topic", () => {
  it("lists its organizer and the admins as readers while a draft, and is public once published", async () => {
    const event = await f.openEvent({ status: "draft", publishedAt: null });
    const topic = `event:${event.id}`;
    await db.transaction((tx) => announce(tx, topic, { kind: "event.updated" }));
    await runDueJobs(database);
    const draft = await stored(topic);
    expect(draft.events).toHaveLength(1);
    expect(draft.doc!.readers).toEqual([...(await adminIds(db)), f.organizer.id].sort());
    expect(draft.doc!.readers).not.toHaveLength(0);

    await publishEvent(db, f.organizer, event.id);
    await runDueJobs(database);
    const published = await stored(topic);
    expect(published.doc).toMatchObject({ seq: 2 });
    expect(published.doc).not.toHaveProperty("readers");
  });

  it("is public for a published event, and readable by nobody for an id that is no event", async () => {
    const event = await f.openEvent();
    const unknown = `event:${crypto.randomUUID()}`;
    await db.transaction(async (tx) => {
      await announce(tx, `event:${event.id}`, { kind: "event.updated" });
      await announce(tx, unknown, { kind: "event.updated" });
    });
    await runDueJobs(database);
    expect((await stored(`event:${event.id}`)).doc).not.toHaveProperty("readers");
    expect((await stored(unknown)).doc).toMatchObject({ readers: [] });
  });
});
