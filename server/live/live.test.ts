import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { games } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createOpenEvent, createUser } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";
import { publishEvent } from "@/server/events/service";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { announce } from "./announce";
import { LIVE_PUBLISH_FIRESTORE_TASK } from "./firestore-publisher";
import { createHub, type Hub, type LiveEvent } from "./hub";
import { decodePositions, encodePositions } from "./positions";
import { canSubscribe } from "./topics";

const database = await createTestDatabase();
const { db, url } = database;
// Instance A: its own connection pool and hub; instance B: another hub. One PostgreSQL.
const instanceA = connect(url, { max: 4 });
const hubA = createHub({ url });
const hubB = createHub({ url });

// Registered after createTestDatabase's afterAll, so (hooks run in reverse) these close first.
afterAll(async () => {
  await Promise.all([hubA.close(), hubB.close(), instanceA.close()]);
});

const topicOf = (kind: string) => `${kind}:${crypto.randomUUID()}`;

async function waitFor(check: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function collect(hub: Hub, topics: string[], after: Map<string, number> = new Map()) {
  const events: LiveEvent[] = [];
  const ready: Array<ReadonlyMap<string, number>> = [];
  const unsubscribe = hub.subscribe(
    topics,
    after,
    (event) => events.push(event),
    (positions) => ready.push(positions),
  );
  return { events, ready, unsubscribe };
}

describe("announce", () => {
  it("numbers each topic's events 1, 2, 3… and stores the payload", async () => {
    const topic = topicOf("event");
    const seqs = [];
    for (let i = 0; i < 3; i++) seqs.push(await db.transaction((tx) => announce(tx, topic, { i })));
    expect(seqs).toEqual([1, 2, 3]);
    const rows = await database.sql`select seq, payload from live_events where topic = ${topic} order by seq`;
    expect(rows.map((r) => [Number(r.seq), r.payload])).toEqual([
      [1, { i: 0 }],
      [2, { i: 1 }],
      [3, { i: 2 }],
    ]);
  });

  it("queues no Firestore job when Firestore is not configured", async () => {
    const topic = topicOf("event");
    await db.transaction((tx) => announce(tx, topic, {}));
    const jobs =
      await database.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = ${LIVE_PUBLISH_FIRESTORE_TASK}`;
    expect(jobs[0]!.n).toBe(0);
  });

  it("refuses a malformed topic", async () => {
    await expect(db.transaction((tx) => announce(tx, "wallet:nope", {}))).rejects.toThrow(/live topic/);
  });

  it("never delivers a change whose transaction rolls back", async () => {
    const topic = topicOf("match");
    const sub = collect(hubB, [topic]);
    const unsubscribe = await sub.unsubscribe;
    await expect(
      instanceA.db.transaction(async (tx) => {
        await announce(tx, topic, { kind: "rolled back" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await instanceA.db.transaction((tx) => announce(tx, topic, { kind: "committed" }));
    await waitFor(() => sub.events.length >= 1);
    await sleep(200);
    unsubscribe();
    expect(sub.events.map((e) => e.payload)).toEqual([{ kind: "committed" }]);
    // The rolled-back seq was never used: the committed one is 1.
    expect(sub.events[0]!.seq).toBe(1);
    const stored = await database.sql`select count(*)::int as n from live_events where topic = ${topic}`;
    expect(stored[0]!.n).toBe(1);
  });
});

describe("hub", () => {
  it("delivers an event committed through instance A to a client of instance B (and of A)", async () => {
    const topic = topicOf("bracket");
    const onB = collect(hubB, [topic]);
    const onA = collect(hubA, [topic]);
    const [stopB, stopA] = await Promise.all([onB.unsubscribe, onA.unsubscribe]);
    await instanceA.db.transaction((tx) => announce(tx, topic, { round: 1 }));
    await waitFor(() => onB.events.length === 1 && onA.events.length === 1);
    stopA();
    stopB();
    expect(onB.events[0]).toMatchObject({ topic, seq: 1, payload: { round: 1 } });
    expect(onB.events[0]!.positions.get(topic)).toBe(1);
  });

  it("replays 50 missed events in order, once, then streams live ones", async () => {
    const topic = topicOf("event");
    const first = collect(hubB, [topic]);
    const stop = await first.unsubscribe;
    await instanceA.db.transaction((tx) => announce(tx, topic, { n: 0 }));
    await waitFor(() => first.events.length === 1);
    stop();
    const lastSeen = first.events[0]!.positions;

    for (let n = 1; n <= 50; n++) await instanceA.db.transaction((tx) => announce(tx, topic, { n }));

    // Reconnect with the position from the last event id (as Last-Event-ID would carry it).
    const resumed = decodePositions(encodePositions(lastSeen))!;
    const again = collect(hubB, [topic], resumed);
    const stopAgain = await again.unsubscribe;
    expect(again.ready[0]!.get(topic)).toBe(1);
    await waitFor(() => again.events.length >= 50);
    await instanceA.db.transaction((tx) => announce(tx, topic, { n: 51 }));
    await waitFor(() => again.events.length >= 51);
    await sleep(200);
    stopAgain();
    expect(again.events.map((e) => e.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 2));
    expect(again.events.map((e) => (e.payload as { n: number }).n)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  });

  it("misses nothing and repeats nothing when events keep coming while a client subscribes", async () => {
    const topic = topicOf("room");
    let stopWriting = false;
    const writer = (async () => {
      let written = 0;
      while (!stopWriting) {
        await instanceA.db.transaction((tx) => announce(tx, topic, { written }));
        written++;
      }
      return written;
    })();
    await sleep(30);
    const sub = collect(hubA, [topic], new Map([[topic, 0]]));
    const stop = await sub.unsubscribe;
    await sleep(100);
    stopWriting = true;
    const written = await writer;
    expect(written).toBeGreaterThan(5);
    await waitFor(() => sub.events.length >= written);
    await sleep(100);
    stop();
    expect(sub.events.map((e) => e.seq)).toEqual(Array.from({ length: written }, (_, i) => i + 1));
  });

  it("starts a topic without a position at its current seq, and follows several topics on one subscription", async () => {
    const old = topicOf("user");
    const other = topicOf("user");
    await instanceA.db.transaction((tx) => announce(tx, old, { before: true }));
    const sub = collect(hubB, [old, other]);
    const stop = await sub.unsubscribe;
    expect(sub.ready[0]).toEqual(
      new Map([
        [old, 1],
        [other, 0],
      ]),
    );
    await instanceA.db.transaction(async (tx) => {
      await announce(tx, old, { after: true });
      await announce(tx, other, { after: true });
    });
    await waitFor(() => sub.events.length >= 2);
    stop();
    expect(sub.events.map((e) => [e.topic, e.seq])).toEqual(
      expect.arrayContaining([
        [old, 2],
        [other, 1],
      ]),
    );
    expect(sub.events.at(-1)!.positions).toEqual(
      new Map([
        [old, 2],
        [other, 1],
      ]),
    );
  });

  it("hands one event object to every subscriber of the topic alone, and its own positions to a subscriber of several", async () => {
    const topic = topicOf("event");
    const other = topicOf("event");
    const [one, two, both] = [collect(hubA, [topic]), collect(hubA, [topic]), collect(hubA, [topic, other])];
    const stops = await Promise.all([one.unsubscribe, two.unsubscribe, both.unsubscribe]);
    await instanceA.db.transaction((tx) => announce(tx, topic, { shared: true }));
    await waitFor(() => one.events.length + two.events.length + both.events.length >= 3);
    for (const stop of stops) stop();
    expect(one.events[0]).toBe(two.events[0]);
    expect(one.events[0]!.positions).toEqual(new Map([[topic, 1]]));
    expect(both.events[0]).not.toBe(one.events[0]);
    expect(both.events[0]!.positions).toEqual(
      new Map([
        [topic, 1],
        [other, 0],
      ]),
    );
  });

  it("stops delivering after unsubscribe", async () => {
    const topic = topicOf("match");
    const sub = collect(hubB, [topic]);
    (await sub.unsubscribe)();
    await instanceA.db.transaction((tx) => announce(tx, topic, {}));
    await sleep(200);
    expect(sub.events).toEqual([]);
  });
});

describe("event service announcements", () => {
  let organizer: SessionUser;
  let gameId: string;

  beforeAll(async () => {
    const [game] = await db
      .insert(games)
      .values({ slug: `g-${crypto.randomUUID()}`, name: "Live Game", handleLabel: "Tag" })
      .returning();
    gameId = game!.id;
    organizer = await createUser(db, { role: "organizer" });
  });

  it("publishing an event announces it on event:<id>", async () => {
    const event = await createOpenEvent(db, { organizerId: organizer.id, gameId }, { status: "draft", publishedAt: null });
    const sub = collect(hubA, [`event:${event.id}`]);
    const stop = await sub.unsubscribe;
    await publishEvent(db, organizer, event.id);
    await waitFor(() => sub.events.length === 1);
    stop();
    expect(sub.events[0]).toMatchObject({ topic: `event:${event.id}`, seq: 1, payload: { kind: "event.updated" } });
  });
});

describe("topic authorization", () => {
  let alice: SessionUser;
  let bob: SessionUser;
  let organizer: SessionUser;
  let admin: SessionUser;
  let gameId: string;

  beforeAll(async () => {
    const [game] = await db
      .insert(games)
      .values({ slug: `g-${crypto.randomUUID()}`, name: "Auth Game", handleLabel: "Tag" })
      .returning();
    gameId = game!.id;
    [alice, bob, organizer, admin] = await Promise.all([
      createUser(db),
      createUser(db),
      createUser(db, { role: "organizer" }),
      createUser(db, { role: "admin" }),
    ]);
  });

  it("lets a user follow only their own user topic (wallet, notifications)", async () => {
    expect(await canSubscribe(db, alice, `user:${alice.id}`)).toBe(true);
    expect(await canSubscribe(db, alice, `user:${bob.id}`)).toBe(false);
    expect(await canSubscribe(db, null, `user:${bob.id}`)).toBe(false);
    expect(await canSubscribe(db, admin, `user:${bob.id}`)).toBe(false);
  });

  // Membership of real rooms is tested with the chat service (server/chat/rooms.test.ts).
  it("refuses rooms that do not exist", async () => {
    expect(await canSubscribe(db, alice, topicOf("room"))).toBe(false);
    expect(await canSubscribe(db, admin, topicOf("room"))).toBe(false);
  });

  it("shows a published event to anyone and a draft only to its organizer and admins", async () => {
    const published = await createOpenEvent(db, { organizerId: organizer.id, gameId });
    const draft = await createOpenEvent(db, { organizerId: organizer.id, gameId }, { status: "draft", publishedAt: null });
    expect(await canSubscribe(db, null, `event:${published.id}`)).toBe(true);
    expect(await canSubscribe(db, alice, `event:${published.id}`)).toBe(true);
    expect(await canSubscribe(db, null, `event:${draft.id}`)).toBe(false);
    expect(await canSubscribe(db, alice, `event:${draft.id}`)).toBe(false);
    expect(await canSubscribe(db, organizer, `event:${draft.id}`)).toBe(true);
    expect(await canSubscribe(db, admin, `event:${draft.id}`)).toBe(true);
    expect(await canSubscribe(db, alice, topicOf("event"))).toBe(false);
  });

  it("keeps brackets and matches public and refuses malformed topics", async () => {
    expect(await canSubscribe(db, null, topicOf("bracket"))).toBe(true);
    expect(await canSubscribe(db, null, topicOf("match"))).toBe(true);
    expect(await canSubscribe(db, alice, "wallet:123")).toBe(false);
    expect(await canSubscribe(db, alice, `user:${alice.id.toUpperCase()}x`)).toBe(false);
  });
});

describe("live.firebaseToken", () => {
  it("answers { enabled: false } when Firestore is not configured", async () => {
    const user = await createUser(db);
    const caller = createCaller(createInnerContext({ db, user }));
    expect(await caller.live.firebaseToken()).toEqual({ enabled: false });
  });
});

describe("event ids", () => {
  it("round-trip every topic's position and reject anything else", () => {
    const a = topicOf("event");
    const b = topicOf("user");
    const positions = new Map([
      [a, 3],
      [b, 12],
    ]);
    expect(decodePositions(encodePositions(positions))).toEqual(positions);
    expect(decodePositions("not base64 json")).toBeUndefined();
    expect(decodePositions(Buffer.from(JSON.stringify({ "x:y": 1 })).toString("base64url"))).toBeUndefined();
    expect(decodePositions(Buffer.from(JSON.stringify({ [a]: -1 })).toString("base64url"))).toBeUndefined();
    expect(decodePositions(null)).toBeUndefined();
  });
});
