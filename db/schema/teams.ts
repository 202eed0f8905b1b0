/** The teams domain's tables: teams, their members and invites, and their logos. */
import { sql } from "drizzle-orm";
import { boolean, customType, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

const at = () => timestamp({ withTimezone: true, mode: "date" });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const teams = pgTable(
  "teams",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    tag: text().notNull(),
    captainId: uuid()
      .notNull()
      .references(() => users.id),
    hasLogo: boolean().notNull().default(false),
    createdAt: at().notNull().defaultNow(),
  },
  (table) => [uniqueIndex("teams_name_lower_idx").on(sql`lower(${table.name})`)],
);

export const teamMemberRoles = ["captain", "member"] as const;
export const teamMemberRole = pgEnum("team_member_role", teamMemberRoles);

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    role: teamMemberRole().notNull().default("member"),
    joinedAt: at().notNull().defaultNow(),
  },
  (table) => [uniqueIndex("team_members_pk").on(table.teamId, table.userId), index("team_members_user_idx").on(table.userId)],
);

export const inviteStatuses = ["pending", "accepted", "declined", "revoked"] as const;
export const inviteStatus = pgEnum("team_invite_status", inviteStatuses);

export const teamInvites = pgTable(
  "team_invites",
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    invitedBy: uuid()
      .notNull()
      .references(() => users.id),
    status: inviteStatus().notNull().default("pending"),
    createdAt: at().notNull().defaultNow(),
    respondedAt: at(),
  },
  (table) => [uniqueIndex("team_invites_pending_idx").on(table.teamId, table.userId).where(sql`${table.status} = 'pending'`)],
);

/** A team's logo image, uploaded by its captain; `teams.has_logo` says whether a row exists. */
export const teamLogos = pgTable("team_logos", {
  teamId: uuid()
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  contentType: text().notNull(),
  data: bytea().notNull(),
  updatedAt: at().notNull().defaultNow(),
});
