/**
 * Playwright's web server: a throwaway PostgreSQL, migrated and seeded, and the production build
 * served by `next start` on loopback. Stops both, by process id, when Playwright stops it.
 */
// The seed moves money and plays brackets through the services: what they reach is registered first.
import "@/server/composition";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { connect } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedCluster } from "@/db/embedded";
import { migrateDatabase } from "@/server/database";
import { seed } from "@/server/demo/seed";
import { E2E_PORT, E2E_STATE_FILE } from "./config";

async function main() {
  if (!existsSync(path.join(".next", "BUILD_ID"))) {
    console.log("[e2e] no production build found: running next build");
    const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  let cluster: EmbeddedCluster | undefined;
  let databaseUrl: string;
  const database = `driftwood_e2e_${Date.now()}`;
  const serverUrl =
    process.env.DATABASE_URL ??
    (cluster = await startEmbeddedPostgres({
      dataDir: path.join(os.tmpdir(), `driftwood-e2e-${process.pid}`),
      ephemeral: true,
    })).url;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${database}"`);
  {
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  }
  const db = connect(databaseUrl, { max: 2 });
  await migrateDatabase(db);
  await seed(db.db);
  await db.close();

  // Left over if the last run was killed; a fresh one each run.
  const dataDir = path.resolve(".data", "e2e");
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  await mkdir(path.dirname(E2E_STATE_FILE), { recursive: true });
  const metricsToken = crypto.randomUUID();
  // Random per run, served on loopback only; the specs mint session cookies with it (e2e/fixtures.ts).
  const authSecret = crypto.randomUUID() + crypto.randomUUID();
  await writeFile(E2E_STATE_FILE, JSON.stringify({ databaseUrl, metricsToken, authSecret }), { mode: 0o600 });

  const app = spawn("node_modules/.bin/next", ["start", "-H", "127.0.0.1", "-p", String(E2E_PORT)], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      AUTH_SECRET: authSecret,
      // Production refuses to start without it: a fresh key each run.
      PAYOUT_ENCRYPTION_KEY: `1:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`,
      AUTH_TRUST_HOST: "true",
      AUTH_URL: `http://127.0.0.1:${E2E_PORT}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      METRICS_TOKEN: metricsToken,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });

  let stopping = false;
  async function stop(code: number) {
    if (stopping) return;
    stopping = true;
    if (app.exitCode === null && app.pid) {
      process.kill(app.pid, "SIGTERM");
      await new Promise((resolve) => app.once("exit", resolve));
    }
    await admin.unsafe(`drop database if exists "${database}" with (force)`).catch(() => {});
    await admin.end();
    await cluster?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(E2E_STATE_FILE, { force: true });
    process.exit(code);
  }
  app.on("exit", (code) => void stop(code ?? 1));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(0));
}

main().catch((error: unknown) => {
  console.error("[e2e] server failed to start:", error);
  process.exit(1);
});
