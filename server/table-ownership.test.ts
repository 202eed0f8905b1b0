/**
 * Each domain owns its tables (docs/architecture.md). dependency-cruiser's rule
 * domain-owns-its-tables sees imports of another domain's schema; this test sees what imports
 * cannot: raw SQL in a domain that names another domain's table (`from`, `join`, `update`,
 * `into` followed by the table's name). The published views (user_directory, event_directory,
 * game_catalogue) and the platform's shared tables are open to every domain.
 *
 * The reads that were there when the rule arrived are listed below and may only go away: a new
 * one fails, and so does a listed one that is gone (take it off the list).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repository = path.resolve(import.meta.dirname, "..");
const PUBLISHED_VIEWS = new Set(["user_directory", "event_directory", "game_catalogue"]);

/** Table (or view) name → owning domain, from db/schema/<domain>.ts and db/schema/<domain>-<part>.ts. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  const dir = path.join(repository, "db/schema");
  for (const file of readdirSync(dir)) {
    if (file === "index.ts") continue;
    const domain = file.replace(/\.ts$/, "").split("-")[0]!;
    for (const match of readFileSync(path.join(dir, file), "utf8").matchAll(/pg(?:Table|View)\(\s*"(\w+)"/g)) owners.set(match[1]!, domain);
  }
  return owners;
}

/** For each product file of a server domain, the other domains' tables its text names after from/join/update/into. */
function foreignTableNames(owners: Map<string, string>, files: { file: string; text: string }[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const { file, text } of files) {
    const domain = /^server\/([^/]+)\//.exec(file)?.[1];
    if (!domain || domain === "demo") continue;
    const names = new Set<string>();
    for (const match of text.matchAll(/\b(?:from|join|update|into)\s+(\w+)\b/gi)) {
      const table = match[1]!;
      const owner = owners.get(table);
      if (!owner || owner === domain || owner === "platform" || PUBLISHED_VIEWS.has(table)) continue;
      names.add(table);
    }
    if (names.size > 0) found[file] = [...names].sort();
  }
  return found;
}

/**
 * Raw reads of other domains' tables when the rule arrived (issue 15). Each is a read inside one
 * statement of its domain; paying one means asking the owner through a published function or view.
 */
const KNOWN_FOREIGN_TABLES: Record<string, string[]> = {
  "server/brackets/payouts.ts": ["events"],
  "server/registration/lifecycle.ts": ["events"],
  "server/registration/participants.ts": ["team_members", "teams"],
  "server/wallet/service.ts": ["ledger_entries", "ledger_holds", "ledger_transfers", "payment_refunds", "payments"],
};

describe("table ownership in raw SQL", () => {
  it("finds another domain's table named in raw SQL, and lets a domain's own tables, the views and platform's through", () => {
    const owners = new Map([
      ["events", "events"],
      ["registrations", "registration"],
      ["rate_limits", "platform"],
      ["user_directory", "accounts"],
    ]);
    const files = [
      { file: "server/chat/rooms.ts", text: "select 1 from events e join registrations r on true join user_directory u on true" },
      { file: "server/events/service.ts", text: "update events set x = 1; insert into rate_limits values (1)" },
      { file: "server/demo/seed.ts", text: "insert into registrations values (1)" },
    ];
    expect(foreignTableNames(owners, files)).toEqual({ "server/chat/rooms.ts": ["events", "registrations"] });
  });

  it("has no raw read of another domain's table beyond the known ones, and those are still there", () => {
    const sources = execFileSync("git", ["ls-files", "server"], { cwd: repository, encoding: "utf8" })
      .split("\n")
      .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$|(^|\/)testing(\/|\.ts$)|\/sql\//.test(file))
      .map((file) => ({ file, text: readFileSync(path.join(repository, file), "utf8") }));
    const found = foreignTableNames(tableOwners(), sources);
    const pairs = (record: Record<string, string[]>) =>
      Object.entries(record).flatMap(([file, tables]) => tables.map((t) => `${file}: ${t}`));
    const current = pairs(found);
    const known = pairs(KNOWN_FOREIGN_TABLES);
    expect(
      current.filter((pair) => !known.includes(pair)),
      "new raw SQL naming another domain's table: ask its domain (a published function or view) instead",
    ).toEqual([]);
    expect(
      known.filter((pair) => !current.includes(pair)),
      "gone: take them off KNOWN_FOREIGN_TABLES",
    ).toEqual([]);
  });
});
