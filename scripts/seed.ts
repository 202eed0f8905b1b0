/** `npm run db:seed`: adds the demo data (safe to run again) to DATABASE_URL, or to the embedded database. */
// The seed moves money and plays brackets through the services: what they reach is registered first.
import "@/server/composition";
import { connect } from "@/db/client";
import { getDatabase, migrateDatabase } from "@/server/database";
import { DEMO_PASSWORD, demoGames, demoUsers, seed } from "@/server/demo/seed";

async function main() {
  const url = process.env.DATABASE_URL;
  // With DATABASE_URL, seed that server; otherwise start (or join) the embedded one, which also migrates.
  const database = url ? connect(url) : await getDatabase();
  if (url) await migrateDatabase(database);
  await seed(database.db);
  console.log(`Seeded ${demoUsers.length} users and ${demoGames.length} games. Password: ${DEMO_PASSWORD}`);
  await database.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
