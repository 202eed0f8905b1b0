import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { gameCatalogue, games } from "@/db/schema/games";

/** The catalogue for other domains' joins (a game's name and slug): a view of the games table. */
export { gameCatalogue };

/** The ids of every game in the catalogue. */
export async function gameIds(db: DbOrTx): Promise<Set<string>> {
  const rows = await db.select({ id: gameCatalogue.id }).from(gameCatalogue);
  return new Set(rows.map((row) => row.id));
}

/** Whether the catalogue has this game. */
export async function gameExists(db: DbOrTx, gameId: string): Promise<boolean> {
  const [row] = await db.select({ id: gameCatalogue.id }).from(gameCatalogue).where(eq(gameCatalogue.id, gameId));
  return row !== undefined;
}

export async function listGames(db: DbOrTx) {
  return db
    .select({ id: games.id, slug: games.slug, name: games.name, handleLabel: games.handleLabel })
    .from(games)
    .orderBy(asc(games.name));
}
