/** `npm run db:migrate`: applies committed migrations to DATABASE_URL, or to the embedded database. */
import { connect } from "@/db/client";
import { MigrationError } from "@/db/migrate";
import { backfillNameKeys } from "@/server/accounts/name-keys";
import { getDatabase, migrateDatabase } from "@/server/database";

async function main() {
  const url = process.env.DATABASE_URL;
  const database = url ? connect(url, { max: 1 }) : await getDatabase();
  try {
    const applied = await migrateDatabase(database);
    console.log(applied.length > 0 ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
    // Accounts from before display names were compared by look: the oldest keeps a shared key.
    const names = await backfillNameKeys(database.db);
    if (names.filled + names.taken + names.empty > 0) {
      console.log(
        `Display name keys: ${names.filled} filled, ${names.taken} left without one (an older account has a look-alike name), ${names.empty} with no letter or number.`,
      );
    }
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
