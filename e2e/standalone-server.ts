/**
 * The standalone server (`output: "standalone"`, what the Dockerfile's image runs) started on its
 * own against the e2e database, on loopback, and stopped by its process id: for the specs that
 * need a server of their own configuration.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freeLoopbackPort } from "@/db/embedded";
import { assembleStandalone } from "@/scripts/standalone";
import { E2E_STATE_FILE } from "./config";

export interface StandaloneServer {
  base: string;
  authSecret: string;
  /** Whether /api/health answered 200 within a minute, and what it said last. */
  health: Response | undefined;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function startStandaloneServer(extraEnv: Record<string, string> = {}): Promise<StandaloneServer> {
  const { databaseUrl } = JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as { databaseUrl: string };
  const dir = assembleStandalone();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "driftwood-standalone-"));
  const port = await freeLoopbackPort();
  const authSecret = crypto.randomUUID() + crypto.randomUUID();
  const output: string[] = [];
  const server = spawn(process.execPath, [path.join(dir, "server.js")], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      AUTH_SECRET: authSecret,
      PAYOUT_ENCRYPTION_KEY: `1:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`,
      RUN_WORKER: "false",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.pid && server.exitCode === null) {
      process.kill(server.pid, "SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  let health: Response | undefined;
  while (Date.now() < deadline && server.exitCode === null) {
    health = await fetch(`${base}/api/health`).catch(() => undefined);
    if (health?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { base, authSecret, health, output: () => output.join(""), stop };
}
