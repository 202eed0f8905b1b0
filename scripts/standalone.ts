/**
 * Completes `next build`'s standalone server (.next/standalone, `output: "standalone"`) so that the
 * folder runs on its own with `node server.js`: Next.js leaves out the static assets, public/ and
 * the migrations it applies at start (read from db/migrations beside server.js). `npm run build`
 * runs it; the standalone end-to-end test does too.
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";

export const STANDALONE_DIR = path.join(".next", "standalone");

export function assembleStandalone(): string {
  if (!existsSync(path.join(STANDALONE_DIR, "server.js"))) {
    throw new Error(`${STANDALONE_DIR}/server.js is missing: run next build (output: "standalone") first.`);
  }
  for (const [from, to] of [
    [path.join(".next", "static"), path.join(STANDALONE_DIR, ".next", "static")],
    ["public", path.join(STANDALONE_DIR, "public")],
    [path.join("db", "migrations"), path.join(STANDALONE_DIR, "db", "migrations")],
  ] as const) {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true });
  }
  return STANDALONE_DIR;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  console.log(`standalone server ready in ${assembleStandalone()} (node server.js)`);
}
