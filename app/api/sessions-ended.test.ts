/**
 * Ended sessions over HTTP: a cookie minted before "sign out everywhere" or a suspension is refused
 * by tRPC, by route handlers and by /api/live (a guest there), and a stream open at that moment
 * closes with an `ended` frame.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { games } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { endSessions, sessionVersionOf } from "@/server/accounts/sessions";
import { sessionCookieFor } from "@/server/accounts/testing";
import { joinEventLobby } from "@/server/chat/rooms";
import { chatFixtures } from "@/server/chat/testing";
import { createHub } from "@/server/live/hub";
import { suspendAccount } from "@/server/admin/suspensions";
import { createOpenEvent, createUser } from "@/server/testing/factories";

const database = await createTestDatabase();
const hub = createHub(database);
afterAll(() => hub.close());

vi.mock("@/server/database", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/database")>()),
  getDb: async () => database.db,
  getDatabase: async () => database,
}));
vi.mock("@/server/live/hub", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/live/hub")>()),
  getHub: async () => hub,
}));
// next-auth's ESM cannot load outside Next.js; API requests read the cookie directly anyway.
vi.mock("@/server/accounts/auth", () => ({ auth: async () => null, handlers: {}, signIn: async () => {}, signOut: async () => {} }));

const trpcRoute = await import("./trpc/[trpc]/route");
const liveRoute = await import("./live/route");
const evidenceRoute = await import("./evidence/[evidenceId]/route");

/** A cookie for `user` at their current session version, as a fresh sign-in would mint. */
async function freshCookie(user: SessionUser): Promise<string> {
  return sessionCookieFor(user, { sv: await sessionVersionOf(database.db, user.id), sid: crypto.randomUUID() });
}

async function trpc(path: string, input: unknown, cookie: string, method: "GET" | "POST" = "POST"): Promise<number> {
  const url = new URL(`http://localhost/api/trpc/${path}`);
  if (method === "GET") url.searchParams.set("input", JSON.stringify({ json: input }));
  const response = await trpcRoute.POST(
    new Request(url, {
      method,
      headers: { cookie, "content-type": "application/json", "sec-fetch-site": "same-origin" },
      body: method === "POST" ? JSON.stringify({ json: input }) : undefined,
    }),
  );
  await response.body?.cancel();
  return response.status;
}

async function evidence(cookie: string): Promise<number> {
  const id = `${crypto.randomUUID()}_${crypto.randomUUID()}`;
  const response = await evidenceRoute.GET(new Request(`http://localhost/api/evidence/${id}`, { headers: { cookie } }), {
    params: Promise.resolve({ evidenceId: id }),
  });
  await response.body?.cancel();
  return response.status;
}

function openLive(topics: string[], cookie: string) {
  const controller = new AbortController();
  const request = new Request(`http://localhost/api/live?topics=${encodeURIComponent(topics.join(","))}`, {
    headers: { cookie },
    signal: controller.signal,
  });
  return { response: liveRoute.GET(request), abort: () => controller.abort() };
}

type Frame = { event?: string; data?: unknown };

