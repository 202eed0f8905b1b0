import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { blockedFolder, EmbeddedPostgresUnreachable, startEmbeddedPostgres } from "./embedded";

const root = await mkdtemp(path.join(os.tmpdir(), "driftwood-embedded-"));
// mkdtemp makes a 0700 folder: open it, and lock one inside.
await chmod(root, 0o755);
const locked = path.join(root, "locked");
await mkdir(path.join(locked, "project"), { recursive: true });
await chmod(locked, 0o700);
afterAll(() => rm(root, { recursive: true, force: true }));

describe("embedded PostgreSQL run as root", () => {
  it("finds the first folder another user may not enter on the way to the data", () => {
    const stranger = { uid: 54_321, gid: 54_321 };
    expect(blockedFolder(path.join(locked, "project", ".data", "postgres"), stranger)).toBe(locked);
    expect(blockedFolder(path.join(root, "open", "postgres"), stranger)).toBeUndefined();
    // Its owner may enter it.
    expect(blockedFolder(path.join(locked, "project"), { uid: process.getuid!(), gid: 54_321 })).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)("stops at once, saying what to do, when the postgres user cannot reach the data folder", async () => {
    const started = Date.now();
    const attempt = startEmbeddedPostgres({ dataDir: path.join(locked, "project", ".data", "postgres"), ephemeral: true });
    await expect(attempt).rejects.toThrow(EmbeddedPostgresUnreachable);
    await expect(attempt).rejects.toThrow(
      `may not enter ${locked}. Run Driftwood as an ordinary user, move the project to a folder others may enter`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
