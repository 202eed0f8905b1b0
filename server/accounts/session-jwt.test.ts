import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { nextSessionToken, type SessionToken } from "./session-jwt";
import { issueRenewal } from "./session-renewal";
import { claimsOfToken, endSessions, sessionVersionOf, userOfSession } from "./sessions";

const { db } = await createTestDatabase();

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A token as sign-in leaves it, for `userId` (what the browser's cookie then carries). */
async function signedIn(userId: string, now = new Date()): Promise<SessionToken> {
  return nextSessionToken(db, { name: "Someone" }, { user: { id: userId }, trigger: "signIn" }, now);
}

describe("the session token at sign-in", () => {
  it("names the account, a new sign-in id, the account's session version and the time", async () => {
    const user = await createUser(db);
    await db.transaction((tx) => endSessions(tx, user.id)); // version 1, not the default 0
    const now = new Date("2026-12-07T12:00:00.500Z");
    const token = await signedIn(user.id, now);
    expect(token).toEqual({ name: "Someone", sub: user.id, sid: expect.any(String), sv: 1, authAt: seconds(now) });
    expect(token.sid).toMatch(/^[0-9a-f-]{36}$/);
    // The server accepts it as a session of this account.
    expect((await userOfSession(db, claimsOfToken(token)))?.id).toBe(user.id);
  });

  it("gives every sign-in its own id, and takes the version as it is now", async () => {
    const user = await createUser(db);
    const first = await signedIn(user.id);
    await db.transaction((tx) => endSessions(tx, user.id));
    const second = await signedIn(user.id);
    expect(second.sid).not.toBe(first.sid);
    expect(second.sv).toBe(await sessionVersionOf(db, user.id));
    expect(second.sv).toBe((first.sv as number) + 1);
    expect(await userOfSession(db, claimsOfToken(first))).toBeNull();
  });
});

describe("an update of the session token (the browser's renew request)", () => {
  it("takes the version and time of a renewal ticket issued for this session", async () => {
    const user = await createUser(db);
    const token = await signedIn(user.id, new Date(Date.now() - 60 * 60 * 1000));
    const renew = await issueRenewal({ userId: user.id, sessionId: String(token.sid), sessionVersion: 7, authenticatedAt: 1_900_000_000 });
    const updated = await nextSessionToken(db, { ...token }, { trigger: "update", session: { renew } });
    expect(updated).toEqual({ ...token, sv: 7, authAt: 1_900_000_000 });
  });

  it("changes nothing for a ticket of another session or account, a forged or missing one, or a read that is no update", async () => {
    const user = await createUser(db);
    const other = await createUser(db);
    const token = await signedIn(user.id);
    const ticket = (userId: string, sessionId: string) =>
      issueRenewal({ userId, sessionId, sessionVersion: 9, authenticatedAt: seconds(new Date()) + 60 });
    const mine = await ticket(user.id, String(token.sid));
    const cases: [string, Parameters<typeof nextSessionToken>[2]][] = [
      ["another session of the account", { trigger: "update", session: { renew: await ticket(user.id, crypto.randomUUID()) } }],
      ["another account's session", { trigger: "update", session: { renew: await ticket(other.id, String(token.sid)) } }],
      ["a forged ticket", { trigger: "update", session: { renew: `${mine.slice(0, -4)}AAAA` } }],
      ["no ticket", { trigger: "update", session: {} }],
      ["no session sent", { trigger: "update" }],
      ["a plain read, with a good ticket", { session: { renew: mine } }],
    ];
    for (const [name, event] of cases) {
      expect(await nextSessionToken(db, { ...token }, event), name).toEqual(token);
    }
    // The good ticket does work as an update.
    expect((await nextSessionToken(db, { ...token }, { trigger: "update", session: { renew: mine } })).sv).toBe(9);
  });

  it("changes nothing for a token from before sign-in ids (no sid), whatever it is sent", async () => {
    const user = await createUser(db);
    const { sid: _sid, ...old } = await signedIn(user.id);
    // A ticket that names no session either: nothing to match, so nothing to take.
    const renew = await issueRenewal({
      userId: user.id,
      sessionId: undefined as unknown as string,
      sessionVersion: 9,
      authenticatedAt: seconds(new Date()),
    });
    expect(await nextSessionToken(db, { ...old }, { trigger: "update", session: { renew } })).toEqual(old);
  });
});
