import { and, desc, eq, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { chatMembers, chatMessages, chatRooms } from "@/db/schema/chat";
import { userDirectory } from "@/server/accounts/directory";
import type { SessionUser } from "@/server/accounts/roles";
import { Conflict, Forbidden, Invalid, NotFound, RateLimited } from "@/server/errors";
import { announce } from "@/server/live/announce";
import { redactEvents } from "@/server/live/redact";
import { consumeLimit, refundLimit, waitPhrase, type LimitRule } from "@/server/rate-limit";
import { assertCanMessage, blocksBetween, notBlockedBy, otherDirectMember, requireRoom, roomAccess, type ChatRoom } from "./access";
import type { HistoryInput, MarkReadInput, SearchInput, SendInput } from "./schemas";

export const CHAT_SEND_LIMIT: LimitRule = { name: "chat-send", points: 20, durationSeconds: 60 };
/** Typing signals past this are dropped silently: they are hints, not worth an error. */
export const CHAT_TYPING_LIMIT: LimitRule = { name: "chat-typing", points: 30, durationSeconds: 60 };
export const SEARCH_LIMIT = 50;

/**
 * A message as every reader sees it. A deleted one keeps its place in the history with no body.
 * In live payloads (JSON) `createdAt` arrives as an ISO string.
 */
export interface ChatMessage {
  id: string;
  roomId: string;
  /** The sender's browser id for the send, so its optimistic copy can be matched. */
  clientId: string;
  sender: { id: string; name: string; image: string | null };
  body: string | null;
  deleted: boolean;
  createdAt: Date;
}

export const messageNotFound = () => new NotFound("That message does not exist.");

const messageColumns = {
  id: chatMessages.id,
  roomId: chatMessages.roomId,
  clientId: chatMessages.clientId,
  senderId: chatMessages.senderId,
  senderName: userDirectory.name,
  senderImage: userDirectory.image,
  body: chatMessages.body,
  deletedAt: chatMessages.deletedAt,
  createdAt: chatMessages.createdAt,
  // Microseconds, which a JS Date would lose: the history cursor must name the exact row.
  position: sql<string>`to_char(${chatMessages.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
};

function selectMessages(db: DbOrTx, where: SQL | undefined) {
  return db.select(messageColumns).from(chatMessages).innerJoin(userDirectory, eq(userDirectory.id, chatMessages.senderId)).where(where);
}

type MessageRow = Awaited<ReturnType<typeof selectMessages>>[number];

function toChatMessage(row: MessageRow): ChatMessage {
  const deleted = row.deletedAt !== null;
  return {
    id: row.id,
    roomId: row.roomId,
    clientId: row.clientId,
    sender: { id: row.senderId, name: row.senderName, image: row.senderImage },
    body: deleted ? null : row.body,
    deleted,
    createdAt: row.createdAt,
  };
}

async function messageById(db: DbOrTx, messageId: string): Promise<ChatMessage | null> {
  const [row] = await selectMessages(db, eq(chatMessages.id, messageId));
  return row ? toChatMessage(row) : null;
}

/** The cursor is the last row's (created_at, id), opaque to the browser. */
function encodeCursor(row: Pick<MessageRow, "position" | "id">): string {
  return Buffer.from(`${row.position}|${row.id}`, "utf8").toString("base64url");
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function decodeCursor(cursor: string): { at: string; id: string } {
  const match = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new Invalid("That page of messages does not exist. Reload the conversation.", { field: "cursor" });
  return { at: match[1]!, id: match[2]! };
}

/** Newest first. Messages from players the reader blocked are left out; deleted ones come back without a body. */
export async function history(
  db: DbOrTx,
  user: SessionUser,
  input: HistoryInput,
): Promise<{ items: ChatMessage[]; nextCursor: string | null }> {
  await requireRoom(db, user, input.roomId);
  const where = [eq(chatMessages.roomId, input.roomId), notBlockedBy(user.id, chatMessages.senderId)];
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    where.push(sql`(${chatMessages.createdAt}, ${chatMessages.id}) < ((${cursor.at}::timestamp at time zone 'UTC'), ${cursor.id}::uuid)`);
  }
  const rows = await selectMessages(db, and(...where))
    .orderBy(desc(chatMessages.createdAt), desc(chatMessages.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items: items.map(toChatMessage), nextCursor: rows.length > input.limit ? encodeCursor(items.at(-1)!) : null };
}

/** LIKE patterns treat % and _ as wildcards; a search for "50%" means those characters. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Messages in one room matching the query, newest first: whole words through the full-text index,
 * and any substring (a short or partial word, "gg", "50%") through ILIKE.
 */
export async function search(db: DbOrTx, user: SessionUser, input: SearchInput): Promise<{ items: ChatMessage[] }> {
  await requireRoom(db, user, input.roomId);
  const pattern = `%${escapeLike(input.query)}%`;
  const rows = await selectMessages(
    db,
    and(
      eq(chatMessages.roomId, input.roomId),
      isNull(chatMessages.deletedAt),
      notBlockedBy(user.id, chatMessages.senderId),
      sql`(to_tsvector('simple', ${chatMessages.body}) @@ plainto_tsquery('simple', ${input.query}) or ${chatMessages.body} ilike ${pattern})`,
    ),
  )
    .orderBy(desc(chatMessages.createdAt), desc(chatMessages.id))
    .limit(SEARCH_LIMIT);
  return { items: rows.map(toChatMessage) };
}

/**
 * Moves the user's read marker to `messageId` if that is later than where it is; never backwards.
 * Creates the member row on first read (lobby visitors). True when the marker moved.
 */
async function advanceReadMarker(tx: DbOrTx, roomId: string, userId: string, messageId: string): Promise<boolean> {
  const rows = await tx.execute(sql`
    insert into chat_members (room_id, user_id, last_read_at, last_read_message_id)
    select ${roomId}::uuid, ${userId}::uuid, m.created_at, m.id from chat_messages m where m.id = ${messageId} and m.room_id = ${roomId}
    on conflict (room_id, user_id) do update
      set last_read_at = excluded.last_read_at, last_read_message_id = excluded.last_read_message_id
      where chat_members.last_read_at is null
        or (chat_members.last_read_at, chat_members.last_read_message_id) < (excluded.last_read_at, excluded.last_read_message_id)
    returning user_id`);
  return rows.length > 0;
}

/**
 * Tells the other members' headers that their unread count may have changed. Only direct and
 * match rooms, which have a handful of members: a lobby may have thousands, and one message would
 * write thousands of live events; lobby unread counts show in the room list, fetched when opened.
 */
async function announceToMemberHeaders(tx: DbOrTx, room: Pick<ChatRoom, "id" | "kind">, exceptUserId: string): Promise<void> {
  if (room.kind === "event") return;
  const others = await tx
    .select({ userId: chatMembers.userId })
    .from(chatMembers)
    .where(and(eq(chatMembers.roomId, room.id), ne(chatMembers.userId, exceptUserId)))
    // A fixed order of topic locks, so two sends that share members cannot deadlock.
    .orderBy(chatMembers.userId);
  for (const { userId } of others) await announce(tx, `user:${userId}`, { kind: "chat", roomId: room.id });
}

const tooFast = (seconds: number) => new RateLimited(`You are sending messages too fast. Try again ${waitPhrase(seconds)}.`, seconds);

const clientIdReused = () => new Conflict("That message was already sent to another conversation. Refresh the page and try again.");

/** The message this sender already sent with this client id (a retry), checked against the room. */
async function replayOf(db: DbOrTx, senderId: string, input: SendInput): Promise<ChatMessage | null> {
  const [row] = await selectMessages(db, and(eq(chatMessages.senderId, senderId), eq(chatMessages.clientId, input.clientId)));
  if (!row) return null;
  if (row.roomId !== input.roomId) throw clientIdReused();
  return toChatMessage(row);
}

/**
 * Sends a message: one transaction stores it, moves the room's activity time and the sender's read
 * marker, and announces it on the room (and on the other members' user topics in small rooms), so a
 * failed send announces nothing. A retry with the same client id returns the first message.
 */
export async function sendMessage(db: Db, user: SessionUser, input: SendInput): Promise<ChatMessage> {
  const access = await requireRoom(db, user, input.roomId);
  const replay = await replayOf(db, user.id, input);
  if (replay) return replay;
  if (access.room.kind === "direct") await assertCanMessage(db, user.id, otherDirectMember(access.room, user.id));

  const limit = await consumeLimit(db, CHAT_SEND_LIMIT, user.id);
  if (!limit.allowed) throw tooFast(limit.retryAfterSeconds);
  let stored = false;
  try {
    const message = await db.transaction(async (tx) => {
      // The room lock orders a room's sends: created_at, taken under it, follows commit order, so
      // a read marker never passes a message that commits later.
      await tx.select({ id: chatRooms.id }).from(chatRooms).where(eq(chatRooms.id, input.roomId)).for("no key update");
      const [inserted] = await tx
        .insert(chatMessages)
        .values({ roomId: input.roomId, senderId: user.id, clientId: input.clientId, body: input.body, createdAt: sql`clock_timestamp()` })
        .onConflictDoNothing({ target: [chatMessages.senderId, chatMessages.clientId] })
        .returning({ id: chatMessages.id });
      // A concurrent retry of the same send committed first.
      if (!inserted) {
        const first = await replayOf(tx, user.id, input);
        if (!first) throw clientIdReused();
        return first;
      }
      stored = true;
      await tx
        .update(chatRooms)
        .set({ lastMessageAt: sql`(select ${chatMessages.createdAt} from ${chatMessages} where ${chatMessages.id} = ${inserted.id})` })
        .where(eq(chatRooms.id, input.roomId));
      await advanceReadMarker(tx, input.roomId, user.id, inserted.id);
      const message = (await messageById(tx, inserted.id))!;
      await announce(tx, `room:${input.roomId}`, { kind: "message", message });
      await announceToMemberHeaders(tx, access.room, user.id);
      return message;
    });
    if (!stored) await refundLimit(db, CHAT_SEND_LIMIT, user.id);
    return message;
  } catch (error) {
    await refundLimit(db, CHAT_SEND_LIMIT, user.id);
    throw error;
  }
}

/**
 * Marks the message deleted (no body for anyone from now on) and announces it. Also blanks the
 * body in the room's stored live events, which a reconnecting client would otherwise replay: over
 * SSE at once, in Firestore's copies by a job after commit. Runs in the caller's transaction; a
 * message already deleted is left as it is.
 */
export async function removeMessage(tx: DbOrTx, messageId: string, actorId: string): Promise<void> {
  const [removed] = await tx
    .update(chatMessages)
    .set({ deletedAt: sql`now()`, deletedBy: actorId })
    .where(and(eq(chatMessages.id, messageId), isNull(chatMessages.deletedAt)))
    .returning({ roomId: chatMessages.roomId });
  if (!removed) return;
  await redactEvents(
    tx,
    `room:${removed.roomId}`,
    { matching: { kind: "message", message: { id: messageId } }, path: ["message"], patch: { body: null, deleted: true } },
    { kind: "deleted", messageId },
  );
  const [room] = await tx.select({ id: chatRooms.id, kind: chatRooms.kind }).from(chatRooms).where(eq(chatRooms.id, removed.roomId));
  await announceToMemberHeaders(tx, room!, actorId);
}

/**
 * The sender may delete their own message; the organizer of the room's event and admins may delete
 * any message in a lobby or match room. Nobody moderates a direct room (admins act on reports).
 */
export async function deleteMessage(
  db: Db,
  user: SessionUser,
  input: { messageId: string },
): Promise<{ messageId: string; deleted: true }> {
  const [message] = await db
    .select({ roomId: chatMessages.roomId, senderId: chatMessages.senderId })
    .from(chatMessages)
    .where(eq(chatMessages.id, input.messageId));
  const access = message ? await roomAccess(db, user, message.roomId) : null;
  if (!message || !access) throw messageNotFound();
  if (message.senderId !== user.id && !access.canModerate) {
    throw new Forbidden("You can only delete your own messages.");
  }
  await db.transaction((tx) => removeMessage(tx, input.messageId, user.id));
  return { messageId: input.messageId, deleted: true };
}

/**
 * Moves the reader's marker forward (never back) and announces the receipt on the room, plus on
 * the reader's own user topic so their other tabs' header count follows. Lobbies get no receipts:
 * nobody sees them there, and thousands of readers would each announce every message.
 */
export async function markRead(
  db: Db,
  user: SessionUser,
  input: MarkReadInput,
): Promise<{ lastReadMessageId: string | null; moved: boolean }> {
  const access = await requireRoom(db, user, input.roomId);
  return db.transaction(async (tx) => {
    const [message] = await tx
      .select({ id: chatMessages.id })
      .from(chatMessages)
      .where(and(eq(chatMessages.id, input.messageId), eq(chatMessages.roomId, input.roomId)));
    if (!message) throw messageNotFound();
    const moved = await advanceReadMarker(tx, input.roomId, user.id, input.messageId);
    if (moved && access.room.kind !== "event") {
      await announce(tx, `room:${input.roomId}`, {
        kind: "read",
        userId: user.id,
        messageId: input.messageId,
        at: new Date().toISOString(),
      });
      await announce(tx, `user:${user.id}`, { kind: "chat", roomId: input.roomId });
    }
    const [me] = await tx
      .select({ lastReadMessageId: chatMembers.lastReadMessageId })
      .from(chatMembers)
      .where(and(eq(chatMembers.roomId, input.roomId), eq(chatMembers.userId, user.id)));
    return { lastReadMessageId: me?.lastReadMessageId ?? null, moved };
  });
}

/** "Name is typing…" for the room's other readers; nothing is stored besides the live event. */
export async function typing(db: Db, user: SessionUser, input: { roomId: string }): Promise<{ announced: boolean }> {
  const access = await requireRoom(db, user, input.roomId);
  if (access.room.kind === "direct") {
    const blocks = await blocksBetween(db, user.id, otherDirectMember(access.room, user.id));
    if (blocks.aBlockedB || blocks.bBlockedA) return { announced: false };
  }
  if (!(await consumeLimit(db, CHAT_TYPING_LIMIT, user.id)).allowed) return { announced: false };
  await db.transaction((tx) => announce(tx, `room:${input.roomId}`, { kind: "typing", userId: user.id, name: user.name }));
  return { announced: true };
}
