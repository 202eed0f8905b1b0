import { and, desc, eq, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { userBlocks } from "@/db/schema/chat";
import { hasGameHandle, userDirectory } from "@/server/accounts/directory";
import { Invalid, NotFound } from "@/server/errors";
import { escapeLike } from "./messages";

const playerNotFound = () => new NotFound("That player does not exist.");

/** Blocking hides the blocked player's messages from the blocker and stops direct messages both ways. */
export async function blockUser(db: DbOrTx, blockerId: string, input: { userId: string }): Promise<{ userId: string; blocked: true }> {
  if (input.userId === blockerId) throw new Invalid("You can't block yourself.");
  const [target] = await db.select({ id: userDirectory.id }).from(userDirectory).where(eq(userDirectory.id, input.userId));
  if (!target) throw playerNotFound();
  await db.insert(userBlocks).values({ blockerId, blockedId: target.id }).onConflictDoNothing();
  return { userId: target.id, blocked: true };
}

export async function unblockUser(db: DbOrTx, blockerId: string, input: { userId: string }): Promise<{ userId: string; blocked: false }> {
  await db.delete(userBlocks).where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, input.userId)));
  return { userId: input.userId, blocked: false };
}

export async function listBlocked(db: DbOrTx, blockerId: string) {
  return db
    .select({ userId: userDirectory.id, name: userDirectory.name, image: userDirectory.image, blockedAt: userBlocks.createdAt })
    .from(userBlocks)
    .innerJoin(userDirectory, eq(userDirectory.id, userBlocks.blockedId))
    .where(eq(userBlocks.blockerId, blockerId))
    .orderBy(desc(userBlocks.createdAt));
}

/**
 * Up to 10 players whose display name or a game handle contains the query, to start a direct
 * message with: exact matches first, then prefixes, then the rest by name. Never the viewer.
 */
export async function findUsers(db: DbOrTx, viewerId: string, input: { query: string }) {
  const text = input.query.toLowerCase();
  const contains = `%${escapeLike(text)}%`;
  const prefix = `${escapeLike(text)}%`;
  const handleMatches = (pattern: string) => hasGameHandle(userDirectory.id, { like: pattern });
  return db
    .select({ id: userDirectory.id, name: userDirectory.name, image: userDirectory.image })
    .from(userDirectory)
    .where(and(ne(userDirectory.id, viewerId), or(sql`lower(${userDirectory.name}) like ${contains}`, handleMatches(contains))))
    .orderBy(
      sql`(lower(${userDirectory.name}) = ${text} or ${handleMatches(escapeLike(text))}) desc`,
      sql`(lower(${userDirectory.name}) like ${prefix}) desc`,
      sql`lower(${userDirectory.name})`,
      userDirectory.id,
    )
    .limit(10);
}
