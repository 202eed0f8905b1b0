import type { TRPCError } from "@trpc/server";
import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { chatMessages, chatPresence, chatReports } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { codeOf } from "@/server/testing/trpc";
import type { SessionUser } from "@/server/accounts/roles";
import { fieldErrorsOf, RateLimited } from "@/server/errors";
import { SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { createCaller } from "@/server/root";
import { createInnerContext, trpcCodeOf } from "@/server/trpc";
import { deleteMessage, history, markRead, search, sendMessage, typing } from "./messages";
import { listReports, reportMessage, resolveReport } from "./moderation";
import { blockUser, findUsers } from "./people";
import { heartbeat } from "./presence";
import { joinEventLobby, listRooms, openDirect, roomDetail, unreadTotal } from "./rooms";
import { announced, chatFixtures } from "./testing";

const database = await createTestDatabase();
const { db } = database;
let f: Awaited<ReturnType<typeof chatFixtures>>;

beforeAll(async () => {
  f = await chatFixtures(db);
});

const send = (user: SessionUser, roomId: string, body = "hello", clientId: string = crypto.randomUUID()) =>
  sendMessage(db, user, { roomId, body, clientId });
const caller = (user: SessionUser | null) => createCaller(createInnerContext({ db, user }));

async function dm() {
  const [a, b] = await f.players(2);
  const { roomId } = await openDirect(db, a!, { userId: b!.id });
  return { a: a!, b: b!, roomId };
}

async function storedIn(roomId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(chatMessages).where(eq(chatMessages.roomId, roomId));
  return row!.n;
}

describe("send", () => {
  it("a retried send (same clientId) returns the first message, sequentially and at once", async () => {
    const { a, roomId } = await dm();
    const clientId = crypto.randomUUID();
    const first = await send(a, roomId, "once", clientId);
    const again = await send(a, roomId, "once", clientId);
    expect(again.id).toBe(first.id);
    const concurrentId = crypto.randomUUID();
    const racing = await Promise.all(Array.from({ length: 5 }, () => send(a, roomId, "racing", concurrentId)));
    expect(new Set(racing.map((m) => m.id)).size).toBe(1);
    expect(await storedIn(roomId)).toBe(2);
    // Each stored message announced once.
    expect((await announced(db, `room:${roomId}`)).filter((p) => p.kind === "message")).toHaveLength(2);
  });

  it("refuses the 21st message within a minute with TOO_MANY_REQUESTS, storing nothing", async () => {
    const { a, roomId } = await dm();
    for (let i = 0; i < 20; i++) await send(a, roomId, `message ${i}`);
    const error = await send(a, roomId, "one too many").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect(trpcCodeOf(error as RateLimited)).toBe("TOO_MANY_REQUESTS");
    expect((error as RateLimited).message).toMatch(/^You are sending messages too fast\. Try again in \d+ seconds?\.$/);
    expect((error as RateLimited).retryAfterSeconds).toBeGreaterThan(0);
    expect(await storedIn(roomId)).toBe(20);
    // A retry of a message already sent is not a new message, and is not refused.
    const [last] = await db
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.roomId, roomId), eq(chatMessages.body, "message 19")));
    expect((await send(a, roomId, "message 19", last!.clientId)).id).toBe(last!.id);
  });

  it("refuses 2,001 characters with a field error on body, and empty messages; accepts 2,000", async () => {
    const { a, roomId } = await dm();
    const api = caller(a);
    const tooLong = await api.chat.send({ roomId, body: "x".repeat(2_001), clientId: crypto.randomUUID() }).catch((e: unknown) => e);
    expect((tooLong as TRPCError).code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf((tooLong as TRPCError).cause)).toEqual({ body: ["Messages are at most 2,000 characters."] });
    const blank = await api.chat.send({ roomId, body: "   \n ", clientId: crypto.randomUUID() }).catch((e: unknown) => e);
    expect(fieldErrorsOf((blank as TRPCError).cause)).toEqual({ body: ["Write a message."] });
    expect(await codeOf(api.chat.send({ roomId, body: "y".repeat(2_000), clientId: crypto.randomUUID() }))).toBe("OK");
    // Trimmed before storing.
    const trimmed = await api.chat.send({ roomId, body: "  hi  ", clientId: crypto.randomUUID() });
    expect(trimmed.body).toBe("hi");
  });

  it("announces the message on room:<id> and the other member's user:<id>, not on the sender's", async () => {
    const { a, b, roomId } = await dm();
    const message = await send(a, roomId, "ping");
    const roomEvents = await announced(db, `room:${roomId}`);
    expect(roomEvents).toEqual([{ kind: "message", message: { ...message, createdAt: message.createdAt.toISOString() } }]);
    expect(await announced(db, `user:${b.id}`)).toEqual([{ kind: "chat", roomId }]);
    expect(await announced(db, `user:${a.id}`)).toEqual([]);
  });

  it("does not fan out to user topics for an event lobby", async () => {
    const event = await f.openEvent();
    const [a, b] = await f.players(2);
    await f.enter(event.id, a!.id);
    await f.enter(event.id, b!.id);
    const { roomId } = await joinEventLobby(db, a!, { eventId: event.id });
    await joinEventLobby(db, b!, { eventId: event.id });
    await send(a!, roomId, "hello lobby");
    expect(await announced(db, `room:${roomId}`)).toHaveLength(1);
    expect(await announced(db, `user:${b!.id}`)).toEqual([]);
  });

  it("a send whose transaction rolls back stores and announces nothing", async () => {
    const { a, b, roomId } = await dm();
    // Fail the last write of the send (the other member's header announcement), after the room's.
    await db.execute(
      sql.raw(`
      create or replace function chat_test_fail() returns trigger language plpgsql as $$
      begin if new.topic = 'user:${b.id}' then raise exception 'chat test: forced failure'; end if; return new; end $$;
      create trigger chat_test_fail before insert on live_events for each row execute function chat_test_fail();`),
    );
    try {
      const error = await send(a, roomId, "never").catch((e: unknown) => e);
      expect(String((error as Error).cause)).toMatch(/forced failure/);
    } finally {
      await db.execute(sql`drop trigger chat_test_fail on live_events`);
    }
    expect(await storedIn(roomId)).toBe(0);
    expect(await announced(db, `room:${roomId}`)).toEqual([]);
    const [topic] = await db.execute<{ n: number }>(sql`select count(*)::int as n from live_topics where topic = ${`room:${roomId}`}`);
    expect(topic!.n).toBe(0);
    // The failed send gave its rate-limit point back and the next one works.
    expect(await codeOf(send(a, roomId, "now it works"))).toBe("OK");
  });
});

