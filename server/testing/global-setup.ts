import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedCluster } from "@/db/embedded";
import { migrateDatabase } from "@/server/database";

declare module "vitest" {
  export interface ProvidedContext {
    /** Server to create per-file databases on (superuser connection to its "postgres" database). */
    testServerUrl: string;
    /** Migrated, empty database that each test file's database is copied from. */
    templateDatabase: string;
  }
}

/**
 * Once per run: a throwaway PostgreSQL (or DATABASE_URL's server) with one migrated template
 * database. Test files copy it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export default async function setup(project: TestProject) {
  let cluster: EmbeddedCluster | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = path.join(os.tmpdir(), `driftwood-vitest-${process.pid}-${Date.now()}`);
    cluster = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    serverUrl = cluster.url;
  }

  const template = `driftwood_template_${process.pid}_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${template}"`);
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  const templateSql = postgres(templateUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await migrateDatabase({ sql: templateSql, url: templateUrl.toString() });
  } finally {
    await templateSql.end();
  }

  project.provide("testServerUrl", serverUrl);
  project.provide("templateDatabase", template);

  return async () => {
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
    await admin.end();
    await cluster?.stop();
  };
}
