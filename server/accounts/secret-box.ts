import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/server/auth-secret";

/**
 * Small secrets the accounts domain must read back (authenticator-app seeds), encrypted at rest
 * with AES-256-GCM. The key is derived with HKDF-SHA256 from the auth secret and a purpose label,
 * so a database dump alone reveals nothing and each purpose has its own key. Stored form:
 * `v1.<iv>.<ciphertext>.<tag>` (base64url); the version leaves room for a key rotation. Changing
 * AUTH_SECRET makes stored seeds unreadable (their owners set up their authenticator again).
 */
const VERSION = "v1";

async function keyFor(purpose: string): Promise<Buffer> {
  return Buffer.from(hkdfSync("sha256", await authSecret(), "driftwood", `accounts:${purpose}`, 32));
}

export async function sealSecret(purpose: string, plaintext: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await keyFor(purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** The plaintext, or an error when the box was altered or sealed under another key or purpose. */
export async function openSecret(purpose: string, sealed: string): Promise<string> {
  const [version, iv, ciphertext, tag] = sealed.split(".");
  if (version !== VERSION || !iv || !ciphertext || !tag) throw new Error("unreadable sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", await keyFor(purpose), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/**
 * A keyed hash (HMAC-SHA256, key from HKDF like above) for secrets only ever compared, never read
 * back (recovery codes): without the auth secret a dump cannot be brute-forced offline.
 */
export async function keyedHash(purpose: string, value: string): Promise<string> {
  return createHmac("sha256", await keyFor(`hash:${purpose}`))
    .update(value)
    .digest("base64url");
}
