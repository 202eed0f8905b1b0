import { readFileSync } from "node:fs";
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** Where the e2e server tells the tests which database it serves, for fixtures. */
export const E2E_STATE_FILE = path.resolve(".data", "e2e-state.json");

/** What the e2e server (e2e/server.ts) wrote for the specs: a per-run, loopback-only state, never committed. */
export interface E2EState {
  databaseUrl: string;
  metricsToken: string;
  /** The server's AUTH_SECRET, random per run: specs mint session cookies with it. */
  authSecret: string;
}

export function readE2EState(): E2EState {
  return JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as E2EState;
}
