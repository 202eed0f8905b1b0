import { afterAll } from "vitest";
import { inject } from "vitest";
import postgres from "postgres";
import { connect, type Database, type DatabaseObserver } from "../client";

/**
 * A database of this test file's own, copied from the migrated template and dropped when the file
 * ends, so files running in parallel never see each other's rows. `observer`: as the app passes
 * its tracing (server/database-tracing.ts), for tests of what it records.
 */
export async function createTestDatabase(options: { observer?: DatabaseObserver } = {}): Promise<Database> {
  const serverUrl = inject("testServerUrl");
  const template = inject("templateDatabase");
  const name = `driftwood_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = connect(url.toString(), { max: 20, observer: options.observer });

  afterAll(async () => {
    await database.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  return database;
}
