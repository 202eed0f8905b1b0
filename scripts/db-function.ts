/**
 * `npm run db:function -- server/<domain>/sql/<function>.sql [...]`: writes a migration that
 * installs these functions exactly as their source files say (a drizzle-kit custom migration, so
 * the journal and snapshots stay drizzle-kit's). Change a function in its source file, run this,
 * commit both; server/sql-functions.test.ts fails while they differ.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { functionDefinitions, MIGRATIONS_DIR, REPOSITORY } from "./sql-functions";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: npm run db:function -- server/<domain>/sql/<function>.sql [more.sql ...]");
  process.exit(2);
}
const statements = files.flatMap((file) => {
  const definitions = functionDefinitions(readFileSync(path.resolve(REPOSITORY, file), "utf8"));
  if (definitions.length !== 1) {
    console.error(`${file}: a source file holds exactly one CREATE OR REPLACE FUNCTION (found ${definitions.length})`);
    process.exit(2);
  }
  return definitions;
});

const before = new Set(readdirSync(MIGRATIONS_DIR));
const name = `function_${statements[0]!.name}`;
const generate = spawnSync(path.join(REPOSITORY, "node_modules/.bin/drizzle-kit"), ["generate", "--custom", `--name=${name}`], {
  cwd: REPOSITORY,
  stdio: "inherit",
});
if (generate.status !== 0) process.exit(generate.status ?? 1);
const created = readdirSync(MIGRATIONS_DIR).filter((file) => file.endsWith(".sql") && !before.has(file));
if (created.length !== 1) {
  console.error(`expected drizzle-kit to write one migration, found ${created.length}`);
  process.exit(1);
}
const target = path.join(MIGRATIONS_DIR, created[0]!);
writeFileSync(target, `${statements.map((s) => s.statement).join("\n--> statement-breakpoint\n")}\n`);
console.log(`${path.relative(REPOSITORY, target)}: installs ${statements.map((s) => s.name).join(", ")}`);
