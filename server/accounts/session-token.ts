import { createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { decode as authjsDecode, getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";
import type { DbOrTx } from "@/db/client";
import { authSecret } from "@/server/auth-secret";
import type { SessionUser } from "./roles";
import { claimsOfToken, type SessionClaims, userOfSession } from "./sessions";

/** Auth.js's session cookie: a JWE, "dir" key management, A256CBC-HS512 (RFC 7518 §5.2.5). */
const CLOCK_TOLERANCE_S = 15;
const derivedKeys = new Map<string, Buffer>();
/** The protected-header fields Auth.js writes; a token with any other goes to Auth.js's decode. */
const HEADER_FIELDS = new Set(["alg", "enc", "kid"]);

/** The 64-byte key Auth.js derives from the secret and the cookie name, derived once per pair. */
function encryptionKey(secret: string, salt: string): Buffer {
  const id = `${salt}\0${secret}`;
  let key = derivedKeys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, 64));
    derivedKeys.set(id, key);
  }
  return key;
}

class InvalidToken extends Error {}

/**
 * Decrypts a session cookie as Auth.js's decode() does (same key, same checks: the tag first, in
 * constant time, then the expiry with 15 s of tolerance), synchronously with node:crypto and a key
 * derived once, instead of deriving it, fingerprinting it and decrypting through WebCrypto's
 * thread pool on every request (8% of the server's CPU in bench:checkout). A token in any other
 * shape, or signed with several secrets, goes to Auth.js's own decode.
 */
export async function decodeSessionToken(params: JWTDecodeParams): Promise<JWT | null> {
  const { token, secret, salt } = params;
  if (!token) return null;
  if (typeof secret !== "string") return authjsDecode(params);
  const parts = token.split(".");
  if (parts.length !== 5) throw new InvalidToken("not a compact JWE");
  const [protectedHeader, encryptedKey, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
  const header = JSON.parse(Buffer.from(protectedHeader, "base64url").toString("utf8")) as Record<string, unknown>;
  if (header.alg !== "dir" || header.enc !== "A256CBC-HS512" || Object.keys(header).some((name) => !HEADER_FIELDS.has(name))) {
    return authjsDecode(params);
  }
  if (encryptedKey !== "") throw new InvalidToken("dir carries no encrypted key");

  const key = encryptionKey(secret, salt);
  const iv = Buffer.from(ivText, "base64url");
  const ciphertext = Buffer.from(ciphertextText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== 16 || tag.length !== 32 || ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new InvalidToken("malformed JWE");
  }
  const aad = Buffer.from(protectedHeader, "ascii");
  const aadBits = Buffer.alloc(8);
  aadBits.writeBigUInt64BE(BigInt(aad.length * 8));
  const expected = createHmac("sha512", key.subarray(0, 32))
    .update(aad)
    .update(iv)
    .update(ciphertext)
    .update(aadBits)
    .digest()
    .subarray(0, 32);
  if (!timingSafeEqual(expected, tag)) throw new InvalidToken("bad tag");

  const decipher = createDecipheriv("aes-256-cbc", key.subarray(32), iv);
  const payload = JSON.parse(Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8")) as JWT;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) throw new InvalidToken("payload is not an object");
  const now = Math.floor(Date.now() / 1000);
  if (payload.exp !== undefined && (typeof payload.exp !== "number" || payload.exp <= now - CLOCK_TOLERANCE_S))
    throw new InvalidToken("expired");
  if (payload.nbf !== undefined && (typeof payload.nbf !== "number" || payload.nbf > now + CLOCK_TOLERANCE_S))
    throw new InvalidToken("not yet valid");
  return payload;
}

/**
 * The session's claims from the Auth.js session cookie, decrypted directly. API calls use this
 * instead of auth(), which also rebuilds the configuration and re-encrypts the cookie on every
 * call (measured by bench:checkout); pages keep auth() so sessions still slide forward.
 */
export async function sessionClaimsFromRequest(request: { headers: Headers; url: string }): Promise<SessionClaims | null> {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const protocol = forwarded ? `${forwarded}:` : new URL(request.url).protocol;
  const token = await getToken({
    req: { headers: request.headers },
    secret: await authSecret(),
    secureCookie: protocol === "https:",
    decode: decodeSessionToken,
  });
  return claimsOfToken(token);
}

/** The signed-in user of an API request, or null (no cookie, or a session that has ended: see userOfSession). */
export async function sessionUserFromRequest(db: DbOrTx, request: { headers: Headers; url: string }): Promise<SessionUser | null> {
  return userOfSession(db, await sessionClaimsFromRequest(request));
}