/** Frames (blank-line separated, with data) until `until` matches one or the stream ends. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: (frame: Frame) => boolean) {
  const decoder = new TextDecoder();
  const seen: Frame[] = [];
  let text = "";
  let ended = false;
  const deadline = Date.now() + 8_000;
  while (!ended) {
    if (Date.now() > deadline) throw new Error(`timed out; frames so far: ${JSON.stringify(seen)}`);
    const { value, done } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const frame: Frame = {};
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) frame.event = line.slice(7);
        if (line.startsWith("data: ")) frame.data = JSON.parse(line.slice(6));
      }
      if (frame.data === undefined) continue;
      seen.push(frame);
      if (until(frame)) return { seen, ended: false };
    }
  }
  return { seen, ended };
}

let publicEventId: string;
beforeAll(async () => {
  const [game] = await database.db
    .insert(games)
    .values({ slug: `g-${crypto.randomUUID()}`, name: "Sessions Game", handleLabel: "Tag" })
    .returning();
  const organizer = await createUser(database.db, { role: "organizer" });
  publicEventId = (await createOpenEvent(database.db, { organizerId: organizer.id, gameId: game!.id })).id;
});

describe("a session minted before sign out everywhere", () => {
  it("is refused by tRPC (401 on a signed-in procedure) while a session minted after is not", async () => {
    const player = await createUser(database.db);
    const before = await freshCookie(player);
    expect(await trpc("account.me", {}, before, "GET")).toBe(200);
    expect(await trpc("account.signOutEverywhere", undefined, before)).toBe(200);
    // Sign out everywhere ended the very session that asked, too.
    expect(await trpc("account.me", {}, before, "GET")).toBe(401);
    expect(await trpc("account.updateProfile", { name: "Still Me", country: null, handles: {} }, before)).toBe(401);
    expect(await trpc("account.me", {}, await freshCookie(player), "GET")).toBe(200);
  });

  it("is refused by a route handler that reads the cookie (401 instead of the 404 of a random id)", async () => {
    const player = await createUser(database.db);
    const before = await freshCookie(player);
    expect(await evidence(before)).toBe(404);
    await database.db.transaction((tx) => endSessions(tx, player.id));
    expect(await evidence(before)).toBe(401);
    expect(await evidence(await freshCookie(player))).toBe(404);
  });

  it("opens /api/live only as a guest: its own user topic is refused, public topics still stream", async () => {
    const player = await createUser(database.db);
    const before = await freshCookie(player);
    await database.db.transaction((tx) => endSessions(tx, player.id));
    const alone = await openLive([`user:${player.id}`], before).response;
    expect(alone.status).toBe(403);
    expect(await alone.json()).toMatchObject({ refused: [`user:${player.id}`] });

    const mixed = openLive([`user:${player.id}`, `event:${publicEventId}`], before);
    const response = await mixed.response;
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const { seen } = await readUntil(reader, (frame) => frame.event === "ready");
    mixed.abort();
    await reader.cancel().catch(() => {});
    expect(seen.at(-1)).toMatchObject({ data: { topics: [`event:${publicEventId}`], refused: [`user:${player.id}`] } });
  });

  it("closes an open stream of that user with an `ended` frame when their sessions end", async () => {
    const player = await createUser(database.db);
    const cookie = await freshCookie(player);
    const stream = openLive([`user:${player.id}`, `event:${publicEventId}`], cookie);
    const response = await stream.response;
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await readUntil(reader, (frame) => frame.event === "ready");

    await database.db.transaction((tx) => endSessions(tx, player.id));
    const { seen } = await readUntil(reader, (frame) => frame.event === "ended");
    expect(seen.at(-1)).toEqual({ event: "ended", data: { reason: "session_ended" } });
    // Then the server closes the stream itself.
    const rest = await readUntil(reader, () => false);
    expect(rest.ended).toBe(true);
    stream.abort();
  });

  it("leaves another user's open stream alone", async () => {
    const [ended, other] = await Promise.all([createUser(database.db), createUser(database.db)]);
    const stream = openLive([`user:${other.id}`], await freshCookie(other));
    const reader = (await stream.response).body!.getReader();
    await readUntil(reader, (frame) => frame.event === "ready");
    await database.db.transaction((tx) => endSessions(tx, ended.id));
    // The other user's own sessions ending is what closes theirs: nothing arrives before it.
    await database.db.transaction((tx) => endSessions(tx, other.id));
    const { seen } = await readUntil(reader, (frame) => frame.event === "ended");
    expect(seen.filter((frame) => frame.event === "ended")).toHaveLength(1);
    stream.abort();
  });
});

describe("a suspended player's sessions", () => {
  it("close an open stream, and refuse paying, chatting and raising a dispute with a cookie minted before", async () => {
    const f = await chatFixtures(database.db);
    const [player] = await f.players(1);
    const event = await f.openEvent();
    await f.enter(event.id, player!.id);
    const { roomId } = await joinEventLobby(database.db, player!, { eventId: event.id });
    const paidEvent = await f.openEvent({ entryFee: 1_500 });
    const cookie = await freshCookie(player!);

    // Before: the same cookie chats and gets past sign-in on the others.
    expect(await trpc("chat.send", { roomId, body: "hello before", clientId: crypto.randomUUID() }, cookie)).toBe(200);
    expect(await trpc("registration.quote", { eventId: paidEvent.id }, cookie, "GET")).toBe(200);
    const dispute = { matchId: crypto.randomUUID(), gameNumber: 1, reason: "other", description: "They left mid-game.", evidenceIds: [] };
    expect(await trpc("disputes.raise", dispute, cookie)).toBe(404);

    const stream = openLive([`user:${player!.id}`, `room:${roomId}`], cookie);
    const reader = (await stream.response).body!.getReader();
    await readUntil(reader, (frame) => frame.event === "ready");

    await suspendAccount(database.db, f.admin, { userId: player!.id, reason: "Abusive chat", until: new Date(Date.now() + 86_400_000) });

    const { seen } = await readUntil(reader, (frame) => frame.event === "ended");
    expect(seen.at(-1)).toMatchObject({ event: "ended" });
    stream.abort();

    const checkout = { eventId: paidEvent.id, idempotencyKey: crypto.randomUUID(), walletAmount: 0 };
    expect(await trpc("registration.checkout", checkout, cookie)).toBe(401);
    expect(await trpc("chat.send", { roomId, body: "hello after", clientId: crypto.randomUUID() }, cookie)).toBe(401);
    expect(await trpc("disputes.raise", dispute, cookie)).toBe(401);
    expect(await trpc("chat.report", { messageId: crypto.randomUUID(), reason: "spam" }, cookie)).toBe(401);
    // A cookie minted at the new version is refused too while the suspension lasts.
    expect(await trpc("account.me", {}, await freshCookie(player!), "GET")).toBe(401);
  });
});
