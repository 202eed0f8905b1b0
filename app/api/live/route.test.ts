import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { games } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createOpenEvent, createUser } from "@/server/testing/factories";
import { sessionCookieFor } from "@/server/accounts/testing";
import { joinEventLobby } from "@/server/chat/rooms";
import { chatFixtures } from "@/server/chat/testing";
import { announce } from "@/server/live/announce";
import { createHub, MAX_REPLAY_EVENTS } from "@/server/live/hub";
import { MAX_STREAMS_PER_USER } from "@/server/live/stream-guard";
import { PEER_HEADER } from "@/server/http";
import { withdraw } from "@/server/registration/exits";
import { decodePositions } from "@/server/live/positions";

const database = await createTestDatabase();
const hub = createHub(database);
afterAll(() => hub.close());

vi.mock("@/server/database", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/database")>()),
  getDb: async () => database.db,
}));
vi.mock("@/server/live/hub", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/live/hub")>()),
  getHub: async () => hub,
}));

const { GET } = await import("./route");

let eventId: string;
let otherEventId: string;
let otherUserId: string;

beforeAll(async () => {
  const [game] = await database.db
    .insert(games)
    .values({ slug: `g-${crypto.randomUUID()}`, name: "Route Game", handleLabel: "Tag" })
    .returning();
  const organizer = await createUser(database.db, { role: "organizer" });
  otherUserId = (await createUser(database.db)).id;
  eventId = (await createOpenEvent(database.db, { organizerId: organizer.id, gameId: game!.id })).id;
  otherEventId = (await createOpenEvent(database.db, { organizerId: organizer.id, gameId: game!.id })).id;
});

function get(query: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const request = new Request(`http://localhost/api/live?${query}`, { headers, signal: controller.signal });
  return { response: GET(request), abort: () => controller.abort() };
}

/** Reads SSE frames (blank-line separated) from the body until `count` frames carrying data arrived. */
async function frames(body: ReadableStream<Uint8Array>, count: number) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const parsed: Array<{ id?: string; event?: string; data?: unknown }> = [];
  const deadline = Date.now() + 5_000;
  while (parsed.length < count) {
    if (Date.now() > deadline) throw new Error("timed out reading frames");
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const frame: { id?: string; event?: string; data?: unknown } = {};
      for (const line of block.split("\n")) {
        if (line.startsWith("id: ")) frame.id = line.slice(4);
        if (line.startsWith("event: ")) frame.event = line.slice(7);
        if (line.startsWith("data: ")) frame.data = JSON.parse(line.slice(6));
      }
      if (frame.data !== undefined) parsed.push(frame);
    }
  }
  reader.releaseLock();
  return parsed;
}

describe("GET /api/live", () => {
  it("answers 400 for a malformed topic and 403 when every topic asked for is refused", async () => {
    expect((await get("topics=wallet:1").response).status).toBe(400);
    expect((await get("").response).status).toBe(400);
    const forbidden = await get(`topics=user:${otherUserId}`).response;
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ error: "You cannot follow that topic.", refused: [`user:${otherUserId}`] });
  });

  it("streams the topics it may and names the refused ones in `ready`, without breaking the others", async () => {
    const allowed = `event:${otherEventId}`;
    const refused = `user:${otherUserId}`;
    const stream = get(`topics=${refused},${allowed}`);
    const response = await stream.response;
    expect(response.status).toBe(200);
    const [ready] = await frames(response.body!, 1);
    expect(ready).toMatchObject({ event: "ready", data: { topics: [allowed], refused: [refused] } });
    expect([...decodePositions(ready!.id)!.keys()]).toEqual([allowed]);

    await database.db.transaction(async (tx) => {
      await announce(tx, refused, { secret: true });
      await announce(tx, allowed, { open: true });
    });
    const [live] = await frames(response.body!, 1);
    stream.abort();
    expect(live).toMatchObject({ event: "live", data: { topic: allowed, payload: { open: true } } });
  });

  it("resumes the topics named in `after` and starts the others at their current seq", async () => {
    const kept = `bracket:${crypto.randomUUID()}`;
    const added = `match:${crypto.randomUUID()}`;
    for (let n = 1; n <= 3; n++) {
      await database.db.transaction(async (tx) => {
        await announce(tx, kept, { n });
        await announce(tx, added, { n });
      });
    }
    // The page had seen `kept` up to 1, then began following `added` too: it reopens with after={kept:1}.
    const after = Buffer.from(JSON.stringify({ [kept]: 1 })).toString("base64url");
    const stream = get(`topics=${kept},${added}&after=${after}`);
    const body = (await stream.response).body!;
    const [ready, ...missed] = await frames(body, 3);
    expect(ready).toMatchObject({ event: "ready", data: { topics: [kept, added], refused: [] } });
    expect(decodePositions(ready!.id)).toEqual(
      new Map([
        [kept, 1],
        [added, 3],
      ]),
    );
    expect(missed.map((f) => [(f.data as { topic: string }).topic, (f.data as { seq: number }).seq])).toEqual([
      [kept, 2],
      [kept, 3],
    ]);

    await database.db.transaction((tx) => announce(tx, added, { n: 4 }));
    const [next] = await frames(body, 1);
    stream.abort();
    expect(next).toMatchObject({ event: "live", data: { topic: added, seq: 4 } });
    expect(decodePositions(next!.id)).toEqual(
      new Map([
        [kept, 3],
        [added, 4],
      ]),
    );
  });

  it("streams events, then resumes from Last-Event-ID with what was missed", async () => {
    const topic = `event:${eventId}`;
    const first = get(`topics=${topic}`);
    const response = await first.response;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const [ready] = await frames(response.body!, 1);
    expect(ready).toMatchObject({ event: "ready", data: { topics: [topic], refused: [] } });

    await database.db.transaction((tx) => announce(tx, topic, { n: 1 }));
    const [live] = await frames(response.body!, 1);
    expect(live).toMatchObject({ event: "live", data: { topic, seq: 1, payload: { n: 1 } } });
    expect(decodePositions(live!.id)).toEqual(new Map([[topic, 1]]));
    first.abort();
    // The client went away: the stream ends (and the hub subscription with it).
    expect((await response.body!.getReader().read()).done).toBe(true);

    for (let n = 2; n <= 4; n++) await database.db.transaction((tx) => announce(tx, topic, { n }));
    const second = get(`topics=${topic}`, { "last-event-id": live!.id! });
    const body = (await second.response).body!;
    const resumed = await frames(body, 4);
    second.abort();
    expect(resumed[0]!.event).toBe("ready");
    expect(resumed.slice(1).map((f) => (f.data as { seq: number }).seq)).toEqual([2, 3, 4]);
  });
});

