import { afterAll } from "vitest";
import { inject } from "vitest";
import postgres from "postgres";
import { connect, type Database } from "../client";

/**
 * A database of this test file's own, copied from the migrated template and dropped when the file
 * ends, so files running in parallel never see each other's rows.
 */
export async function createTestDatabase(): Promise<Database> {
  const serverUrl = inject("testServerUrl");
  const template = inject("templateDatabase");
  const name = `driftwood_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = connect(url.toString(), { max: 20 });

  afterAll(async () => {
    await database.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  return database;
}
