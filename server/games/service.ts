import { asc } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { games } from "@/db/schema/games";

export async function listGames(db: DbOrTx) {
  return db
    .select({ id: games.id, slug: games.slug, name: games.name, handleLabel: games.handleLabel })
    .from(games)
    .orderBy(asc(games.name));
}
