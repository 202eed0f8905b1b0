import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

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
    /**
     * The display name's confusable skeleton (case, spaces and look-alike characters folded), unique:
     * two accounts cannot take names a reader cannot tell apart. Null only for rows from before it.
     */
    nameKey: text(),
    /** Every session carries the version it was minted under; raising it ends them all. */
    sessionVersion: integer().notNull().default(0),
    /** Set while the account is suspended; `suspendedUntil` null with it set is a ban with no end. */
    suspendedAt: timestamp({ withTimezone: true, mode: "date" }),
    suspendedUntil: timestamp({ withTimezone: true, mode: "date" }),
    suspensionReason: text(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${table.email})`),
    uniqueIndex("users_name_key_idx").on(table.nameKey),
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

export const accountTokenPurposes = ["password_reset", "email_verification", "email_change"] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];
export const accountTokenPurpose = pgEnum("account_token_purpose", accountTokenPurposes);

/**
 * Single-use links sent by email (password reset, email verification, email change). Only a hash of
 * the secret part of the link is stored; `email` is the address the link was sent to (for an email
 * change, the new address, which takes effect when the link is used).
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: accountTokenPurpose().notNull(),
    email: text().notNull(),
    tokenHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [index("account_tokens_user_idx").on(table.userId, table.purpose)],
);

/**
 * A user's authenticator-app secret (RFC 6238), encrypted at rest. `confirmedAt` is null while the
 * user is setting it up (before they have typed one code from the app); `lastUsedStep` is the time
 * step of the last code accepted, so a code is never accepted twice.
 */
export const totpCredentials = pgTable("totp_credentials", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretCiphertext: text().notNull(),
  confirmedAt: timestamp({ withTimezone: true, mode: "date" }),
  lastUsedStep: integer(),
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** Ten single-use codes per user for when the authenticator is lost, stored as hashes. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [index("recovery_codes_user_idx").on(table.userId)],
);

/** WebAuthn credentials (passkeys): a second factor, or a sign-in on their own. */
export const passkeys = pgTable(
  "passkeys",
  {
    /** The credential id, base64url, as the authenticator gives it. */
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    publicKey: bytea().notNull(),
    counter: integer().notNull().default(0),
    transports: text().array().notNull().default(sql`'{}'::text[]`),
    deviceType: text().notNull(),
    backedUp: boolean().notNull().default(false),
    name: text().notNull(),
    createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true, mode: "date" }),
  },
  (table) => [index("passkeys_user_idx").on(table.userId)],
);

/** A WebAuthn challenge handed to a browser, checked once when its answer comes back. */
export const webauthnChallenges = pgTable("webauthn_challenges", {
  id: uuid().primaryKey().defaultRandom(),
  /** Null for a passwordless sign-in, where the user is not known until the answer names them. */
  userId: uuid().references(() => users.id, { onDelete: "cascade" }),
  purpose: text().notNull(),
  challenge: text().notNull(),
  expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});
