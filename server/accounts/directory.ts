/**
 * The accounts domain's published read of its users, for the domains above it: join
 * `userDirectory` (a view of `users` without credentials) for names, avatars, emails and roles,
 * and ask the functions here for the look-ups every domain needs. Nobody outside accounts imports
 * the `users` table (the dependency rule domain-owns-its-tables says so).
 */
import { eq, inArray, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { gameHandles, userDirectory } from "@/db/schema/accounts";

export { userDirectory };

/**
 * True for a user (`userId`, a column) with a game handle whose lower case equals `match.equals`
 * or matches the LIKE pattern `match.like`.
 */
export function hasGameHandle(userId: SQLWrapper, match: { equals: string } | { like: string }): SQL {
  const handle = sql`lower(${gameHandles.handle})`;
  const test = "equals" in match ? sql`${handle} = ${match.equals}` : sql`${handle} like ${match.like}`;
  return sql`exists (select 1 from ${gameHandles} where ${gameHandles.userId} = ${userId} and ${test})`;
}

/** The user's id when an account with this id exists. */
export async function userExists(db: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: userDirectory.id }).from(userDirectory).where(eq(userDirectory.id, userId));
  return row !== undefined;
}

/** Accounts by sign-in email, compared case-insensitively; the emails come back lower-cased. */
export function usersByEmails(db: DbOrTx, emails: readonly string[]) {
  const lowered = emails.map((email) => email.trim().toLowerCase());
  return db
    .select({ id: userDirectory.id, name: userDirectory.name, email: sql<string>`lower(${userDirectory.email})` })
    .from(userDirectory)
    .where(inArray(sql`lower(${userDirectory.email})`, lowered));
}

/**
 * The directory under another name, to join it twice in one query (a report's reporter and the
 * message's sender). drizzle's alias() does not take views, so this is a subquery, which
 * PostgreSQL flattens into the join.
 */
export function userDirectoryAs<Name extends string>(name: Name) {
  return new QueryBuilder()
    .select({ id: userDirectory.id, name: userDirectory.name, image: userDirectory.image })
    .from(userDirectory)
    .as(name);
}

/** Players' handles for one game each, in one query: `"<userId>:<gameId>"` → handle. */
export async function gameHandlesOf(db: DbOrTx, pairs: readonly { userId: string; gameId: string }[]): Promise<Map<string, string>> {
  if (pairs.length === 0) return new Map();
  const rows = await db
    .select({ userId: gameHandles.userId, gameId: gameHandles.gameId, handle: gameHandles.handle })
    .from(gameHandles)
    .where(
      inArray(
        sql`(${gameHandles.userId}, ${gameHandles.gameId})`,
        pairs.map((pair) => sql`(${pair.userId}::uuid, ${pair.gameId}::uuid)`),
      ),
    );
  return new Map(rows.map((row) => [`${row.userId}:${row.gameId}`, row.handle]));
}
