import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Sql } from "postgres";

const MIGRATIONS_DIR = path.join(process.cwd(), "db", "migrations");
// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 727_001;

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    readonly reason: string,
  ) {
    super(`Migration ${migration} failed: ${reason}`);
    this.name = "MigrationError";
  }
}

function readJournal(dir: string): JournalEntry[] {
  const journal = JSON.parse(readFileSync(path.join(dir, "meta", "_journal.json"), "utf8")) as {
    entries: JournalEntry[];
  };
  return [...journal.entries].sort((a, b) => a.idx - b.idx);
}

/**
 * Applies drizzle-kit's generated migrations in order, each in its own transaction, recording them
 * in the same table drizzle-kit uses. An advisory lock lets several processes start at once.
 * Returns the tags applied now.
 */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const entries = readJournal(dir);
  const applied: string[] = [];
  await sql.begin(async (lockTx) => {
    await lockTx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await lockTx`create schema if not exists drizzle`;
    await lockTx`create table if not exists drizzle.__drizzle_migrations (
      id serial primary key, hash text not null, created_at bigint)`;
    const done = await lockTx<{ created_at: string }[]>`select created_at from drizzle.__drizzle_migrations`;
    const doneAt = new Set(done.map((row) => Number(row.created_at)));

    for (const entry of entries) {
      if (doneAt.has(entry.when)) continue;
      const text = readFileSync(path.join(dir, `${entry.tag}.sql`), "utf8");
      const statements = text
        .split("--> statement-breakpoint")
        .map((s) => s.trim())
        .filter(Boolean);
      try {
        await lockTx.savepoint(async (tx) => {
          for (const statement of statements) await tx.unsafe(statement);
          const hash = createHash("sha256").update(text).digest("hex");
          await tx`insert into drizzle.__drizzle_migrations (hash, created_at) values (${hash}, ${entry.when})`;
        });
      } catch (error) {
        throw new MigrationError(entry.tag, error instanceof Error ? error.message : String(error));
      }
      applied.push(entry.tag);
    }
  });
  return applied;
}
