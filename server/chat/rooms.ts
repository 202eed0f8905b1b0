import { and, eq, sql, type SQLWrapper } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { chatMembers, chatPresence, chatRooms, type MatchRoomSide } from "@/db/schema/chat";
import { eventDirectory } from "@/server/events/directory";
import { userDirectory } from "@/server/accounts/directory";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { Forbidden, Invalid, NotFound } from "@/server/errors";
import { isConfirmedParticipant, participantEventIds } from "@/server/registration/participants";
import { blocksBetween, blockedByThem, directKeyOf, ensureMember, otherDirectMember, requireRoom, type ChatUser } from "./access";
import { ONLINE_WINDOW_SECONDS } from "./presence";

/** Unread counts stop here ("99+" in the UI): counting a busy lobby exactly buys nothing. */
export const UNREAD_CAP = 100;
/** The room list shows this many rooms, most recently active first. */
export const ROOM_LIST_LIMIT = 100;

const online = (lastSeen: SQLWrapper) => sql`coalesce(${lastSeen} > now() - make_interval(secs => ${ONLINE_WINDOW_SECONDS}), false)`;

/**
 * Unread messages in room `roomId` for `me` whose read marker is (`readAt`, `readId`): later than
 * the marker, from someone else, not deleted, not from a user `me` blocked. Capped at UNREAD_CAP.
 */
function unreadCount(roomId: SQLWrapper | string, me: string, readAt: SQLWrapper, readId: SQLWrapper) {
  return sql<number>`(select count(*)::int from (
    select 1 from chat_messages x
    where x.room_id = ${roomId} and x.deleted_at is null and x.sender_id <> ${me}
      and (${readAt} is null or (x.created_at, x.id) > (${readAt}, ${readId}))
      and not exists (select 1 from user_blocks b where b.blocker_id = ${me} and b.blocked_id = x.sender_id)
    limit ${UNREAD_CAP}) unread)`;
}

const playerNotFound = () => new NotFound("That player does not exist.");
const eventNotFound = () => new NotFound("We could not find that event.");

/**
 * The direct room of the two users, created by whichever opens it first. The unique key makes two
 * users opening it at the same moment end up in one room.
 */
export async function openDirect(db: Db, user: SessionUser, input: { userId: string }): Promise<{ roomId: string }> {
  if (input.userId === user.id) throw new Invalid("You can't message yourself.");
  const [other] = await db.select({ id: userDirectory.id }).from(userDirectory).where(eq(userDirectory.id, input.userId));
  if (!other) throw playerNotFound();
  if ((await blocksBetween(db, user.id, other.id)).bBlockedA) throw blockedByThem();
  const directKey = directKeyOf(user.id, other.id);
  return db.transaction(async (tx) => {
    // Waits for a concurrent insert of the same key to commit, then finds its room.
    const [created] = await tx
      .insert(chatRooms)
      .values({ kind: "direct", directKey })
      .onConflictDoNothing({ target: chatRooms.directKey })
      .returning({ id: chatRooms.id });
    const roomId = created?.id ?? (await tx.select({ id: chatRooms.id }).from(chatRooms).where(eq(chatRooms.directKey, directKey)))[0]!.id;
    await tx
      .insert(chatMembers)
      .values([
        { roomId, userId: user.id },
        { roomId, userId: other.id },
      ])
      .onConflictDoNothing();
    return { roomId };
  });
}

async function ensureLobby(db: DbOrTx, eventId: string): Promise<string> {
  await db
    .insert(chatRooms)
    .values({ kind: "event", eventId })
    .onConflictDoNothing({ target: chatRooms.eventId, where: sql`kind = 'event'` });
  const [room] = await db
    .select({ id: chatRooms.id })
    .from(chatRooms)
    .where(and(eq(chatRooms.eventId, eventId), eq(chatRooms.kind, "event")));
  return room!.id;
}

/**
 * Joins the event's lobby, created on first use. The event's existence follows its page (a draft is
 * private); the lobby itself is for its organizer, admins and confirmed participants.
 */
export async function joinEventLobby(db: Db, user: SessionUser, input: { eventId: string }): Promise<{ roomId: string }> {
  const [event] = await db
    .select({ id: eventDirectory.id, organizerId: eventDirectory.organizerId, status: eventDirectory.status })
    .from(eventDirectory)
    .where(eq(eventDirectory.id, input.eventId));
  const manages = Boolean(event && (event.organizerId === user.id || hasRole(user, "admin")));
  if (!event || (event.status === "draft" && !manages)) throw eventNotFound();
  if (!manages && !(await isConfirmedParticipant(db, event.id, user.id))) {
    throw new Forbidden("Only this event's participants and organizer can chat in its lobby.");
  }
  const roomId = await ensureLobby(db, event.id);
  await db.insert(chatMembers).values({ roomId, userId: user.id }).onConflictDoNothing();
  return { roomId };
}

