import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrate, MigrationError } from "./migrate";

/** Migrations need an empty database, not the migrated template the other tests copy. */
async function emptyDatabase() {
  const admin = postgres(inject("testServerUrl"), { max: 1, onnotice: () => {} });
  const name = `driftwood_migrate_${crypto.randomUUID().replaceAll("-", "")}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(inject("testServerUrl"));
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  afterAll(async () => {
    await sql.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  return sql;
}

function journalTags(dir: string): string[] {
  return (JSON.parse(readFileSync(path.join(dir, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] }).entries.map(
    (e) => e.tag,
  );
}

describe("migrations", () => {
  it("apply every committed migration once; a second run applies nothing", async () => {
    const sql = await emptyDatabase();
    const applied = await migrate(sql);
    expect(applied).toEqual(journalTags(path.join("db", "migrations")));
    expect(await migrate(sql)).toEqual([]);
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(row?.n).toBe(applied.length);
  });

  it("run safely from several processes at once", async () => {
    const sql = await emptyDatabase();
    const others = Array.from({ length: 3 }, () => postgres(sql.options as never));
    const results = await Promise.all([migrate(sql), ...others.map((other) => migrate(other))]);
    expect(results.flat()).toEqual(journalTags(path.join("db", "migrations")));
    await Promise.all(others.map((other) => other.end()));
  });

  it("stop on a broken migration, name it and say why, and leave nothing half-applied", async () => {
    const sql = await emptyDatabase();
    const dir = mkdtempSync(path.join(os.tmpdir(), "driftwood-migrations-"));
    cpSync(path.join("db", "migrations"), dir, { recursive: true });
    const journalFile = path.join(dir, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as {
      entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[];
    };
    const last = journal.entries.at(-1)!;
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: "9999_broken" });
    writeFileSync(journalFile, JSON.stringify(journal));
    writeFileSync(
      path.join(dir, "9999_broken.sql"),
      'CREATE TABLE "ok_table" (id int);\n--> statement-breakpoint\nALTER TABLE "no_such_table" ADD COLUMN x int;',
    );

    const error = await migrate(sql, dir)
      .catch((e: unknown) => e)
      .finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe("9999_broken");
    expect((error as MigrationError).message).toMatch(/^Migration 9999_broken failed: .*no_such_table.*does not exist/);
    const [tables] = await sql<
      { n: number }[]
    >`select count(*)::int as n from information_schema.tables where table_name in ('ok_table', 'users')`;
    expect(tables?.n).toBe(0);
  });
});
