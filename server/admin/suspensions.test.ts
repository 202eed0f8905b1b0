import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { sessionVersionOf, suspensionOf, userOfSession } from "@/server/accounts/sessions";
import { verifySignIn } from "@/server/accounts/sign-in";
import { Conflict, Forbidden, Invalid, NotFound } from "@/server/errors";
import type { SessionUser } from "@/server/accounts/roles";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { createUser, TEST_PASSWORD } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { auditLogPage } from "./audit";
import { liftAccountSuspension, suspendAccount } from "./suspensions";

const { db } = await createTestDatabase();

const DAY = 86_400_000;
const appRouterCaller = (database: typeof db, user: SessionUser) => createCaller(createInnerContext({ db: database, user }));
let ip = 0;
const signIn = (email: string) => verifySignIn(db, { email, password: TEST_PASSWORD, ip: `10.77.${Math.floor(++ip / 250)}.${ip % 250}` });

async function notificationKeys(userId: string): Promise<string[]> {
  const rows = await db.execute<{
    key: string;
    email: boolean;
  }>(sql`select j.payload->>'dedupeKey' as key, (j.payload::jsonb ? 'email') as email
    from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = 'send-notification' and j.payload->>'userId' = ${userId} order by j.id`);
  expect(rows.every((row) => row.email)).toBe(true);
  return rows.map((row) => row.key);
}

describe("suspending an account", () => {
  it("sets the suspension, ends the sessions, audits it, tells the player, and refuses sign-in with the reason", async () => {
    const [admin, player] = await Promise.all([createUser(db, { role: "admin" }), createUser(db)]);
    const until = new Date(Date.now() + 3 * DAY);
    const result = await suspendAccount(db, admin, { userId: player.id, reason: "Match fixing", until });
    expect(result).toEqual({ userId: player.id, until, reason: "Match fixing", replaced: false });

    expect(await sessionVersionOf(db, player.id)).toBe(1);
    expect(await userOfSession(db, { userId: player.id, sessionId: null, sessionVersion: 1, authenticatedAt: null })).toBeNull();
    expect(await signIn(player.email)).toEqual({ status: "suspended", until, reason: "Match fixing" });
    // A wrong password says nothing about the suspension.
    expect(await verifySignIn(db, { email: player.email, password: "wrong-password", ip: "10.78.0.1" })).toEqual({ status: "invalid" });

    const audit = await db.select().from(auditLog).where(eq(auditLog.targetUserId, player.id));
    expect(audit).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        action: "user.suspended",
        details: { reason: "Match fixing", until: until.toISOString() },
      }),
    ]);
    expect(await notificationKeys(player.id)).toEqual([expect.stringMatching(`^account:${player.id}:suspended:`)]);
  });

  it("with no end date is a ban; suspending again replaces the reason and end, and the audit keeps the old ones", async () => {
    const [admin, player] = await Promise.all([createUser(db, { role: "admin" }), createUser(db, { role: "organizer" })]);
    const first = new Date(Date.now() + DAY);
    await suspendAccount(db, admin, { userId: player.id, reason: "Spam", until: first });
    const again = await suspendAccount(db, admin, { userId: player.id, reason: "Spam, again and again", until: null });
    expect(again.replaced).toBe(true);
    expect(await suspensionOf(db, player.id)).toEqual({ until: null, reason: "Spam, again and again" });
    expect(await signIn(player.email)).toEqual({ status: "suspended", until: null, reason: "Spam, again and again" });
    const [latest] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetUserId, player.id), eq(auditLog.action, "user.suspended")))
      .orderBy(sql`${auditLog.createdAt} desc`)
      .limit(1);
    expect(latest?.details).toEqual({
      reason: "Spam, again and again",
      until: null,
      replaced: { reason: "Spam", until: first.toISOString() },
    });
    expect(await sessionVersionOf(db, player.id)).toBe(2);
  });

  it("refuses the admin themselves, another admin, an end in the past and an unknown user, and changes nothing", async () => {
    const [admin, other] = await Promise.all([createUser(db, { role: "admin" }), createUser(db, { role: "admin" })]);
    const player = await createUser(db);
    const later = new Date(Date.now() + DAY);
    await expect(suspendAccount(db, admin, { userId: admin.id, reason: "x", until: later })).rejects.toThrow(Forbidden);
    await expect(suspendAccount(db, admin, { userId: other.id, reason: "x", until: later })).rejects.toThrow(/Change their role first/);
    const past = suspendAccount(db, admin, { userId: player.id, reason: "x", until: new Date(Date.now() - 1_000) });
    await expect(past).rejects.toThrow(Invalid);
    await expect(past).rejects.toMatchObject({ fieldErrors: { until: [expect.stringMatching(/future/)] } });
    await expect(suspendAccount(db, admin, { userId: crypto.randomUUID(), reason: "x", until: null })).rejects.toThrow(NotFound);
    for (const user of [admin, other, player]) {
      expect(await suspensionOf(db, user.id)).toBeNull();
      expect(await sessionVersionOf(db, user.id)).toBe(0);
    }
    expect(await db.select().from(auditLog).where(eq(auditLog.actorId, admin.id))).toEqual([]);
  });
});