/**
 * The event page's lobby: joined for those it is for; anyone else who may see the event gets
 * `roomId: null` (no lobby for them), not an error, since the page asks for every signed-in visitor.
 */
export async function lobbyForViewer(db: Db, user: SessionUser, input: { eventId: string }): Promise<{ roomId: string | null }> {
  try {
    return await joinEventLobby(db, user, input);
  } catch (error) {
    if (error instanceof Forbidden) return { roomId: null };
    throw error;
  }
}

/**
 * For the bracket service: the room of a match, for the players of its two sides (`memberIds`); the
 * event's organizer and admins get in through the event. Idempotent, and it follows the match: a
 * player who is no longer in it (a corrected result put someone else there) loses access, while the
 * organizer's and admins' own rows (their read state) stay. Runs in the caller's transaction.
 */
export async function ensureMatchRoom(
  tx: DbOrTx,
  input: { matchId: string; eventId: string; memberIds: readonly string[]; title: string; sides: MatchRoomSide[] },
): Promise<{ roomId: string }> {
  await tx
    .insert(chatRooms)
    .values({ kind: "match", matchId: input.matchId, eventId: input.eventId, title: input.title, matchSides: input.sides })
    .onConflictDoUpdate({ target: chatRooms.matchId, set: { title: input.title, matchSides: input.sides } });
  const [room] = await tx.select({ id: chatRooms.id }).from(chatRooms).where(eq(chatRooms.matchId, input.matchId));
  const roomId = room!.id;
  const memberIds = [...new Set(input.memberIds)];
  if (memberIds.length > 0) {
    await tx
      .insert(chatMembers)
      .values(memberIds.map((userId) => ({ roomId, userId })))
      .onConflictDoNothing();
  }
  await tx.execute(sql`
    delete from chat_members m
    using chat_rooms r left join event_directory e on e.id = r.event_id
    where r.id = m.room_id and m.room_id = ${roomId}
      and m.user_id not in (select jsonb_array_elements_text(${JSON.stringify(memberIds)}::jsonb)::uuid)
      and m.user_id is distinct from e.organizer_id
      and not exists (select 1 from user_directory u where u.id = m.user_id and u.role = 'admin')`);
  return { roomId };
}

/** Of `matchIds`, the matches that have a chat room (rooms are made on first use). */
export async function matchesWithRooms(db: DbOrTx, matchIds: readonly string[]): Promise<Set<string>> {
  if (matchIds.length === 0) return new Set();
  const rows = await db.execute<{ match_id: string }>(sql`
    select match_id from chat_rooms where match_id in (select jsonb_array_elements_text(${JSON.stringify(matchIds)}::jsonb)::uuid)`);
  return new Set(rows.map((row) => row.match_id));
}

export interface RoomSummary {
  id: string;
  kind: "direct" | "match" | "event";
  /** Direct: the other player's name; lobby: the event's name; match: its title or "<event>: match". */
  title: string;
  /** Direct: the other player's avatar. */
  image: string | null;
  event: { id: string; name: string } | null;
  matchId: string | null;
  /** Direct rooms only: the other player and whether they are online. */
  other: { id: string; name: string; image: string | null; online: boolean; lastSeenAt: Date | null } | null;
  /** Others who have the room open now. */
  onlineCount: number;
  /** The latest message that is not deleted and not from someone the viewer blocked. */
  lastMessage: { id: string; senderId: string; senderName: string; body: string; createdAt: Date } | null;
  lastActivityAt: Date;
  /** Capped at UNREAD_CAP. */
  unread: number;
  muted: boolean;
}

/** Raw queries return timestamps as PostgreSQL text (Drizzle turns off the driver's parsing). */
const toDate = (value: string) => new Date(value);

interface RoomListRow extends Record<string, unknown> {
  id: string;
  kind: RoomSummary["kind"];
  title: string | null;
  match_sides: MatchRoomSide[] | null;
  event_id: string | null;
  event_name: string | null;
  match_id: string | null;
  last_activity_at: string;
  muted: boolean | null;
  other_id: string | null;
  other_name: string | null;
  other_image: string | null;
  other_last_seen_at: string | null;
  other_online: boolean;
  online_count: number;
  last_id: string | null;
  last_sender_id: string | null;
  last_sender_name: string | null;
  last_body: string | null;
  last_created_at: string | null;
  unread: number;
}

