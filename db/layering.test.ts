import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * db/ is data access only: it connects and holds the schema and migrations, and never imports
 * server/ (starting the embedded database, migrating and seeding are the app's start-up, in
 * server/database.ts). Every import is checked: static, dynamic, `export … from` and require.
 */
const root = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
const dbDir = path.join(root, "db");
const serverDir = path.join(root, "server");
// Spelled in pieces here, so that a grep of db/ for the alias (or a relative path) into server/ finds nothing at all.
const serverAlias = ["@", "server"].join("/");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) ? [full] : [];
  });
}

/** Whether `specifier`, imported from `file`, names something under server/. */
function reachesServer(file: string, specifier: string): boolean {
  if (specifier === serverAlias || specifier.startsWith(`${serverAlias}/`)) return true;
  if (!specifier.startsWith(".")) return false;
  const target = path.resolve(path.dirname(file), specifier);
  return target === serverDir || target.startsWith(serverDir + path.sep);
}

function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((imported) => imported.fileName);
}

describe("db/ layering", () => {
  it("recognises every way of naming server/", () => {
    const file = path.join(dbDir, "schema", "accounts.ts");
    expect(reachesServer(file, `${serverAlias}/accounts/roles`)).toBe(true);
    expect(reachesServer(file, serverAlias)).toBe(true);
    expect(reachesServer(file, ["..", "..", "server", "env"].join("/"))).toBe(true);
    expect(reachesServer(path.join(dbDir, "client.ts"), ["..", "server"].join("/"))).toBe(true);
    expect(reachesServer(file, "./games")).toBe(false);
    expect(reachesServer(file, "@/db/client")).toBe(false);
    expect(reachesServer(file, ["..", "..", "server-side-thing"].join("/"))).toBe(false);
    const found = ts.preProcessFile('import a from "x";\nexport { b } from "y";\nconst c = await import("z");\nrequire("w");', true, true);
    expect(found.importedFiles.map((imported) => imported.fileName)).toEqual(["x", "y", "z", "w"]);
  });

  it("nothing under db/ imports server/", () => {
    const files = sourceFiles(dbDir);
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => reachesServer(file, specifier))
        .map((specifier) => `${path.relative(root, file)} imports ${specifier}`),
    );
    expect(offending, "db/ is data access only: move what needs server/ to the app's start-up (server/database.ts)").toEqual([]);
  });
});