describe("GET /api/live: access that changes, connection caps, replay bounds", () => {
  it("stops delivering a lobby's messages to a player the moment they withdraw, and says so", async () => {
    const f = await chatFixtures(database.db);
    const event = await f.openEvent();
    const [player, mate] = await f.players(2);
    const entry = await f.enter(event.id, player!.id);
    await f.enter(event.id, mate!.id);
    const { roomId } = await joinEventLobby(database.db, player!, { eventId: event.id });
    const topic = `room:${roomId}`;

    const stream = get(`topics=${topic}`, { cookie: await sessionCookieFor(player!) });
    const body = (await stream.response).body!;
    const [ready] = await frames(body, 1);
    expect(ready).toMatchObject({ event: "ready", data: { topics: [topic], refused: [] } });
    await database.db.transaction((tx) => announce(tx, topic, { kind: "message", body: "before" }));
    const [before] = await frames(body, 1);
    expect(before).toMatchObject({ event: "live", data: { payload: { body: "before" } } });

    await withdraw(database.db, player!, entry);
    await database.db.transaction((tx) => announce(tx, topic, { kind: "message", body: "after" }));
    const [next] = await frames(body, 1);
    stream.abort();
    expect(next).toEqual({ event: "revoked", data: { topics: [topic] } });
  });

  it("refuses a user's connection past the cap with 429 in words, and frees slots as streams close", async () => {
    const user = await createUser(database.db);
    const cookie = await sessionCookieFor(user);
    const topic = `user:${user.id}`;
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) {
      const stream = get(`topics=${topic}`, { cookie });
      expect((await stream.response).status).toBe(200);
      streams.push(stream);
    }
    const over = await get(`topics=${topic}`, { cookie }).response;
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({
      error: "Too many live connections from this account. Close some Driftwood tabs and reload this page.",
    });
    // Another user from the same address is not affected.
    const other = await createUser(database.db);
    const theirs = get(`topics=user:${other.id}`, { cookie: await sessionCookieFor(other) });
    expect((await theirs.response).status).toBe(200);
    theirs.abort();

    streams.pop()!.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = get(`topics=${topic}`, { cookie });
    expect((await again.response).status).toBe(200);
    again.abort();
    for (const stream of streams) stream.abort();
  });

  it("caps connections per address for signed-out spectators too", async () => {
    const { MAX_STREAMS_PER_ADDRESS } = await import("@/server/live/stream-guard");
    const topic = `event:${eventId}`;
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_ADDRESS; i++) {
      const stream = get(`topics=${topic}`, { [PEER_HEADER]: "198.51.100.77" });
      expect((await stream.response).status).toBe(200);
      streams.push(stream);
    }
    const over = await get(`topics=${topic}`, { [PEER_HEADER]: "198.51.100.77" }).response;
    expect(over.status).toBe(429);
    expect(((await over.json()) as { error: string }).error).toContain("from your network");
    const elsewhere = get(`topics=${topic}`, { [PEER_HEADER]: "198.51.100.78" });
    expect((await elsewhere.response).status).toBe(200);
    elsewhere.abort();
    for (const stream of streams) stream.abort();
  });

  it("replays at most MAX_REPLAY_EVENTS; further behind, or ahead of the topic, it says resync instead", async () => {
    const topic = `bracket:${crypto.randomUUID()}`;
    const total = MAX_REPLAY_EVENTS + 5;
    await database.sql`
      insert into live_events (topic, seq, payload) select ${topic}, n, jsonb_build_object('n', n) from generate_series(1, ${total}) as n`;
    await database.sql`insert into live_topics (topic, seq) values (${topic}, ${total})`;

    let current = total;
    for (const from of [0, total + 50]) {
      const after = Buffer.from(JSON.stringify({ [topic]: from })).toString("base64url");
      const stream = get(`topics=${topic}&after=${after}`);
      const body = (await stream.response).body!;
      const [ready, resync] = await frames(body, 2);
      expect(decodePositions(ready!.id)).toEqual(new Map([[topic, current]]));
      expect(resync).toMatchObject({ event: "live", data: { topic, seq: current, payload: { kind: "resync" } } });
      await database.db.transaction((tx) => announce(tx, topic, { n: "next" }));
      current += 1;
      const [next] = await frames(body, 1);
      stream.abort();
      expect(next).toMatchObject({ event: "live", data: { seq: current, payload: { n: "next" } } });
    }

    // Within the bound, the missed events are replayed.
    const after = Buffer.from(JSON.stringify({ [topic]: current - 3 })).toString("base64url");
    const stream = get(`topics=${topic}&after=${after}`);
    const replayed = await frames((await stream.response).body!, 4);
    stream.abort();
    expect(replayed.slice(1).map((f) => (f.data as { seq: number }).seq)).toEqual([current - 2, current - 1, current]);
  });
});
