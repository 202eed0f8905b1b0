/**
 * The production build served by `next start` on loopback for a benchmark: built first when
 * `.next/BUILD_ID` is missing, started on a free port, stopped by the Teardown (or earlier by `stop`).
 * Its output goes to stderr with a `[next]` prefix, so a benchmark's stdout ends with its JSON line.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { freeLoopbackPort } from "@/db/embedded";
import { sleep, type Teardown } from "./common";

export function ensureProductionBuild(): void {
  if (existsSync(path.join(".next", "BUILD_ID"))) return;
  console.log("no production build found: running next build");
  const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
}

/**
 * The Node flags `npm start` gives the server (its script in package.json is
 * `node <flags> node_modules/next/dist/bin/next start`), so a benchmark measures the server as
 * production runs it.
 */
export function startNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts.start ?? "";
  const match = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+node_modules\/next\/dist\/bin\/next start$/.exec(start);
  if (!match) throw new Error(`package.json's start script is not "node <flags> node_modules/next/dist/bin/next start": ${start}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

export interface ProductionServer {
  baseUrl: string;
  child: ChildProcess;
  /** Seconds from spawn until /api/health answered 200. */
  healthySeconds: number;
  /** SIGTERM, then SIGKILL after 15 s. Idempotent. */
  stop(): Promise<void>;
}

export async function startProductionServer(
  teardown: Teardown,
  options: {
    databaseUrl: string;
    dataDir: string;
    authSecret: string;
    env?: Record<string, string>;
    /** Node options for the server (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
    nodeArgs?: string[];
  },
): Promise<ProductionServer> {
  // Another `next build` in this checkout empties .next while it runs: wait for its BUILD_ID.
  for (let waited = 0; !existsSync(path.join(".next", "BUILD_ID")); waited += 2) {
    if (waited === 0) console.log(".next/BUILD_ID disappeared (a next build running elsewhere?): waiting up to 5 minutes");
    if (waited >= 300) throw new Error(".next/BUILD_ID is missing: no production build to serve");
    await sleep(2_000);
  }
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const nextArgs = ["start", "-H", "127.0.0.1", "-p", String(port)];
  const args = [...startNodeFlags(), ...(options.nodeArgs ?? []), path.resolve("node_modules/next/dist/bin/next"), ...nextArgs];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: options.dataDir,
      AUTH_SECRET: options.authSecret,
      // Production refuses to start without it: a fresh key each run (no bank account is saved here).
      PAYOUT_ENCRYPTION_KEY: `1:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`,
      AUTH_TRUST_HOST: "true",
      AUTH_URL: baseUrl,
      LOG_LEVEL: "warn",
      RUN_WORKER: "true",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
  });
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) process.stderr.write(`[next] ${line}\n`);
  };
  child.stdout?.on("data", relay);
  child.stderr?.on("data", relay);
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(`next start exited (${signal ?? code})`)));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timedOut = await Promise.race([exited.then(() => false), sleep(15_000).then(() => true)]);
      if (timedOut) {
        console.error("next start did not stop within 15 s of SIGTERM: killing it");
        child.kill("SIGKILL");
        await exited;
      }
    })());
  teardown.add(stop, () => child.kill("SIGKILL"));

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(await exited);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("next start did not answer /api/health with 200 within 120 s");
    await sleep(250);
  }
  return { baseUrl, child, healthySeconds: (performance.now() - started) / 1000, stop };
}

export interface ProcessInfo {
  pid: number;
  name: string;
  rssKb: number;
  /** utime + stime in clock ticks (100 a second on Linux). */
  cpuTicks: number;
}

/** `pid` and its descendants as /proc shows them now (Linux only; empty elsewhere). */
export function processTree(pid: number): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  const stats = new Map<number, string[]>();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command (which may hold spaces): state, ppid, …
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      stats.set(Number(entry), fields);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const result: ProcessInfo[] = [];
  const visit = (p: number) => {
    const fields = stats.get(p);
    if (!fields) return;
    let name = "?";
    let rssKb = 0;
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      name = /^Name:\s*(.*)$/m.exec(status)?.[1] ?? "?";
      rssKb = Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      return;
    }
    // stat fields 14 and 15 (utime, stime) are at 11 and 12 after the command.
    result.push({ pid: p, name, rssKb, cpuTicks: Number(fields[11]) + Number(fields[12]) });
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return result;
}

/**
 * Milliseconds `pid`'s main thread has spent runnable but waiting for a CPU (Linux schedstat; NaN
 * elsewhere): how much other work on the machine held the process back.
 */
export function cpuWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e6;
  } catch {
    return NaN;
  }
}
