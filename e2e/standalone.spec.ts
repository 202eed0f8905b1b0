/**
 * The deployable build: the standalone server (`output: "standalone"`, what the Dockerfile's image
 * runs) started on its own against the test database, on loopback, and stopped by its process id.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freeLoopbackPort } from "@/db/embedded";
import { assembleStandalone } from "@/scripts/standalone";
import { E2E_STATE_FILE } from "./config";
import { expect, test } from "./fixtures";

test("the standalone server starts on its own, reports healthy and serves a page", async () => {
  test.setTimeout(120_000);
  const { databaseUrl } = JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as { databaseUrl: string };
  const dir = assembleStandalone();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "driftwood-standalone-"));
  const port = await freeLoopbackPort();
  const output: string[] = [];
  const server = spawn(process.execPath, [path.join(dir, "server.js")], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      AUTH_SECRET: crypto.randomUUID() + crypto.randomUUID(),
      RUN_WORKER: "false",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    let health: Response | undefined;
    while (Date.now() < deadline && server.exitCode === null) {
      health = await fetch(`${base}/api/health`).catch(() => undefined);
      if (health?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(health?.status, output.join("")).toBe(200);
    expect(((await health!.json()) as { status: string }).status).toBe("ok");

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Driftwood");
    // The static assets and public/ were copied in beside it.
    const css = (await (await fetch(`${base}/`)).text()).match(/\/_next\/static\/[^"]+\.css/)?.[0];
    expect((await fetch(`${base}${css}`)).status).toBe(200);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(200);
  } finally {
    if (server.pid && server.exitCode === null) {
      process.kill(server.pid, "SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  }
});
