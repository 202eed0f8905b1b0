import { sql } from "drizzle-orm";
import { customType, index, integer, pgEnum, pgTable, pgView, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { userRoles } from "../../lib/user-roles";
import { games } from "./games";

// The list is lib/'s, so the browser loads it without the tables; re-exported for the server's code.
export { userRoles, type UserRole } from "../../lib/user-roles";
export const userRole = pgEnum("user_role", userRoles);

const timestamps = {
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
};

/** Column names follow what @auth/drizzle-adapter expects (id, name, email, emailVerified, image). */
export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    email: text().notNull(),
    emailVerified: timestamp({ withTimezone: true, mode: "date" }),
    image: text(),
    passwordHash: text(),
    role: userRole().notNull().default("player"),
    country: text(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${table.email})`),
    index("users_name_idx").on(table.name),
    index("users_created_at_idx").on(table.createdAt),
  ],
);

/**
 * Who a user is, without their credentials: the accounts domain's published read of `users`
 * (server/accounts/directory.ts). Other domains join this view for names, avatars, emails and
 * roles; the password hash and whatever secrets accounts keeps later never leave the table.
 * PostgreSQL inlines a simple view into the query that uses it, so a join costs what the table's does.
 */
export const userDirectory = pgView("user_directory").as((qb) =>
  qb.select({ id: users.id, name: users.name, email: users.email, image: users.image, role: users.role }).from(users),
);

/** OAuth accounts linked to a user (Discord, Google), in the adapter's shape. */
export const accounts = pgTable(
  "accounts",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text().notNull(),
    provider: text().notNull(),
    providerAccountId: text().notNull(),
    refresh_token: text(),
    access_token: text(),
    expires_at: integer(),
    token_type: text(),
    scope: text(),
    id_token: text(),
    session_state: text(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.providerAccountId] })],
);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

export const userAvatars = pgTable("user_avatars", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  contentType: text().notNull(),
  data: bytea().notNull(),
  updatedAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** A player's in-game name for each game they play (part of who they are: the accounts domain's). */
export const gameHandles = pgTable(
  "game_handles",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    gameId: uuid()
      .notNull()
      .references(() => games.id, { onDelete: "cascade" }),
    handle: text().notNull(),
    updatedAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.gameId] })],
);
