import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken } from "./session-token";

const secret = "a-test-secret-that-is-long-enough-0123456789";
const salt = "authjs.session-token";

/** Flips one character of a base64url segment so its bytes change. */
function tamper(token: string, segment: number): string {
  const parts = token.split(".");
  const text = parts[segment]!;
  const k = Math.floor(text.length / 2);
  parts[segment] = text.slice(0, k) + (text[k] === "A" ? "B" : "A") + text.slice(k + 1);
  return parts.join(".");
}

describe("decodeSessionToken (the fast path for Auth.js session cookies)", () => {
  it("reads what Auth.js writes, exactly as Auth.js's own decode does", async () => {
    const token = await encode({ token: { sub: "user-1", name: "Ada", role: "player" }, secret, salt });
    const ours = await decodeSessionToken({ token, secret, salt });
    expect(ours).toEqual(await decode({ token, secret, salt }));
    expect(ours).toMatchObject({ sub: "user-1", name: "Ada", role: "player" });
  });

  it("refuses a token changed anywhere, made with another secret or for another cookie", async () => {
    const token = await encode({ token: { sub: "user-1" }, secret, salt });
    for (const segment of [0, 2, 3, 4]) {
      await expect(decodeSessionToken({ token: tamper(token, segment), secret, salt })).rejects.toThrow();
    }
    await expect(decodeSessionToken({ token, secret: `${secret}-other`, salt })).rejects.toThrow();
    await expect(decodeSessionToken({ token, secret, salt: "__Secure-authjs.session-token" })).rejects.toThrow();
    await expect(decodeSessionToken({ token: "not.a.token", secret, salt })).rejects.toThrow();
  });

  it("refuses an expired token (beyond 15 s of clock tolerance), as Auth.js does", async () => {
    const expired = await encode({ token: { sub: "user-1" }, secret, salt, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret, salt })).rejects.toThrow();
    await expect(decode({ token: expired, secret, salt })).rejects.toThrow();
    const barely = await encode({ token: { sub: "user-1" }, secret, salt, maxAge: -5 });
    expect(await decodeSessionToken({ token: barely, secret, salt })).toMatchObject({ sub: "user-1" });
  });

  it("an empty cookie is no session", async () => {
    expect(await decodeSessionToken({ token: "", secret, salt })).toBeNull();
  });
});