describe("history", () => {
  it("pages through every message exactly once, newest first, even with identical timestamps", async () => {
    const { a, b, roomId } = await dm();
    // Written straight to the table (the rate limit allows 20 a minute), five per instant.
    const base = Date.parse("2030-01-01T00:00:00Z");
    await db.insert(chatMessages).values(
      Array.from({ length: 137 }, (_, i) => ({
        roomId,
        senderId: i % 2 ? a.id : b.id,
        clientId: crypto.randomUUID(),
        body: `m${i}`,
        createdAt: new Date(base + Math.floor(i / 5) * 1_000),
      })),
    );
    const expected = await db.execute<{ id: string }>(
      sql`select id from chat_messages where room_id = ${roomId} order by created_at desc, id desc`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof history>> = await history(db, a, { roomId, cursor, limit: 10 });
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(14);
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it("returns deleted messages as { deleted: true, body: null } and refuses a forged cursor", async () => {
    const { a, b, roomId } = await dm();
    const kept = await send(a, roomId, "kept");
    const gone = await send(b, roomId, "regret");
    await deleteMessage(db, b, { messageId: gone.id });
    const { items } = await history(db, a, { roomId, limit: 50 });
    expect(items.map((m) => ({ id: m.id, deleted: m.deleted, body: m.body }))).toEqual([
      { id: gone.id, deleted: true, body: null },
      { id: kept.id, deleted: false, body: "kept" },
    ]);
    expect(await codeOf(history(db, a, { roomId, cursor: "bm90IGEgY3Vyc29y", limit: 10 }))).toBe("BAD_REQUEST");
    // The deletion is announced and the stored live event no longer carries the text.
    const events = await announced(db, `room:${roomId}`);
    expect(events.at(-1)).toEqual({ kind: "deleted", messageId: gone.id });
    expect(JSON.stringify(events)).not.toContain("regret");
  });

  it("leaves out messages from players the reader blocked, in lobbies too", async () => {
    const event = await f.openEvent();
    const [reader, troll, other] = await f.players(3);
    for (const p of [reader!, troll!, other!]) await f.enter(event.id, p.id);
    const { roomId } = await joinEventLobby(db, reader!, { eventId: event.id });
    await send(troll!, roomId, "spam spam");
    await send(other!, roomId, "normal");
    await blockUser(db, reader!.id, { userId: troll!.id });
    expect((await history(db, reader!, { roomId, limit: 50 })).items.map((m) => m.body)).toEqual(["normal"]);
    expect((await history(db, other!, { roomId, limit: 50 })).items).toHaveLength(2);
    expect((await search(db, reader!, { roomId, query: "spam" })).items).toEqual([]);
  });
});

describe("search", () => {
  it("finds whole words and parts of words, treating % and _ literally", async () => {
    const { a, b, roomId } = await dm();
    const percent = await send(a, roomId, "I am 100% sure about the draft");
    await send(b, roomId, "100 percent, then");
    const snake = await send(a, roomId, "rename it snake_case please");
    await send(b, roomId, "snakeXcase is not the same");
    const removed = await send(b, roomId, "draft picks are up");
    await deleteMessage(db, b, { messageId: removed.id });

    const ids = async (query: string) => (await search(db, b, { roomId, query })).items.map((m) => m.id);
    expect(await ids("draft")).toEqual([percent.id]);
    expect(await ids("DRA")).toEqual([percent.id]);
    // "%" and "_" are characters, not wildcards: "e_c" is not "eXc", "%" is in one message only.
    expect(await ids("e_c")).toEqual([snake.id]);
    expect(await ids("%")).toEqual([percent.id]);
    expect(await ids("0% s")).toEqual([percent.id]);
    expect(await ids("SNAKE_")).toEqual([snake.id]);
    expect(await ids("nothing like it")).toEqual([]);
    const [outsider] = await f.players(1);
    expect(await codeOf(search(db, outsider!, { roomId, query: "draft" }))).toBe("NOT_FOUND");
  });
});

describe("read state and unread counts", () => {
  it("markRead only moves forward, and the counts stay exact through a sequence of sends, reads and deletes", async () => {
    const { a, b, roomId } = await dm();
    const counts = async () => ({
      list: (await listRooms(db, a)).find((r) => r.id === roomId)?.unread,
      total: (await unreadTotal(db, a)).total,
      room: (await roomDetail(db, a, { roomId })).unread,
    });
    const m1 = await send(b, roomId, "one");
    const m2 = await send(b, roomId, "two");
    const m3 = await send(b, roomId, "three");
    expect(await counts()).toEqual({ list: 3, total: 3, room: 3 });
    // The sender has read their own messages.
    expect((await roomDetail(db, b, { roomId })).unread).toBe(0);

    expect(await markRead(db, a, { roomId, messageId: m2.id })).toEqual({ lastReadMessageId: m2.id, moved: true });
    expect(await counts()).toEqual({ list: 1, total: 1, room: 1 });
    expect(await markRead(db, a, { roomId, messageId: m1.id })).toEqual({ lastReadMessageId: m2.id, moved: false });
    expect(await counts()).toEqual({ list: 1, total: 1, room: 1 });

    const m4 = await send(b, roomId, "four");
    expect((await counts()).total).toBe(2);
    await deleteMessage(db, b, { messageId: m3.id });
    expect(await counts()).toEqual({ list: 1, total: 1, room: 1 });
    await markRead(db, a, { roomId, messageId: m4.id });
    expect(await counts()).toEqual({ list: 0, total: 0, room: 0 });

    // Replying reads everything before the reply.
    await send(b, roomId, "five");
    expect((await unreadTotal(db, a)).total).toBe(1);
    await send(a, roomId, "reply");
    expect((await unreadTotal(db, a)).total).toBe(0);

    // The other member sees where a has read up to ("Seen").
    const detail = await roomDetail(db, b, { roomId });
    const reply = (await history(db, a, { roomId, limit: 1 })).items[0]!;
    expect(detail.members.find((m) => m.userId === a.id)?.lastReadMessageId).toBe(reply.id);

    const readEvents = (await announced(db, `room:${roomId}`)).filter((p) => p.kind === "read");
    expect(readEvents.map((p) => p.messageId)).toEqual([m2.id, m4.id]);
    expect(readEvents[0]).toMatchObject({ userId: a.id });
    expect(await codeOf(markRead(db, a, { roomId, messageId: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });

  it("the header total counts direct and match rooms, not lobbies, and skips blocked senders", async () => {
    const event = await f.openEvent();
    const [me, friend, loud] = await f.players(3);
    for (const p of [me!, loud!]) await f.enter(event.id, p.id);
    const { roomId: lobby } = await joinEventLobby(db, me!, { eventId: event.id });
    await send(loud!, lobby, "lobby message");
    const { roomId: direct } = await openDirect(db, friend!, { userId: me!.id });
    await send(friend!, direct, "dm 1");
    await send(friend!, direct, "dm 2");
    expect((await unreadTotal(db, me!)).total).toBe(2);
    expect((await listRooms(db, me!)).find((r) => r.id === lobby)?.unread).toBe(1);
    await blockUser(db, me!.id, { userId: friend!.id });
    expect((await unreadTotal(db, me!)).total).toBe(0);
  });
});

describe("reports", () => {
  it("a member reports a message once; the organizer is notified; an admin resolves it by deleting the message", async () => {
    const event = await f.openEvent();
    const [reporter, offender] = await f.players(2);
    for (const p of [reporter!, offender!]) await f.enter(event.id, p.id);
    const { roomId } = await joinEventLobby(db, reporter!, { eventId: event.id });
    const message = await send(offender!, roomId, "you are all bad");

    const { reportId } = await reportMessage(db, reporter!, { messageId: message.id, reason: "harassment", details: "insults" });
    await expect(reportMessage(db, reporter!, { messageId: message.id, reason: "spam" })).rejects.toMatchObject({
      name: "Conflict",
      message: "You already reported this message.",
    });
    expect(await codeOf(reportMessage(db, offender!, { messageId: message.id, reason: "spam" }))).toBe("BAD_REQUEST");
    const [outsider] = await f.players(1);
    expect(await codeOf(reportMessage(db, outsider!, { messageId: message.id, reason: "spam" }))).toBe("NOT_FOUND");

    const [job] = await db.execute<{ payload: { userId: string; link: string } }>(
      sql`select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = ${SEND_NOTIFICATION_TASK} and j.payload->>'dedupeKey' = ${`chat-report:${reportId}`}`,
    );
    expect(job?.payload).toMatchObject({ userId: f.organizer.id, link: `/chat?room=${roomId}` });

    const open = await listReports(db, { status: "open", limit: 50 });
    expect(open.items.find((r) => r.id === reportId)).toMatchObject({
      reason: "harassment",
      details: "insults",
      reporter: { id: reporter!.id },
      sender: { id: offender!.id },
      message: { id: message.id, body: "you are all bad" },
      room: { id: roomId, kind: "event" },
      eventName: event.name,
    });

    expect(await resolveReport(db, f.admin, { reportId, action: "delete_message" })).toMatchObject({
      status: "actioned",
      closedReports: 1,
    });
    const [stored] = await db.select().from(chatMessages).where(eq(chatMessages.id, message.id));
    expect(stored!.deletedBy).toBe(f.admin.id);
    const [report] = await db.select().from(chatReports).where(eq(chatReports.id, reportId));
    expect(report).toMatchObject({ status: "actioned", resolvedBy: f.admin.id });
    // Resolving again changes nothing.
    expect(await resolveReport(db, f.admin, { reportId, action: "dismiss" })).toMatchObject({ status: "actioned", closedReports: 0 });
    expect(await codeOf(reportMessage(db, reporter!, { messageId: message.id, reason: "other" }))).toBe("BAD_REQUEST");
  });

  it("reports and resolving them are for admins only through the API", async () => {
    const [player] = await f.players(1);
    expect(await codeOf(caller(player!).chat.reports({}))).toBe("FORBIDDEN");
    expect(await codeOf(caller(f.admin).chat.reports({}))).toBe("OK");
  });
});

describe("typing, presence and people", () => {
  it("typing announces on the room for members and is NOT_FOUND for others", async () => {
    const { a, b, roomId } = await dm();
    expect(await typing(db, a, { roomId })).toEqual({ announced: true });
    expect((await announced(db, `room:${roomId}`)).at(-1)).toEqual({ kind: "typing", userId: a.id, name: a.name });
    const [stranger] = await f.players(1);
    expect(await codeOf(typing(db, stranger!, { roomId }))).toBe("NOT_FOUND");
    expect(b).toBeDefined();
  });

  it("a heartbeat makes a member online; a minute without one makes them offline with a last-seen time", async () => {
    const { a, b, roomId } = await dm();
    await heartbeat(db, b);
    let other = (await roomDetail(db, a, { roomId })).members.find((m) => m.userId === b.id)!;
    expect(other.online).toBe(true);
    // Online somewhere on the site is not "here": the room counts who has it open, the viewer included.
    expect((await roomDetail(db, a, { roomId })).onlineCount).toBe(1);
    await heartbeat(db, b, { roomId });
    expect((await roomDetail(db, a, { roomId })).onlineCount).toBe(2);
    // The site-wide heartbeat keeps the open room; closing it takes them out.
    await heartbeat(db, b);
    expect((await roomDetail(db, a, { roomId })).onlineCount).toBe(2);
    await heartbeat(db, b, { roomId: null });
    expect((await roomDetail(db, a, { roomId })).onlineCount).toBe(1);
    // Nobody can say they are in a room they may not read.
    const [stranger] = await f.players(1);
    expect(await codeOf(heartbeat(db, stranger!, { roomId }))).toBe("NOT_FOUND");
    await db.update(chatPresence).set({ lastSeenAt: sql`now() - interval '2 minutes'` }).where(eq(chatPresence.userId, b.id));
    other = (await roomDetail(db, a, { roomId })).members.find((m) => m.userId === b.id)!;
    expect(other.online).toBe(false);
    expect(other.lastSeenAt).toBeInstanceOf(Date);
    await send(b, roomId, "hey");
    const listed = (await listRooms(db, a)).find((r) => r.id === roomId)!;
    expect(listed.other).toMatchObject({ id: b.id, online: false });
    // In the list: others who have the room open (b's presence there has lapsed with the last heartbeat).
    expect(listed.onlineCount).toBe(0);
    expect(listed.other!.lastSeenAt).toBeInstanceOf(Date);
  });

  it("findUser matches names by part, escapes wildcards and never returns the viewer", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const [viewer] = await f.players(1);
    await db.execute(sql`update users set name = ${`Zed_${tag} Viewer`} where id = ${viewer!.id}`);
    const [exact, partial, lookalike] = await f.players(3);
    await db.execute(sql`update users set name = ${`zed_${tag}`} where id = ${exact!.id}`);
    await db.execute(sql`update users set name = ${`The zed_${tag} fan`} where id = ${partial!.id}`);
    await db.execute(sql`update users set name = ${`zedX${tag}`} where id = ${lookalike!.id}`);
    const found = await findUsers(db, viewer!.id, { query: `zed_${tag}` });
    expect(found.map((u) => u.id)).toEqual([exact!.id, partial!.id]);
  });
});

describe("bad input through the API", () => {
  it("answers BAD_REQUEST with field messages, never a 500", async () => {
    const [player] = await f.players(1);
    const api = caller(player!);
    const fields = async (promise: Promise<unknown>) => {
      const error = (await promise.catch((e: unknown) => e)) as TRPCError;
      expect(error.code).toBe("BAD_REQUEST");
      return Object.keys(fieldErrorsOf(error.cause) ?? {});
    };
    expect(await fields(api.chat.send({ roomId: "nope", body: "hi", clientId: "nope" }))).toEqual(["roomId", "clientId"]);
    expect(await fields(api.chat.history({ roomId: crypto.randomUUID(), limit: 101 }))).toEqual(["limit"]);
    expect(await fields(api.chat.search({ roomId: crypto.randomUUID(), query: "  " }))).toEqual(["query"]);
    expect(await fields(api.chat.report({ messageId: crypto.randomUUID(), reason: "rude" as never }))).toEqual(["reason"]);
    expect(await fields(api.chat.findUser({ query: "a" }))).toEqual(["query"]);
    expect(await codeOf(api.chat.room({ roomId: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(api.chat.delete({ messageId: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(api.chat.joinEventLobby({ eventId: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(api.chat.block({ userId: player!.id }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.chat.unreadTotal())).toBe("OK");
    expect(await codeOf(api.chat.rooms())).toBe("OK");
    expect(await codeOf(api.chat.blocked())).toBe("OK");
    expect(await codeOf(api.chat.heartbeat())).toBe("OK");
    const [count_] = await db
      .select({ n: count() })
      .from(chatPresence)
      .where(and(eq(chatPresence.userId, player!.id)));
    expect(count_!.n).toBe(1);
  });
});
