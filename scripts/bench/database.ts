/**
 * A throwaway PostgreSQL database for a benchmark: an embedded cluster in the OS temp folder, or a
 * fresh database on DATABASE_URL's server (loopback only). Dropped, stopped and deleted by the
 * Teardown. Not migrated: each benchmark applies what it needs.
 */
import os from "node:os";
import path from "node:path";
import { rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import postgres from "postgres";
import type { Database } from "@/db/client";
import type { Teardown } from "./common";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export interface ThrowawayDatabase {
  /** URL of the throwaway database (what a server under test is given as DATABASE_URL). */
  url: string;
  /** A pool on it, closed by the Teardown. */
  database: Database;
  /** "embedded, throwaway" or "DATABASE_URL server, throwaway database". */
  kind: string;
  version: string;
}

export async function openThrowawayDatabase(teardown: Teardown, options: { name: string; max: number }): Promise<ThrowawayDatabase> {
  const { startEmbeddedPostgres } = await import("@/db/embedded");
  const { connect } = await import("@/db/client");
  const stamp = `${process.pid}_${Date.now()}`;

  let serverUrl = process.env.DATABASE_URL?.trim() || undefined;
  const embedded = !serverUrl;
  if (serverUrl) {
    const host = new URL(serverUrl).hostname;
    if (!LOOPBACK.has(host) && !host.startsWith("127.")) {
      throw new Error(`DATABASE_URL points at ${host}; the benchmark only runs against a loopback server.`);
    }
  } else {
    // Not under a mkdtemp folder: that is 0700, and as root initdb runs as another user.
    const pgDir = path.join(os.tmpdir(), `driftwood-bench-${options.name}-pg-${stamp}`);
    teardown.add(
      () => rm(pgDir, { recursive: true, force: true }),
      () => rmSync(pgDir, { recursive: true, force: true }),
    );
    const cluster = await startEmbeddedPostgres({ dataDir: pgDir, ephemeral: true });
    teardown.add(() => cluster.stop());
    serverUrl = cluster.url;
  }

  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  teardown.add(() => admin.end({ timeout: 5 }));
  const name = `driftwood_bench_${options.name}_${stamp}`;
  await admin.unsafe(`create database "${name}"`);
  teardown.add(() => admin.unsafe(`drop database if exists "${name}" with (force)`));

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = connect(url.toString(), { max: options.max });
  teardown.add(() => database.close());
  const [{ version } = { version: "?" }] = await database.sql<{ version: string }[]>`select current_setting('server_version') as version`;
  return { url: url.toString(), database, kind: embedded ? "embedded, throwaway" : "DATABASE_URL server, throwaway database", version };
}
