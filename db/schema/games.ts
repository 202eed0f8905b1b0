import { pgTable, pgView, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const games = pgTable("games", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  /** What players call their in-game name for this title, e.g. "Riot ID". */
  handleLabel: text().notNull(),
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** The catalogue as other domains read it (server/games/service.ts publishes it): a view, so nobody else writes games. */
export const gameCatalogue = pgView("game_catalogue").as((qb) =>
  qb.select({ id: games.id, slug: games.slug, name: games.name }).from(games),
);
