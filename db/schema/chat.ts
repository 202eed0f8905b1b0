import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { events } from "./events";
import { users } from "./accounts";

const at = () => timestamp({ withTimezone: true, mode: "date" });

export const chatRoomKinds = ["direct", "match", "event"] as const;
export type ChatRoomKind = (typeof chatRoomKinds)[number];
export const chatRoomKind = pgEnum("chat_room_kind", chatRoomKinds);

/** Longest message body, in characters after trimming. */
export const CHAT_MESSAGE_MAX = 2_000;

/**
 * A conversation. Direct rooms are one per pair of users (`direct_key` = both ids sorted, joined
 * with ':'); an event has at most one lobby; a match at most one room (brackets own matches, so
 * `match_id` has no foreign key). Lobby and match rooms belong to an event, whose organizer moderates them.
 */
/** One side of a match room: the entrant's name (null while undecided) and its players. */
export interface MatchRoomSide {
  name: string | null;
  userIds: string[];
}

export const chatRooms = pgTable(
  "chat_rooms",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: chatRoomKind().notNull(),
    eventId: uuid().references(() => events.id, { onDelete: "cascade" }),
    matchId: uuid(),
    directKey: text(),
    title: text(),
    /** Match rooms: each side's name and players, so the room is named for its viewer ("Match 6 · vs Vesper"). */
    matchSides: jsonb().$type<MatchRoomSide[]>(),
    createdAt: at().notNull().defaultNow(),
    lastMessageAt: at(),
  },
  (table) => [
    uniqueIndex("chat_rooms_direct_key_idx").on(table.directKey),
    uniqueIndex("chat_rooms_event_lobby_idx").on(table.eventId).where(sql`${table.kind} = 'event'`),
    uniqueIndex("chat_rooms_match_idx").on(table.matchId),
    check(
      "chat_rooms_kind_keys",
      sql`(${table.kind} = 'direct') = (${table.directKey} is not null)
        and (${table.kind} = 'match') = (${table.matchId} is not null)
        and (${table.kind} = 'direct') = (${table.eventId} is null)`,
    ),
  ],
);

/**
 * Who is in a room and how far they have read. Direct and match rooms list their members here; an
 * event lobby's access is computed from registrations, and a row appears on first visit to hold
 * the read state.
 */
export const chatMembers = pgTable(
  "chat_members",
  {
    roomId: uuid()
      .notNull()
      .references(() => chatRooms.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: at().notNull().defaultNow(),
    /** created_at and id of the last message read: (created_at, id) orders a room's messages. */
    lastReadAt: at(),
    lastReadMessageId: uuid(),
    muted: boolean().notNull().default(false),
  },
  (table) => [primaryKey({ columns: [table.roomId, table.userId] }), index("chat_members_user_idx").on(table.userId)],
);

export const chatMessages = pgTable(
  "chat_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    roomId: uuid()
      .notNull()
      .references(() => chatRooms.id, { onDelete: "cascade" }),
    senderId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The browser's id for this send: a retried send finds the first message instead of adding one. */
    clientId: uuid().notNull(),
    body: text().notNull(),
    createdAt: at().notNull().defaultNow(),
    deletedAt: at(),
    deletedBy: uuid().references(() => users.id, { onDelete: "set null" }),
  },
  (table) => [
    uniqueIndex("chat_messages_client_id_idx").on(table.senderId, table.clientId),
    index("chat_messages_history_idx").on(table.roomId, table.createdAt.desc(), table.id.desc()),
    index("chat_messages_search_idx").using("gin", sql`to_tsvector('simple', ${table.body})`),
    check("chat_messages_body_length", sql`char_length(${table.body}) between 1 and ${sql.raw(String(CHAT_MESSAGE_MAX))}`),
  ],
);

export const chatReportReasons = ["spam", "harassment", "cheating", "other"] as const;
export type ChatReportReason = (typeof chatReportReasons)[number];
export const chatReportReason = pgEnum("chat_report_reason", chatReportReasons);

export const chatReportStatuses = ["open", "dismissed", "actioned"] as const;
export type ChatReportStatus = (typeof chatReportStatuses)[number];
export const chatReportStatus = pgEnum("chat_report_status", chatReportStatuses);

export const chatReports = pgTable(
  "chat_reports",
  {
    id: uuid().primaryKey().defaultRandom(),
    messageId: uuid()
      .notNull()
      .references(() => chatMessages.id, { onDelete: "cascade" }),
    reporterId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: chatReportReason().notNull(),
    details: text(),
    status: chatReportStatus().notNull().default("open"),
    createdAt: at().notNull().defaultNow(),
    resolvedAt: at(),
    resolvedBy: uuid().references(() => users.id, { onDelete: "set null" }),
  },
  (table) => [
    uniqueIndex("chat_reports_message_reporter_idx").on(table.messageId, table.reporterId),
    index("chat_reports_status_idx").on(table.status, table.createdAt),
  ],
);

/** Last heartbeat per user; "online" is a heartbeat within the last minute. */
export const chatPresence = pgTable(
  "chat_presence",
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    lastSeenAt: at().notNull().defaultNow(),
    /** The room the user has open now (its page or panel), and when they last said so: "N here" counts these. */
    roomId: uuid().references(() => chatRooms.id, { onDelete: "set null" }),
    roomSeenAt: at(),
  },
  (table) => [index("chat_presence_seen_idx").on(table.lastSeenAt), index("chat_presence_room_idx").on(table.roomId)],
);

export const userBlocks = pgTable(
  "user_blocks",
  {
    blockerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: at().notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.blockerId, table.blockedId] }),
    index("user_blocks_blocked_idx").on(table.blockedId),
    check("user_blocks_not_self", sql`${table.blockerId} <> ${table.blockedId}`),
  ],
);
