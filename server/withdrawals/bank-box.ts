import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/server/auth-secret";
import { env } from "@/server/env";

/**
 * Payout bank account numbers at rest: AES-256-GCM (Node's crypto) under a versioned key from
 * PAYOUT_ENCRYPTION_KEY (`<version>:<32 bytes base64>`, comma-separated). The highest version
 * seals new numbers; every listed version still opens old ones, so a key rotates by adding a
 * version and running `npm run payout-keys:rotate`. Stored form: base64url(iv ‖ tag ‖ ciphertext),
 * with the purpose as additional data, so a box made for something else never opens here.
 *
 * Unset outside production: version 0, derived with HKDF from the auth secret (a dump of the
 * database alone still reveals nothing). Production refuses to start without the variable
 * (`assertPayoutKeyConfigured`).
 */
const PURPOSE = "payout-account";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface PayoutKeyring {
  /** The version that seals new numbers (the highest). */
  current: number;
  keys: ReadonlyMap<number, Buffer>;
}

export class PayoutKeyError extends Error {
  override name = "PayoutKeyError";
}

/** The keyring a PAYOUT_ENCRYPTION_KEY value describes; refuses repeated versions and keys that are not 32 bytes. */
export function parsePayoutKeys(value: string): PayoutKeyring {
  const keys = new Map<number, Buffer>();
  for (const part of value.split(",").map((item) => item.trim())) {
    const match = /^(\d{1,4}):(.+)$/.exec(part);
    if (!match) throw new PayoutKeyError("PAYOUT_ENCRYPTION_KEY must be <version>:<32 bytes in base64>, comma-separated, like 1:q83v…=");
    const version = Number(match[1]);
    const key = Buffer.from(match[2]!, "base64");
    if (key.length !== KEY_BYTES) {
      throw new PayoutKeyError(
        `PAYOUT_ENCRYPTION_KEY: the key of version ${version} is ${key.length} bytes; it must be 32 bytes in base64.`,
      );
    }
    if (keys.has(version)) throw new PayoutKeyError(`PAYOUT_ENCRYPTION_KEY lists version ${version} twice; give each key its own version.`);
    keys.set(version, key);
  }
  if (keys.size === 0) throw new PayoutKeyError("PAYOUT_ENCRYPTION_KEY is empty.");
  return { current: Math.max(...keys.keys()), keys };
}

/** The development key: version 0, derived from the auth secret. */
export async function derivedPayoutKey(): Promise<Buffer> {
  return Buffer.from(hkdfSync("sha256", await authSecret(), "driftwood", "withdrawals:payout-account:v0", KEY_BYTES));
}

type KeyEnvironment = { NODE_ENV: string; PAYOUT_ENCRYPTION_KEY?: string | undefined };

/**
 * Throws, with what to do, when production has no PAYOUT_ENCRYPTION_KEY or the value cannot be
 * used. Called at start-up by the web server (server/startup.ts) and the worker (scripts/worker.ts).
 */
export function assertPayoutKeyConfigured(environment: KeyEnvironment = env): void {
  if (environment.PAYOUT_ENCRYPTION_KEY) {
    parsePayoutKeys(environment.PAYOUT_ENCRYPTION_KEY);
    return;
  }
  if (environment.NODE_ENV === "production") {
    throw new PayoutKeyError(
      "PAYOUT_ENCRYPTION_KEY is not set. Production needs it to encrypt players' bank account numbers: " +
        "set it to 1:<32 random bytes in base64>, made with node -e \"console.log('1:' + crypto.randomBytes(32).toString('base64'))\", and keep it with your other secrets.",
    );
  }
}

let cached: Promise<PayoutKeyring> | undefined;

/** The keyring from the environment (see the top of this file). */
export function payoutKeyring(): Promise<PayoutKeyring> {
  cached ??= (async () => {
    assertPayoutKeyConfigured();
    if (!env.PAYOUT_ENCRYPTION_KEY) return { current: 0, keys: new Map([[0, await derivedPayoutKey()]]) };
    const ring = parsePayoutKeys(env.PAYOUT_ENCRYPTION_KEY);
    // Outside production, numbers sealed under the development key stay readable (and rotatable)
    // after a key is set, unless the list names a version 0 of its own.
    if (env.NODE_ENV !== "production" && !ring.keys.has(0)) {
      return { current: ring.current, keys: new Map([[0, await derivedPayoutKey()], ...ring.keys]) };
    }
    return ring;
  })();
  return cached;
}

/** Seals a bank number (the JSON of its parts) under the keyring's current version. */
export async function sealBankNumber(plaintext: string, keyring?: PayoutKeyring): Promise<{ ciphertext: string; keyVersion: number }> {
  const ring = keyring ?? (await payoutKeyring());
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.keys.get(ring.current)!, iv);
  cipher.setAAD(Buffer.from(PURPOSE));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url"), keyVersion: ring.current };
}

/** The sealed bank number; throws when the version is unknown or the box was altered or sealed under another key. */
export async function openBankNumber(ciphertext: string, keyVersion: number, keyring?: PayoutKeyring): Promise<string> {
  const ring = keyring ?? (await payoutKeyring());
  const key = ring.keys.get(keyVersion);
  if (!key) throw new PayoutKeyError(`No payout key of version ${keyVersion}: PAYOUT_ENCRYPTION_KEY must still list it.`);
  const box = Buffer.from(ciphertext, "base64url");
  if (box.length < IV_BYTES + TAG_BYTES) throw new PayoutKeyError("unreadable sealed bank number");
  const decipher = createDecipheriv("aes-256-gcm", key, box.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(PURPOSE));
  decipher.setAuthTag(box.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(box.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}
