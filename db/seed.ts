import { sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { hashPassword } from "@/server/accounts/password";
import * as schema from "./schema";

type SeedDb = PostgresJsDatabase<typeof schema>;

export const DEMO_PASSWORD = "driftwood";

export const demoGames = [
  { slug: "valorant", name: "Valorant", handleLabel: "Riot ID" },
  { slug: "league-of-legends", name: "League of Legends", handleLabel: "Riot ID" },
  { slug: "counter-strike-2", name: "Counter-Strike 2", handleLabel: "Steam name" },
  { slug: "street-fighter-6", name: "Street Fighter 6", handleLabel: "CFN name" },
  { slug: "rocket-league", name: "Rocket League", handleLabel: "Epic ID" },
  { slug: "tekken-8", name: "Tekken 8", handleLabel: "Tekken ID" },
] as const;

const playerNames = [
  "Nova", "Blitz", "Kestrel", "Mako", "Vesper", "Rook", "Jinx", "Talon", "Quill", "Ember",
  "Sable", "Onyx", "Pixel", "Drift", "Halo", "Zephyr", "Glint", "Rune", "Cobalt", "Wisp",
];
const countries = ["US", "GB", "DE", "FR", "BR", "KR", "JP", "SE", "CA", "AU"];

export const demoUsers = [
  { name: "Ada Admin", email: "admin@driftwood.gg", role: "admin" as const, country: "GB" },
  { name: "Olive Organizer", email: "organizer1@driftwood.gg", role: "organizer" as const, country: "US" },
  { name: "Otto Organizer", email: "organizer2@driftwood.gg", role: "organizer" as const, country: "DE" },
  ...playerNames.map((name, i) => ({
    name,
    email: `player${i + 1}@driftwood.gg`,
    role: "player" as const,
    country: countries[i % countries.length]!,
  })),
];

/** Demo data; safe to run again (existing rows are left as they are). */
export async function seed(db: SeedDb): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    await tx.insert(schema.games).values([...demoGames]).onConflictDoNothing();
    await tx
      .insert(schema.users)
      .values(demoUsers.map((user) => ({ ...user, passwordHash, emailVerified: new Date() })))
      .onConflictDoNothing();

    // A few players have handles filled in, so profiles and rosters look lived-in.
    await tx.execute(sql`
      insert into game_handles (user_id, game_id, handle)
      select u.id, g.id, u.name || '#' || upper(substr(md5(u.email || g.slug), 1, 4))
      from users u cross join games g
      where u.email like 'player%@driftwood.gg' and g.slug in ('valorant', 'rocket-league')
      on conflict do nothing`);
  });
}

async function main() {
  const { getDatabase, connect } = await import("./client");
  const { migrateDatabase } = await import("./migrate");
  const url = process.env.DATABASE_URL;
  // With DATABASE_URL, seed that server; otherwise start (or join) the embedded one, which also migrates.
  const database = url ? connect(url) : await getDatabase();
  if (url) await migrateDatabase(database);
  await seed(database.db);
  console.log(`Seeded ${demoUsers.length} users and ${demoGames.length} games. Password: ${DEMO_PASSWORD}`);
  await database.close();
}

if (process.argv[1] && /db[/\\]seed\.ts$/.test(process.argv[1])) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