/**
 * A room's name for its viewer: a direct room by the other player; a lobby "Lobby · <event>"; a
 * match room by its match number and the viewer's opponent ("Match 6 · vs Vesper"), or both sides
 * for the organizer ("Match 6 · Kestrel vs Vesper"). The event's name is the list's secondary line.
 */
function roomTitle(
  room: { kind: RoomSummary["kind"]; title: string | null; eventName: string | null; matchSides: MatchRoomSide[] | null },
  viewerId: string,
  otherName: string | null,
): string {
  if (room.kind === "direct") return otherName ?? "Conversation";
  if (room.kind === "event") return `Lobby · ${room.eventName ?? "Event"}`;
  const match = room.title ?? "Match";
  const sides = room.matchSides;
  if (sides?.length !== 2) return match;
  const name = (side: MatchRoomSide | undefined) => side?.name ?? "to be decided";
  const mine = sides.findIndex((side) => side.userIds.includes(viewerId));
  return mine >= 0 ? `${match} · vs ${name(sides[1 - mine])}` : `${match} · ${name(sides[0])} vs ${name(sides[1])}`;
}

/** Creates the lobbies of the user's current events, so they show in the room list before anyone writes. */
async function ensureMyLobbies(db: DbOrTx, userId: string): Promise<void> {
  await db.execute(sql`
    insert into chat_rooms (kind, event_id)
    select 'event', e.id from event_directory e
    where e.status in ('published', 'live') and (e.organizer_id = ${userId} or e.id in (${participantEventIds(userId)}))
    on conflict (event_id) where kind = 'event' do nothing`);
}

/**
 * The user's rooms, most recently active first (rooms without messages last): direct rooms with at least one message, match
 * rooms they are in, and the lobbies of events they organize or take part in (admins also see
 * lobbies they have opened).
 */
export async function listRooms(db: Db, user: SessionUser): Promise<RoomSummary[]> {
  await ensureMyLobbies(db, user.id);
  const me = user.id;
  const rows = await db.execute<RoomListRow>(sql`
    with mine as (
      select r.id from chat_members m join chat_rooms r on r.id = m.room_id
      where m.user_id = ${me} and (r.kind = 'match' or (r.kind = 'direct' and r.last_message_at is not null))
      union
      select r.id from chat_rooms r join event_directory e on e.id = r.event_id
      where r.kind = 'event' and (
        e.organizer_id = ${me}
        or r.event_id in (${participantEventIds(me)})
        or (${hasRole(user, "admin")} and exists (select 1 from chat_members m where m.room_id = r.id and m.user_id = ${me}))
      )
    )
    select r.id, r.kind, r.title, r.match_sides, r.event_id, e.name as event_name, r.match_id,
      coalesce(r.last_message_at, r.created_at) as last_activity_at, r.last_message_at, me.muted,
      other.id as other_id, other.name as other_name, other.image as other_image,
      op.last_seen_at as other_last_seen_at, ${online(sql`op.last_seen_at`)} as other_online,
      (select count(*)::int from chat_presence p
        where p.room_id = r.id and p.user_id <> ${me} and ${online(sql`p.room_seen_at`)}) as online_count,
      lm.id as last_id, lm.sender_id as last_sender_id, lu.name as last_sender_name, lm.body as last_body, lm.created_at as last_created_at,
      ${unreadCount(sql`r.id`, me, sql`me.last_read_at`, sql`me.last_read_message_id`)} as unread
    from mine
    join chat_rooms r on r.id = mine.id
    left join event_directory e on e.id = r.event_id
    left join chat_members me on me.room_id = r.id and me.user_id = ${me}
    left join user_directory other on r.kind = 'direct' and other.id = (
      select om.user_id from chat_members om where om.room_id = r.id and om.user_id <> ${me} limit 1)
    left join chat_presence op on op.user_id = other.id
    left join lateral (
      select x.id, x.sender_id, x.body, x.created_at from chat_messages x
      where x.room_id = r.id and x.deleted_at is null
        and not exists (select 1 from user_blocks b where b.blocker_id = ${me} and b.blocked_id = x.sender_id)
      order by x.created_at desc, x.id desc limit 1
    ) lm on true
    left join user_directory lu on lu.id = lm.sender_id
    order by r.last_message_at desc nulls last, r.created_at desc, r.id
    limit ${ROOM_LIST_LIMIT}`);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    title: roomTitle({ ...row, eventName: row.event_name, matchSides: row.match_sides }, me, row.other_name),
    image: row.kind === "direct" ? row.other_image : null,
    event: row.event_id ? { id: row.event_id, name: row.event_name! } : null,
    matchId: row.match_id,
    other: row.other_id
      ? {
          id: row.other_id,
          name: row.other_name!,
          image: row.other_image,
          online: row.other_online,
          lastSeenAt: row.other_last_seen_at ? toDate(row.other_last_seen_at) : null,
        }
      : null,
    onlineCount: row.online_count,
    lastMessage: row.last_id
      ? {
          id: row.last_id,
          senderId: row.last_sender_id!,
          senderName: row.last_sender_name!,
          body: row.last_body!,
          createdAt: toDate(row.last_created_at!),
        }
      : null,
    lastActivityAt: toDate(row.last_activity_at),
    unread: row.unread,
    muted: row.muted ?? false,
  }));
}