describe("lifting a suspension", () => {
  it("lets the player sign in again, audits it with the note and tells them", async () => {
    const [admin, player] = await Promise.all([createUser(db, { role: "admin" }), createUser(db)]);
    await suspendAccount(db, admin, { userId: player.id, reason: "Toxic", until: null });
    await liftAccountSuspension(db, admin, { userId: player.id, note: "Appeal accepted" });
    expect(await signIn(player.email)).toMatchObject({ status: "ok" });
    expect(await suspensionOf(db, player.id)).toBeNull();
    const [lifted] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetUserId, player.id), eq(auditLog.action, "user.suspension_lifted")));
    expect(lifted).toMatchObject({
      actorId: admin.id,
      details: { note: "Appeal accepted", reason: "Toxic", until: null, wasInForce: true },
    });
    expect(await notificationKeys(player.id)).toEqual([expect.stringMatching(":suspended:"), expect.stringMatching(":suspension-lifted:")]);
    await expect(liftAccountSuspension(db, admin, { userId: player.id })).rejects.toThrow(Conflict);
  });

  it("is not needed once the end passed: the player signs in again with no action", async () => {
    const [admin, player] = await Promise.all([createUser(db, { role: "admin" }), createUser(db)]);
    await suspendAccount(db, admin, { userId: player.id, reason: "Short break", until: new Date(Date.now() + DAY) });
    expect((await signIn(player.email)).status).toBe("suspended");
    await db
      .update(users)
      .set({ suspendedUntil: new Date(Date.now() - 1_000) })
      .where(eq(users.id, player.id));
    expect(await signIn(player.email)).toMatchObject({ status: "ok", user: { id: player.id } });
  });
});

describe("admin procedures", () => {
  it("answer in words: an admin target is FORBIDDEN, a missing reason and a past end are field errors", async () => {
    const [admin, other, player] = await Promise.all([
      createUser(db, { role: "admin" }),
      createUser(db, { role: "admin" }),
      createUser(db),
    ]);
    const caller = appRouterCaller(db, admin);
    expect(await codeOf(caller.admin.suspendUser({ userId: other.id, reason: "x", until: null }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.admin.suspendUser({ userId: player.id, reason: "   ", until: null }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.admin.suspendUser({ userId: player.id, reason: "x".repeat(501), until: null }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.admin.suspendUser({ userId: player.id, reason: "x", until: new Date(0) }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.admin.liftSuspension({ userId: player.id }))).toBe("CONFLICT");
    expect(await codeOf(caller.admin.suspendUser({ userId: player.id, reason: "Cheating", until: null }))).toBe("OK");
    const page = await caller.admin.auditLog({ target: player.email });
    expect(page.entries.map((entry) => entry.action)).toEqual(["user.suspended"]);
  });

  it("list a user's suspension state on the users page", async () => {
    const [admin, player] = await Promise.all([createUser(db, { role: "admin" }), createUser(db, { name: "Listed Suspect" })]);
    const until = new Date(Date.now() + DAY);
    await suspendAccount(db, admin, { userId: player.id, reason: "Listed", until });
    const { users: listed } = await appRouterCaller(db, admin).admin.users({ search: player.email });
    expect(listed).toEqual([expect.objectContaining({ id: player.id, suspendedUntil: until, suspensionReason: "Listed" })]);
  });
});

describe("the audit log read", () => {
  it("pages newest first with the actor's and target's names, and filters by actor, target, action and time", async () => {
    const [admin, player, bystander] = await Promise.all([
      createUser(db, { role: "admin", name: "Audit Admin" }),
      createUser(db, { name: "Audit Target" }),
      createUser(db),
    ]);
    const started = new Date();
    await suspendAccount(db, admin, { userId: player.id, reason: "First", until: null });
    await liftAccountSuspension(db, admin, { userId: player.id });
    await suspendAccount(db, admin, { userId: bystander.id, reason: "Other", until: null });

    const byActor = await auditLogPage(db, { actor: admin.id, page: 1 });
    expect(byActor.entries.map((entry) => [entry.action, entry.target?.name])).toEqual([
      ["user.suspended", bystander.name],
      ["user.suspension_lifted", "Audit Target"],
      ["user.suspended", "Audit Target"],
    ]);
    expect(byActor.entries[0]!.actor).toEqual({ id: admin.id, name: "Audit Admin", email: admin.email });
    expect(byActor).toMatchObject({ total: 3, page: 1, pageCount: 1 });
    expect(byActor.actions).toEqual(expect.arrayContaining(["user.suspended", "user.suspension_lifted"]));

    const byTarget = await auditLogPage(db, { target: "audit target", actor: "Audit Admin", page: 1 });
    expect(byTarget.entries.map((entry) => entry.action)).toEqual(["user.suspension_lifted", "user.suspended"]);
    const lifted = await auditLogPage(db, { actor: admin.email, action: "user.suspension_lifted", page: 1 });
    expect(lifted.total).toBe(1);
    expect((await auditLogPage(db, { actor: admin.id, from: new Date(Date.now() + 60_000), page: 1 })).entries).toEqual([]);
    expect((await auditLogPage(db, { actor: admin.id, to: started, page: 1 })).entries).toEqual([]);
    // LIKE's wildcards are searched for as themselves.
    expect((await auditLogPage(db, { actor: "%", page: 1 })).entries).toEqual([]);
    expect((await auditLogPage(db, { actor: admin.id, page: 2 })).entries).toEqual([]);
  });
});
