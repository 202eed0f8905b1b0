import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir } from "./data-dir";
import { env } from "./env";
import { logger } from "./logger";

let cached: Promise<string> | undefined;

/**
 * AUTH_SECRET when set; otherwise a random secret kept in DATA_DIR/auth-secret, so a fresh
 * checkout runs with no setup and sessions survive restarts. Several instances need AUTH_SECRET.
 */
export function authSecret(): Promise<string> {
  if (env.AUTH_SECRET) return Promise.resolve(env.AUTH_SECRET);
  cached ??= (async () => {
    const file = path.join(dataDir(), "auth-secret");
    try {
      const existing = (await readFile(file, "utf8")).trim();
      if (existing.length >= 32) return existing;
    } catch {
      // first start: create it below
    }
    const secret = randomBytes(32).toString("base64url");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, secret, { mode: 0o600, flag: "w" });
    await chmod(file, 0o600);
    if (env.NODE_ENV === "production") {
      logger.warn({ file }, "AUTH_SECRET is unset: using a generated secret; set AUTH_SECRET when running several instances");
    }
    return secret;
  })();
  return cached;
}