export interface RoomMember {
  userId: string;
  name: string;
  image: string | null;
  /** For "Seen" under the last message (direct) and "Seen by N" (match rooms). */
  lastReadMessageId: string | null;
  lastReadAt: Date | null;
  online: boolean;
  lastSeenAt: Date | null;
}

/**
 * One room for its page. Direct and match rooms list their members with read state and presence;
 * a lobby only counts who is online (it may have thousands of members). Opening a lobby or a match
 * room as organizer creates the viewer's member row, which holds their read state.
 */
export async function roomDetail(db: Db, user: SessionUser, input: { roomId: string }) {
  const access = await requireRoom(db, user, input.roomId);
  const { room } = access;
  await ensureMember(db, access, user.id);

  const members =
    room.kind === "event"
      ? []
      : await db
          .select({
            userId: userDirectory.id,
            name: userDirectory.name,
            image: userDirectory.image,
            lastReadMessageId: chatMembers.lastReadMessageId,
            lastReadAt: chatMembers.lastReadAt,
            lastSeenAt: chatPresence.lastSeenAt,
          })
          .from(chatMembers)
          .innerJoin(userDirectory, eq(userDirectory.id, chatMembers.userId))
          .leftJoin(chatPresence, eq(chatPresence.userId, chatMembers.userId))
          .where(eq(chatMembers.roomId, room.id))
          .orderBy(userDirectory.name);

  const [mine] = await db
    .select({
      lastReadMessageId: chatMembers.lastReadMessageId,
      muted: chatMembers.muted,
      unread: unreadCount(room.id, user.id, chatMembers.lastReadAt, chatMembers.lastReadMessageId),
      onlineCount: sql<number>`(select count(*)::int from chat_presence p
        where p.room_id = ${room.id} and p.user_id <> ${user.id} and ${online(sql`p.room_seen_at`)})`,
    })
    .from(chatMembers)
    .where(and(eq(chatMembers.roomId, room.id), eq(chatMembers.userId, user.id)));

  const now = Date.now();
  const withPresence: RoomMember[] = members.map((m) => ({
    ...m,
    online: m.lastSeenAt !== null && now - m.lastSeenAt.getTime() <= ONLINE_WINDOW_SECONDS * 1000,
  }));

  let other: RoomMember | null = null;
  let canSend = true;
  let blockedByMe = false;
  if (room.kind === "direct") {
    const otherId = otherDirectMember(room, user.id);
    other = withPresence.find((m) => m.userId === otherId) ?? null;
    const blocks = await blocksBetween(db, user.id, otherId);
    blockedByMe = blocks.aBlockedB;
    canSend = !blocks.aBlockedB && !blocks.bBlockedA;
  }

  return {
    id: room.id,
    kind: room.kind,
    title: roomTitle(room, user.id, other?.name ?? null),
    image: other?.image ?? null,
    event: room.eventId ? { id: room.eventId, name: room.eventName!, organizerId: room.organizerId! } : null,
    matchId: room.matchId,
    createdAt: room.createdAt,
    canModerate: access.canModerate,
    /** False in a direct room when either player blocked the other. */
    canSend,
    blockedByMe,
    members: withPresence,
    /** Who has the room open now, the viewer included (they are looking at it). */
    onlineCount: (mine?.onlineCount ?? 0) + 1,
    myLastReadMessageId: mine?.lastReadMessageId ?? null,
    unread: mine?.unread ?? 0,
    muted: mine?.muted ?? false,
  };
}

/** The header badge: unread messages over the user's direct and match rooms (lobbies show in the room list only). */
export async function unreadTotal(db: DbOrTx, user: ChatUser): Promise<{ total: number }> {
  const rows = await db.execute<{ total: number }>(sql`
    select coalesce(sum(per_room.unread), 0)::int as total from (
      select ${unreadCount(sql`m.room_id`, user.id, sql`m.last_read_at`, sql`m.last_read_message_id`)} as unread
      from chat_members m join chat_rooms r on r.id = m.room_id
      where m.user_id = ${user.id} and r.kind in ('direct', 'match')
    ) per_room`);
  return { total: rows[0]?.total ?? 0 };
}
