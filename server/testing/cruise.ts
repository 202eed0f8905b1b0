/**
 * One dependency-cruiser run over the product code (app, server, db, lib, scripts; tests, test
 * support and node_modules left out by .dependency-cruiser.cjs), shared by the tests that read the
 * import graph: server/architecture.test.ts and server/client-boundary.test.ts. Packages are not in
 * the graph (node_modules is excluded); Node's builtins are, as `coreModule` dependencies.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

export const repository = path.resolve(import.meta.dirname, "../..");

export interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}
export interface Dependency {
  /** The specifier as written. */
  module: string;
  /** The file it resolves to, relative to the repository (for a builtin: its name). */
  resolved: string;
  coreModule: boolean;
  /** "import", "export", "dynamic-import", "type-only" (import type, or every name imported as a type), "type-import" (`import("x").T`), … */
  dependencyTypes: string[];
}
export interface Cruise {
  modules: { source: string; dependencies: Dependency[] }[];
  summary: { violations: Violation[] };
}

let result: Cruise | undefined;

export function cruise(): Cruise {
  if (result) return result;
  const bin = path.join(repository, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs");
  const run = spawnSync(
    process.execPath,
    [bin, "--config", ".dependency-cruiser.cjs", "--output-type", "json", "app", "server", "db", "lib", "scripts"],
    { cwd: repository, encoding: "utf8", maxBuffer: 1 << 28 },
  );
  if (!run.stdout) throw new Error(`dependency-cruiser gave no answer: ${run.stderr}`);
  result = JSON.parse(run.stdout) as Cruise;
  return result;
}
