/** `npm run db:migrate`: applies committed migrations to DATABASE_URL, or to the embedded database. */
import { connect } from "@/db/client";
import { MigrationError } from "@/db/migrate";
import { getDatabase, migrateDatabase } from "@/server/database";

async function main() {
  const url = process.env.DATABASE_URL;
  const database = url ? connect(url, { max: 1 }) : await getDatabase();
  try {
    const applied = await migrateDatabase(database);
    console.log(applied.length > 0 ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof MigrationError ? error.message : error);
    process.exit(1);
  },
);
