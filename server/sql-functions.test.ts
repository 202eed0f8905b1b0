/**
 * SQL functions have one owner and one source: server/<domain>/sql/<function>.sql. The latest
 * migration that defines each function must hold exactly its source, the migrated database must
 * run exactly its body, and no function may exist without a source.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { functionDefinitions, functionSourceFiles, latestDefinitions, REPOSITORY } from "@/scripts/sql-functions";

const sources = functionSourceFiles().map((file) => {
  const definitions = functionDefinitions(readFileSync(path.join(REPOSITORY, file), "utf8"));
  return { file, definitions, definition: definitions[0]! };
});
const latest = latestDefinitions();

describe("SQL functions", () => {
  it("each has a source file in its domain, named after it, holding only it", () => {
    expect(sources.length).toBeGreaterThan(0);
    for (const { file, definitions } of sources) {
      expect(
        definitions.map((d) => d.name),
        file,
      ).toEqual([path.basename(file, ".sql")]);
    }
    // A function the migrations leave defined without a source file is a second source.
    expect([...latest.keys()].sort()).toEqual(sources.map((s) => s.definition.name).sort());
  });

  it.each(sources.map((s) => [s.definition.name, s] as const))(
    "%s: the latest migration that defines it holds exactly its source",
    (_name, source) => {
      const migrated = latest.get(source.definition.name);
      expect(migrated, `no migration defines ${source.definition.name}: run npm run db:function -- ${source.file}`).toBeDefined();
      expect(migrated!.statement, `${migrated!.migration} differs from ${source.file}: run npm run db:function -- ${source.file}`).toBe(
        source.definition.statement,
      );
    },
  );

  it("the migrated database runs exactly each source's body, and no other function of ours", async () => {
    const { db } = await createTestDatabase();
    const rows = (await db.execute(sql`
      select p.proname as name, p.prosrc as body
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.prokind = 'f'
      order by p.proname`)) as unknown as { name: string; body: string }[];
    expect(rows.map((r) => r.name).sort()).toEqual(sources.map((s) => s.definition.name).sort());
    for (const source of sources) {
      expect(rows.find((r) => r.name === source.definition.name)?.body, source.file).toBe(source.definition.body);
    }
  });
});
