import { and, eq, or, sql, type SQLWrapper } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { chatMembers, chatRooms, userBlocks, type ChatRoomKind, type MatchRoomSide } from "@/db/schema/chat";
import { eventDirectory } from "@/server/events/directory";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { adminIds } from "@/server/accounts/service";
import { Forbidden, NotFound } from "@/server/errors";
import { isConfirmedParticipant, participantUserIds } from "@/server/registration/participants";

export type ChatUser = Pick<SessionUser, "id" | "role">;

export interface ChatRoom {
  id: string;
  kind: ChatRoomKind;
  eventId: string | null;
  matchId: string | null;
  directKey: string | null;
  title: string | null;
  matchSides: MatchRoomSide[] | null;
  createdAt: Date;
  lastMessageAt: Date | null;
  eventName: string | null;
  organizerId: string | null;
}

export interface RoomAccess {
  room: ChatRoom;
  /** The organizer of the room's event, or an admin: may delete others' messages (never in DMs). */
  canModerate: boolean;
  /** Whether the user already has a chat_members row (read state) in the room. */
  isMember: boolean;
}

export const roomNotFound = () => new NotFound("That conversation does not exist.");

/**
 * Whether `user` may read and write in the room, or null: unknown rooms and rooms the user may not
 * see look the same, so a private room's existence never leaks.
 * - direct: its two members;
 * - match: its members (both teams' players), the event's organizer and admins;
 * - event lobby: the organizer, admins and the event's confirmed participants, computed from
 *   registrations each time, so a cancelled entry loses access at once.
 */
export async function roomAccess(db: DbOrTx, user: ChatUser | null, roomId: string): Promise<RoomAccess | null> {
  if (!user) return null;
  const [row] = await db
    .select({
      id: chatRooms.id,
      kind: chatRooms.kind,
      eventId: chatRooms.eventId,
      matchId: chatRooms.matchId,
      directKey: chatRooms.directKey,
      title: chatRooms.title,
      matchSides: chatRooms.matchSides,
      createdAt: chatRooms.createdAt,
      lastMessageAt: chatRooms.lastMessageAt,
      eventName: eventDirectory.name,
      organizerId: eventDirectory.organizerId,
      isMember: sql<boolean>`exists (select 1 from ${chatMembers} where ${chatMembers.roomId} = ${chatRooms.id} and ${chatMembers.userId} = ${user.id})`,
    })
    .from(chatRooms)
    .leftJoin(eventDirectory, eq(eventDirectory.id, chatRooms.eventId))
    .where(eq(chatRooms.id, roomId));
  if (!row) return null;
  const { isMember, ...room } = row;
  const canModerate = room.kind !== "direct" && (hasRole(user, "admin") || room.organizerId === user.id);
  let allowed: boolean;
  switch (room.kind) {
    case "direct":
      allowed = isMember;
      break;
    case "match":
      allowed = isMember || canModerate;
      break;
    case "event":
      allowed = canModerate || (await isConfirmedParticipant(db, room.eventId!, user.id));
      break;
  }
  return allowed ? { room, canModerate, isMember } : null;
}

/**
 * Every user roomAccess lets in, as a list: what the Firestore copy of `room:<id>` names as its
 * readers (security rules cannot compute lobby access themselves). Members of direct rooms; for
 * match rooms and lobbies also the organizer and admins, and for lobbies the confirmed participants.
 * It is re-read each time the room is published, so it follows entries confirmed or withdrawn since.
 */
export async function roomReaders(db: DbOrTx, roomId: string): Promise<string[]> {
  const [room] = await db
    .select({ kind: chatRooms.kind, eventId: chatRooms.eventId, organizerId: eventDirectory.organizerId })
    .from(chatRooms)
    .leftJoin(eventDirectory, eq(eventDirectory.id, chatRooms.eventId))
    .where(eq(chatRooms.id, roomId));
  if (!room) return [];
  const members = (await db.select({ userId: chatMembers.userId }).from(chatMembers).where(eq(chatMembers.roomId, roomId))).map(
    (m) => m.userId,
  );
  if (room.kind === "direct") return members;
  const readers = [...(await adminIds(db)), ...(room.organizerId ? [room.organizerId] : [])];
  if (room.kind === "match") return [...new Set([...readers, ...members])];
  return [...new Set([...readers, ...(await participantUserIds(db, room.eventId!))])];
}

/** roomAccess for a procedure: NOT_FOUND when the user may not see the room. */
export async function requireRoom(db: DbOrTx, user: ChatUser, roomId: string): Promise<RoomAccess> {
  const access = await roomAccess(db, user, roomId);
  if (!access) throw roomNotFound();
  return access;
}

/**
 * Lobby and match members who get in through the event (participants, organizer, admins) have no
 * row until their first visit; the row holds their read state.
 */
export async function ensureMember(db: DbOrTx, access: RoomAccess, userId: string): Promise<void> {
  if (access.isMember) return;
  await db.insert(chatMembers).values({ roomId: access.room.id, userId }).onConflictDoNothing();
  access.isMember = true;
}

/** The other user of a direct room, from its key. */
export function otherDirectMember(room: Pick<ChatRoom, "directKey">, userId: string): string {
  const [a, b] = room.directKey!.split(":");
  return a === userId ? b! : a!;
}

export function directKeyOf(a: string, b: string): string {
  return [a, b].sort().join(":");
}

/** Who blocked whom between two users: `aBlockedB` and `bBlockedA`. */
export async function blocksBetween(db: DbOrTx, a: string, b: string): Promise<{ aBlockedB: boolean; bBlockedA: boolean }> {
  const rows = await db
    .select({ blockerId: userBlocks.blockerId })
    .from(userBlocks)
    .where(
      or(and(eq(userBlocks.blockerId, a), eq(userBlocks.blockedId, b)), and(eq(userBlocks.blockerId, b), eq(userBlocks.blockedId, a))),
    );
  return { aBlockedB: rows.some((r) => r.blockerId === a), bBlockedA: rows.some((r) => r.blockerId === b) };
}

export const blockedByThem = () => new Forbidden("You can't message this player.");
export const blockedByYou = () => new Forbidden("You blocked this player. Unblock them to send a message.");

/** Refuses a direct message between two users when either has blocked the other. */
export async function assertCanMessage(db: DbOrTx, senderId: string, recipientId: string): Promise<void> {
  const blocks = await blocksBetween(db, senderId, recipientId);
  if (blocks.bBlockedA) throw blockedByThem();
  if (blocks.aBlockedB) throw blockedByYou();
}

/** SQL condition: `viewerId` has not blocked the author `senderColumn`. Used to hide blocked users' messages. */
export function notBlockedBy(viewerId: string, senderColumn: SQLWrapper) {
  return sql`not exists (select 1 from ${userBlocks} where ${userBlocks.blockerId} = ${viewerId} and ${userBlocks.blockedId} = ${senderColumn})`;
}
