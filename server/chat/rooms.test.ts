import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { chatMembers, chatRooms } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { codeOf } from "@/server/testing/trpc";
import type { SessionUser } from "@/server/accounts/roles";
import { canSubscribe } from "@/server/live/topics";
import { roomAccess, roomReaders } from "./access";
import { deleteMessage, history, sendMessage } from "./messages";
import { blockUser, unblockUser } from "./people";
import { joinEventLobby, ensureMatchRoom, listRooms, openDirect, roomDetail } from "./rooms";
import { chatFixtures } from "./testing";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";

const { db } = await createTestDatabase();
let f: Awaited<ReturnType<typeof chatFixtures>>;

beforeAll(async () => {
  f = await chatFixtures(db);
});

const send = (user: SessionUser, roomId: string, body = "hello") => sendMessage(db, user, { roomId, body, clientId: crypto.randomUUID() });
const readable = async (user: SessionUser, roomId: string) => (await codeOf(history(db, user, { roomId, limit: 50 }))) === "OK";

const as = (user: SessionUser) => createCaller(createInnerContext({ db, user }));

describe("direct rooms", () => {
  it("are readable and writable by their two members only; anyone else gets NOT_FOUND, admins included", async () => {
    const [a, b, stranger] = await f.players(3);
    const { roomId } = await openDirect(db, a!, { userId: b!.id });
    await send(b!, roomId, "hi a");
    expect((await history(db, a!, { roomId, limit: 50 })).items.map((m) => m.body)).toEqual(["hi a"]);
    expect(await readable(b!, roomId)).toBe(true);
    expect(await codeOf(history(db, stranger!, { roomId, limit: 50 }))).toBe("NOT_FOUND");
    expect(await codeOf(history(db, f.admin, { roomId, limit: 50 }))).toBe("NOT_FOUND");
    expect(await codeOf(send(stranger!, roomId))).toBe("NOT_FOUND");
    expect(await codeOf(roomDetail(db, stranger!, { roomId }))).toBe("NOT_FOUND");
    // An unknown room looks the same as a private one.
    expect(await codeOf(history(db, a!, { roomId: crypto.randomUUID(), limit: 50 }))).toBe("NOT_FOUND");
  });

  it("is one room per pair, whoever opens it and however many times at once", async () => {
    const [a, b] = await f.players(2);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? openDirect(db, a!, { userId: b!.id }) : openDirect(db, b!, { userId: a!.id }))),
    );
    const ids = new Set(results.map((r) => r.roomId));
    expect(ids.size).toBe(1);
    const [roomId] = [...ids];
    const [rooms] = await db.select({ n: count() }).from(chatRooms).where(eq(chatRooms.id, roomId!));
    const [members] = await db.select({ n: count() }).from(chatMembers).where(eq(chatMembers.roomId, roomId!));
    expect([rooms!.n, members!.n]).toEqual([1, 2]);
  });

  it("refuses a room with yourself (BAD_REQUEST) or with nobody (NOT_FOUND)", async () => {
    const [a] = await f.players(1);
    expect(await codeOf(openDirect(db, a!, { userId: a!.id }))).toBe("BAD_REQUEST");
    expect(await codeOf(openDirect(db, a!, { userId: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });

  it("a blocked player cannot start or write in a DM with the blocker; the blocker cannot write until unblocking", async () => {
    const [blocker, pest] = await f.players(2);
    const { roomId } = await openDirect(db, pest!, { userId: blocker!.id });
    await send(pest!, roomId, "before the block");
    await blockUser(db, blocker!.id, { userId: pest!.id });

    await expect(openDirect(db, pest!, { userId: blocker!.id })).rejects.toMatchObject({
      name: "Forbidden",
      message: "You can't message this player.",
    });
    await expect(send(pest!, roomId)).rejects.toMatchObject({ name: "Forbidden", message: "You can't message this player." });
    expect(await codeOf(send(blocker!, roomId))).toBe("FORBIDDEN");
    const detail = await roomDetail(db, blocker!, { roomId });
    expect(detail).toMatchObject({ canSend: false, blockedByMe: true });
    expect((await roomDetail(db, pest!, { roomId })).canSend).toBe(false);
    // The blocker no longer sees the blocked player's messages.
    expect((await history(db, blocker!, { roomId, limit: 50 })).items).toEqual([]);
    expect((await history(db, pest!, { roomId, limit: 50 })).items).toHaveLength(1);

    await unblockUser(db, blocker!.id, { userId: pest!.id });
    expect(await codeOf(send(pest!, roomId, "after"))).toBe("OK");
    expect((await history(db, blocker!, { roomId, limit: 50 })).items).toHaveLength(2);
  });

  it("cannot block yourself or an unknown player", async () => {
    const [a] = await f.players(1);
    expect(await codeOf(blockUser(db, a!.id, { userId: a!.id }))).toBe("BAD_REQUEST");
    expect(await codeOf(blockUser(db, a!.id, { userId: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });
});

describe("event lobbies", () => {
  it("are for confirmed participants, the organizer and admins; not a random player or a cancelled entry", async () => {
    const event = await f.openEvent();
    const [entrant, cancelled, waitlisted, random] = await f.players(4);
    await f.enter(event.id, entrant!.id);
    const cancelledEntry = await f.enter(event.id, cancelled!.id);
    await f.enter(event.id, waitlisted!.id, { status: "waitlisted" });

    const { roomId } = await joinEventLobby(db, f.organizer, { eventId: event.id });
    expect((await joinEventLobby(db, entrant!, { eventId: event.id })).roomId).toBe(roomId);
    expect((await joinEventLobby(db, f.admin, { eventId: event.id })).roomId).toBe(roomId);
    // The cancelled player had access, visited, and loses it with the cancellation.
    expect((await joinEventLobby(db, cancelled!, { eventId: event.id })).roomId).toBe(roomId);
    await f.setStatus(cancelledEntry, "cancelled");

    for (const outsider of [cancelled!, waitlisted!, random!]) {
      expect(await codeOf(joinEventLobby(db, outsider, { eventId: event.id }))).toBe("FORBIDDEN");
      // The event page asks for every signed-in visitor: no lobby for them is an answer, not an error.
      expect(await as(outsider).chat.joinEventLobby({ eventId: event.id })).toEqual({ roomId: null });
      expect(await roomAccess(db, outsider, roomId)).toBeNull();
      expect(await codeOf(history(db, outsider, { roomId, limit: 50 }))).toBe("NOT_FOUND");
      expect(await codeOf(send(outsider, roomId))).toBe("NOT_FOUND");
    }
    for (const insider of [entrant!, f.organizer, f.admin]) {
      expect(await codeOf(send(insider, roomId, `hello from ${insider.name}`))).toBe("OK");
    }
    expect((await history(db, entrant!, { roomId, limit: 50 })).items).toHaveLength(3);
    expect((await roomAccess(db, f.organizer, roomId))!.canModerate).toBe(true);
    expect((await roomAccess(db, f.admin, roomId))!.canModerate).toBe(true);
    expect((await roomAccess(db, entrant!, roomId))!.canModerate).toBe(false);
  });

  it("let the members of a registered team in, not other players", async () => {
    const event = await f.openEvent({ participantType: "team", teamSize: 2 });
    const [captain, mate, otherPlayer] = await f.players(3);
    const teamId = await f.team(captain!, [mate!]);
    await f.enter(event.id, captain!.id, { teamId });
    const { roomId } = await joinEventLobby(db, mate!, { eventId: event.id });
    expect(await readable(captain!, roomId)).toBe(true);
    expect(await readable(otherPlayer!, roomId)).toBe(false);
  });

  it("keep a draft event's lobby hidden from players (NOT_FOUND) and unknown events NOT_FOUND", async () => {
    const draft = await f.openEvent({ status: "draft", publishedAt: null });
    const [player] = await f.players(1);
    expect(await codeOf(joinEventLobby(db, player!, { eventId: draft.id }))).toBe("NOT_FOUND");
    expect(await codeOf(joinEventLobby(db, f.organizer, { eventId: draft.id }))).toBe("OK");
    expect(await codeOf(joinEventLobby(db, player!, { eventId: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });

  it("one lobby per event, even when many open it at once", async () => {
    const event = await f.openEvent();
    const entrants = await f.players(8);
    for (const p of entrants) await f.enter(event.id, p.id);
    const ids = await Promise.all(entrants.map((p) => joinEventLobby(db, p, { eventId: event.id })));
    expect(new Set(ids.map((r) => r.roomId)).size).toBe(1);
  });

  it("the organizer may delete a player's message; a player may not delete someone else's", async () => {
    const event = await f.openEvent();
    const [alice, bob] = await f.players(2);
    await f.enter(event.id, alice!.id);
    await f.enter(event.id, bob!.id);
    const { roomId } = await joinEventLobby(db, alice!, { eventId: event.id });
    const rude = await send(alice!, roomId, "something rude");
    const own = await send(bob!, roomId, "my own");

    expect(await codeOf(deleteMessage(db, bob!, { messageId: rude.id }))).toBe("FORBIDDEN");
    expect(await codeOf(deleteMessage(db, bob!, { messageId: own.id }))).toBe("OK");
    expect(await codeOf(deleteMessage(db, f.organizer, { messageId: rude.id }))).toBe("OK");
    const items = (await history(db, alice!, { roomId, limit: 50 })).items;
    expect(items.map((m) => [m.id, m.deleted, m.body])).toEqual([
      [own.id, true, null],
      [rude.id, true, null],
    ]);
    // Someone who cannot see the room cannot learn the message exists.
    const [outsider] = await f.players(1);
    expect(await codeOf(deleteMessage(db, outsider!, { messageId: own.id }))).toBe("NOT_FOUND");
  });
});

describe("match rooms", () => {
  it("ensureMatchRoom is idempotent and follows the match's players; the organizer and admins may use it, nobody else", async () => {
    const event = await f.openEvent();
    const [p1, p2, p3, outsider] = await f.players(4);
    const matchId = crypto.randomUUID();
    const room = (memberIds: string[]) => ({
      matchId,
      eventId: event.id,
      memberIds,
      title: "Match 6",
      sides: [
        { name: "Kestrel", userIds: [p1!.id] },
        { name: "Vesper", userIds: memberIds.filter((id) => id !== p1!.id) },
      ],
    });
    const first = await db.transaction((tx) => ensureMatchRoom(tx, room([p1!.id, p2!.id])));
    const roomId = first.roomId;
    // The organizer and an admin have their own member rows (read state, written on their visits).
    await db.insert(chatMembers).values([f.organizer, f.admin].map((user) => ({ roomId, userId: user.id })));
    await db.transaction((tx) => ensureMatchRoom(tx, room([p1!.id, p2!.id, p3!.id])));
    for (const user of [p1!, p2!, p3!, f.organizer, f.admin]) expect(await readable(user, roomId)).toBe(true);
    // A correction replaces p3: they lose the room; the organizer and the admin keep theirs.
    const again = await db.transaction((tx) => ensureMatchRoom(tx, room([p1!.id, p2!.id])));
    expect(again.roomId).toBe(roomId);
    expect(await readable(p3!, roomId)).toBe(false);
    for (const user of [f.organizer, f.admin]) expect((await roomAccess(db, user, roomId))!.isMember).toBe(true);
    await db.transaction((tx) => ensureMatchRoom(tx, room([p1!.id, p2!.id, p3!.id])));
    expect(await readable(outsider!, roomId)).toBe(false);
    expect((await roomAccess(db, f.organizer, roomId))!.canModerate).toBe(true);
    expect((await roomAccess(db, p1!, roomId))!.canModerate).toBe(false);

    const taunt = await send(p1!, roomId, "gg ez");
    expect(await codeOf(deleteMessage(db, p2!, { messageId: taunt.id }))).toBe("FORBIDDEN");
    expect(await codeOf(deleteMessage(db, f.organizer, { messageId: taunt.id }))).toBe("OK");

    const detail = await roomDetail(db, p1!, { roomId });
    // Named for the viewer: a player by their opponent, the organizer by both sides; the event is the secondary line.
    expect(detail.title).toBe("Match 6 · vs Vesper");
    expect((await roomDetail(db, p2!, { roomId })).title).toBe("Match 6 · vs Kestrel");
    expect((await roomDetail(db, f.organizer, { roomId })).title).toBe("Match 6 · Kestrel vs Vesper");
    const listed = await listRooms(db, f.organizer);
    expect(listed.find((entry) => entry.id === roomId)).toMatchObject({
      title: "Match 6 · Kestrel vs Vesper",
      event: { name: event.name },
    });
    expect(listed.find((entry) => entry.kind === "event" && entry.event?.id === event.id)?.title).toBe(`Lobby · ${event.name}`);
    expect(detail.members.map((m) => m.userId).sort()).toEqual([p1!.id, p2!.id, p3!.id, f.organizer.id, f.admin.id].sort());
  });
});

describe("live topic authorization for rooms", () => {
  it("lets members follow room:<id>, and nobody else", async () => {
    const [a, b, stranger] = await f.players(3);
    const { roomId } = await openDirect(db, a!, { userId: b!.id });
    expect(await canSubscribe(db, a!, `room:${roomId}`)).toBe(true);
    expect(await canSubscribe(db, b!, `room:${roomId}`)).toBe(true);
    expect(await canSubscribe(db, stranger!, `room:${roomId}`)).toBe(false);
    expect(await canSubscribe(db, f.admin, `room:${roomId}`)).toBe(false);
    expect(await canSubscribe(db, null, `room:${roomId}`)).toBe(false);
    expect(await canSubscribe(db, a!, `room:${crypto.randomUUID()}`)).toBe(false);
  });

  it("follows lobby access: a participant yes, a random player no", async () => {
    const event = await f.openEvent();
    const [entrant, random] = await f.players(2);
    await f.enter(event.id, entrant!.id);
    const { roomId } = await joinEventLobby(db, f.organizer, { eventId: event.id });
    expect(await canSubscribe(db, entrant!, `room:${roomId}`)).toBe(true);
    expect(await canSubscribe(db, f.organizer, `room:${roomId}`)).toBe(true);
    expect(await canSubscribe(db, random!, `room:${roomId}`)).toBe(false);
  });
});

describe("room list", () => {
  it("shows my DMs with messages, match rooms and my events' lobbies, most recent first, with previews and unread counts", async () => {
    const [me, friend, quiet, teammate] = await f.players(4);
    const event = await f.openEvent();
    await f.enter(event.id, me!.id);
    const { roomId: dm } = await openDirect(db, friend!, { userId: me!.id });
    await openDirect(db, quiet!, { userId: me!.id }); // no messages: not listed
    const { roomId: match } = await db.transaction((tx) =>
      ensureMatchRoom(tx, {
        matchId: crypto.randomUUID(),
        eventId: event.id,
        memberIds: [me!.id, teammate!.id],
        title: "Match 2",
        sides: [
          { name: "Me", userIds: [me!.id] },
          { name: "Teammate", userIds: [teammate!.id] },
        ],
      }),
    );
    await send(teammate!, match, "ready?");
    await send(friend!, dm, "first");
    const latest = await send(friend!, dm, "second");

    const rooms = await listRooms(db, me!);
    const lobby = rooms.find((r) => r.kind === "event");
    expect(rooms.map((r) => r.kind)).toEqual(["direct", "match", "event"]);
    expect(rooms[0]).toMatchObject({
      id: dm,
      title: friend!.name,
      other: { id: friend!.id, name: friend!.name, online: false },
      lastMessage: { id: latest.id, body: "second", senderName: friend!.name },
      unread: 2,
    });
    expect(rooms[1]).toMatchObject({ id: match, title: "Match 2 · vs Teammate", unread: 1, event: { id: event.id, name: event.name } });
    expect(lobby).toMatchObject({ title: `Lobby · ${event.name}`, lastMessage: null, unread: 0, event: { id: event.id } });

    // A deleted last message is not previewed; the one before it is.
    await deleteMessage(db, friend!, { messageId: latest.id });
    const after = (await listRooms(db, me!)).find((r) => r.id === dm)!;
    expect(after.lastMessage?.body).toBe("first");
    expect(after.unread).toBe(1);
  });
});

describe("roomReaders (who the Firestore copy of a room names as readers)", () => {
  it("matches roomAccess for direct rooms and lobbies, and follows entries withdrawn since", async () => {
    const [a, b, solo, captain, mate, leaver] = await f.players(6);
    const { roomId: dm } = await openDirect(db, a!, { userId: b!.id });
    expect((await roomReaders(db, dm)).sort()).toEqual([a!.id, b!.id].sort());

    const event = await f.openEvent();
    await f.enter(event.id, solo!.id);
    const teamId = await f.team(captain!, [mate!]);
    await f.enter(event.id, captain!.id, { teamId });
    const leaving = await f.enter(event.id, leaver!.id);
    const { roomId: lobby } = await joinEventLobby(db, f.organizer, { eventId: event.id });

    const readers = await roomReaders(db, lobby);
    for (const user of [f.organizer, f.admin, solo!, captain!, mate!, leaver!]) {
      expect(readers).toContain(user.id);
      expect(await roomAccess(db, user, lobby)).not.toBeNull();
    }
    expect(readers).not.toContain(a!.id);

    await f.setStatus(leaving, "withdrawn");
    expect(await roomReaders(db, lobby)).not.toContain(leaver!.id);
    expect(await roomAccess(db, leaver!, lobby)).toBeNull();
    expect(await roomReaders(db, crypto.randomUUID())).toEqual([]);
  });
});
