import { eq, sql } from "drizzle-orm";
import { SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { auditLog, users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { Forbidden } from "@/server/errors";
import { createUser } from "@/server/testing/factories";
import { issueRenewal, renewalFor, verifyRenewal } from "./session-renewal";
import {
  assertRecentAuth,
  claimsOfToken,
  endSessions,
  RECENT_AUTH_SECONDS,
  sessionVersionOf,
  suspensionInForce,
  suspensionOf,
  userOfSession,
} from "./sessions";
import { signOutEverywhere } from "./suspensions";

const { db } = await createTestDatabase();

const claimsAt = (userId: string, sessionVersion: number, authenticatedAt: number | null = null) => ({
  userId,
  sessionId: crypto.randomUUID(),
  sessionVersion,
  authenticatedAt,
});

describe("session claims", () => {
  it("reads sub, sid, sv and authAt from a token; a token from before them counts as version 0", () => {
    expect(claimsOfToken({ sub: "u", sid: "s", sv: 3, authAt: 100 })).toEqual({
      userId: "u",
      sessionId: "s",
      sessionVersion: 3,
      authenticatedAt: 100,
    });
    expect(claimsOfToken({ sub: "u" })).toEqual({ userId: "u", sessionId: null, sessionVersion: 0, authenticatedAt: null });
    expect(claimsOfToken({ sub: "u", sv: "3", authAt: "100" })).toMatchObject({ sessionVersion: 0, authenticatedAt: null });
    expect(claimsOfToken(null)).toBeNull();
    expect(claimsOfToken({ name: "nobody" })).toBeNull();
  });

  it("counts a suspension in force while its end is ahead or when it has none", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    expect(suspensionInForce({ suspendedAt: null, suspendedUntil: null }, now)).toBeNull();
    expect(suspensionInForce({ suspendedAt: now, suspendedUntil: null }, now)).toEqual({ until: null });
    const later = new Date("2026-12-08T12:00:00Z");
    expect(suspensionInForce({ suspendedAt: now, suspendedUntil: later }, now)).toEqual({ until: later });
    expect(suspensionInForce({ suspendedAt: now, suspendedUntil: now }, now)).toBeNull();
  });
});

describe("userOfSession", () => {
  it("answers for a token at the account's version, and not for another version, a malformed id or a deleted account", async () => {
    const user = await createUser(db);
    const session = await userOfSession(db, claimsAt(user.id, 0, 1_800_000_000));
    expect(session).toMatchObject({ id: user.id, email: user.email, role: "player" });
    expect(session?.authenticatedAt).toEqual(new Date(1_800_000_000 * 1000));
    expect(await userOfSession(db, claimsAt(user.id, 1))).toBeNull();
    expect(await userOfSession(db, claimsAt("not-a-uuid", 0))).toBeNull();
    expect(await userOfSession(db, null)).toBeNull();
    await db.delete(users).where(eq(users.id, user.id));
    expect(await userOfSession(db, claimsAt(user.id, 0))).toBeNull();
  });

  it("refuses every session of a suspended account until the end passes, then lets them back", async () => {
    const user = await createUser(db);
    await db
      .update(users)
      .set({ suspendedAt: new Date(), suspendedUntil: new Date(Date.now() + 60_000), suspensionReason: "cool down" })
      .where(eq(users.id, user.id));
    expect(await userOfSession(db, claimsAt(user.id, 0))).toBeNull();
    expect(await suspensionOf(db, user.id)).toMatchObject({ reason: "cool down" });
    await db
      .update(users)
      .set({ suspendedUntil: new Date(Date.now() - 1_000) })
      .where(eq(users.id, user.id));
    expect(await userOfSession(db, claimsAt(user.id, 0))).toMatchObject({ id: user.id });
    expect(await suspensionOf(db, user.id)).toBeNull();
  });
});

describe("endSessions and sign out everywhere", () => {
  it("moves the version on inside the caller's transaction and announces it on the user's topic", async () => {
    const user = await createUser(db);
    const topic = `user:${user.id}`;
    const next = await db.transaction((tx) => endSessions(tx, user.id));
    expect(next).toBe(1);
    expect(await sessionVersionOf(db, user.id)).toBe(1);
    expect(await userOfSession(db, claimsAt(user.id, 0))).toBeNull();
    expect(await userOfSession(db, claimsAt(user.id, 1))).toMatchObject({ id: user.id });
    const announced = await db.execute<{ payload: unknown }>(sql`select payload from live_events where topic = ${topic}`);
    expect(announced.map((row) => row.payload)).toEqual([{ kind: "sessions.ended" }]);
  });

  it("does nothing when the transaction rolls back", async () => {
    const user = await createUser(db);
    await expect(
      db.transaction(async (tx) => {
        await endSessions(tx, user.id);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await sessionVersionOf(db, user.id)).toBe(0);
    expect(await userOfSession(db, claimsAt(user.id, 0))).toMatchObject({ id: user.id });
  });

  it("sign out everywhere ends every session, the caller's too, and writes an audit row of it", async () => {
    const user = await createUser(db);
    await db.transaction((tx) => signOutEverywhere(tx, user.id));
    expect(await userOfSession(db, claimsAt(user.id, 0))).toBeNull();
    const rows = await db.select().from(auditLog).where(eq(auditLog.targetUserId, user.id));
    expect(rows).toEqual([expect.objectContaining({ action: "account.signed_out_everywhere", actorId: user.id, details: {} })]);
  });
});

describe("recent authentication", () => {
  it("accepts a proof within the window and refuses an older one or none", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    expect(() => assertRecentAuth({ authenticatedAt: new Date(now.getTime() - 60_000) }, now)).not.toThrow();
    expect(() => assertRecentAuth({ authenticatedAt: new Date(now.getTime() - (RECENT_AUTH_SECONDS + 1) * 1000) }, now)).toThrow(Forbidden);
    expect(() => assertRecentAuth({ authenticatedAt: null }, now)).toThrow(Forbidden);
  });
});

describe("session renewal tickets", () => {
  const userId = crypto.randomUUID();
  const sessionId = crypto.randomUUID();

  it("verify for the same user and session, carrying the version and time", async () => {
    const ticket = await renewalFor({ id: userId, sessionId }, 4);
    const renewal = await verifyRenewal(ticket, { userId, sessionId });
    expect(renewal).toMatchObject({ userId, sessionId, sessionVersion: 4 });
    expect(Math.abs(renewal!.authenticatedAt - Date.now() / 1000)).toBeLessThan(5);
  });

  it("are not issued for a session without an id", async () => {
    expect(await renewalFor({ id: userId, sessionId: null }, 1)).toBeNull();
  });

  it("refuse another session of the same user, another user, a tampered or foreign-key ticket and anything not a ticket", async () => {
    const ticket = (await renewalFor({ id: userId, sessionId }, 2))!;
    expect(await verifyRenewal(ticket, { userId, sessionId: crypto.randomUUID() })).toBeNull();
    expect(await verifyRenewal(ticket, { userId: crypto.randomUUID(), sessionId })).toBeNull();
    const [header, payload, signature] = ticket.split(".");
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sv: 99 })).toString(
      "base64url",
    );
    expect(await verifyRenewal(`${header}.${raised}.${signature}`, { userId, sessionId })).toBeNull();
    const foreign = await new SignJWT({ sid: sessionId, sv: 2, authAt: 1 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setAudience("driftwood:session-renewal")
      .setExpirationTime("2m")
      .sign(new TextEncoder().encode("some-other-key-0123456789abcdef0123"));
    expect(await verifyRenewal(foreign, { userId, sessionId })).toBeNull();
    expect(await verifyRenewal(undefined, { userId, sessionId })).toBeNull();
    expect(await verifyRenewal("x".repeat(3_000), { userId, sessionId })).toBeNull();
  });

  it("refuse an expired ticket", async () => {
    const ticket = await issueRenewal({ userId, sessionId, sessionVersion: 1, authenticatedAt: 1 });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 3 * 60_000);
      expect(await verifyRenewal(ticket, { userId, sessionId })).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    expect(await verifyRenewal(ticket, { userId, sessionId })).not.toBeNull();
  });
});
