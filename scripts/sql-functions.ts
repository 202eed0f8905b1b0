/**
 * PL/pgSQL and SQL functions have one source each: a `.sql` file in the domain that owns the
 * function (server/<domain>/sql/<function>.sql), holding one CREATE OR REPLACE FUNCTION. A
 * migration installs it (`npm run db:function -- <file>` writes one from the sources), and
 * server/sql-functions.test.ts checks that the latest migration and the migrated database hold
 * exactly the source. This module reads both.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface FunctionDefinition {
  name: string;
  /** The whole statement, from CREATE to the semicolon after the body. */
  statement: string;
  /** What PostgreSQL keeps as the function's source (pg_proc.prosrc): the text between the dollar quotes. */
  body: string;
}

const CREATE_FUNCTION = /CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?:public\.)?([a-z_][a-z0-9_]*)\s*\(/gi;
const DROP_FUNCTION = /DROP\s+FUNCTION\s+(?:IF\s+EXISTS\s+)?(?:public\.)?([a-z_][a-z0-9_]*)\s*\(/gi;

/** Every function a SQL text creates, in order. Bodies must be dollar-quoted ($$ or $tag$). */
export function functionDefinitions(sql: string): FunctionDefinition[] {
  const found: FunctionDefinition[] = [];
  for (const match of sql.matchAll(CREATE_FUNCTION)) {
    const start = match.index;
    const quote = /\$[a-z_]*\$/i.exec(sql.slice(start));
    if (!quote) throw new Error(`function ${match[1]}: its body is not dollar-quoted`);
    const bodyStart = start + quote.index + quote[0].length;
    const bodyEnd = sql.indexOf(quote[0], bodyStart);
    const end = sql.indexOf(";", bodyEnd + quote[0].length);
    if (bodyEnd < 0 || end < 0) throw new Error(`function ${match[1]}: unterminated`);
    found.push({ name: match[1]!.toLowerCase(), statement: sql.slice(start, end + 1), body: sql.slice(bodyStart, bodyEnd) });
  }
  return found;
}

/** Names of the functions a SQL text drops. */
export function droppedFunctions(sql: string): string[] {
  return [...sql.matchAll(DROP_FUNCTION)].map((match) => match[1]!.toLowerCase());
}

export const REPOSITORY = path.join(__dirname, "..");
export const MIGRATIONS_DIR = path.join(REPOSITORY, "db", "migrations");

/** The migrations' file names in the order they apply (the journal's). */
export function migrationFiles(dir: string = MIGRATIONS_DIR): string[] {
  const journal = JSON.parse(readFileSync(path.join(dir, "meta", "_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
  return [...journal.entries].sort((a, b) => a.idx - b.idx).map((entry) => `${entry.tag}.sql`);
}

/** Each function still defined after every migration, with its latest definition and where that is. */
export function latestDefinitions(dir: string = MIGRATIONS_DIR): Map<string, FunctionDefinition & { migration: string }> {
  const latest = new Map<string, FunctionDefinition & { migration: string }>();
  for (const file of migrationFiles(dir)) {
    const sql = readFileSync(path.join(dir, file), "utf8");
    // A migration that drops and recreates one keeps it: drops first, then creations.
    for (const name of droppedFunctions(sql)) latest.delete(name);
    for (const definition of functionDefinitions(sql)) latest.set(definition.name, { ...definition, migration: file });
  }
  return latest;
}

/** The source files, server/<domain>/sql/*.sql, relative to the repository. */
export function functionSourceFiles(repository: string = REPOSITORY): string[] {
  const server = path.join(repository, "server");
  return readdirSync(server, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((domain) => {
      const dir = path.join(server, domain.name, "sql");
      try {
        return readdirSync(dir)
          .filter((file) => file.endsWith(".sql"))
          .map((file) => path.join("server", domain.name, "sql", file));
      } catch {
        return [];
      }
    })
    .sort();
}
