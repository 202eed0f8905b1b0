import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, games, users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { DomainError, fieldErrorsOf } from "@/server/errors";
import { trpcCodeOf } from "@/server/trpc";
import { listUsers, setRole, signUp, updateProfile, getProfile } from "./service";

const { db } = await createTestDatabase();

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; fields: Record<string, string[]> | null }> {
  try {
    await promise;
    return { code: "OK", fields: null };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: trpcCodeOf(error), fields: fieldErrorsOf(error) };
  }
}

describe("sign up", () => {
  it("stores an argon2id hash, never the password, and makes a player", async () => {
    const user = await signUp(db, { name: "Mira", email: "mira@example.test", password: "hunter2hunter2" });
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row?.role).toBe("player");
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain("hunter2");
  });

  it("refuses an email already taken, in any letter case, as a field error on email", async () => {
    await signUp(db, { name: "First", email: "dup@example.test", password: "password-one" });
    const result = await codeOf(signUp(db, { name: "Second", email: "DUP@Example.test", password: "password-two" }));
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.fields?.email?.[0]).toMatch(/already exists/);
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(sql`lower(email) = 'dup@example.test'`);
    expect(count?.n).toBe(1);
  });

  it("lets exactly one of ten simultaneous sign-ups with one email through", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        codeOf(signUp(db, { name: `Racer ${i}`, email: "race@example.test", password: "password-race" })),
      ),
    );
    expect(attempts.filter((a) => a.code === "OK")).toHaveLength(1);
    expect(attempts.filter((a) => a.code === "BAD_REQUEST" && a.fields?.email)).toHaveLength(9);
  });
});

describe("profile", () => {
  it("saves name, country and handles, and an empty handle removes it", async () => {
    const user = await createUser(db);
    const [game] = await db
      .insert(games)
      .values({ slug: `g-${user.id}`, name: "Test Game", handleLabel: "Tag" })
      .returning();
    await updateProfile(db, user.id, { name: "Renamed", country: "SE", handles: { [game!.id]: "Renamed#EUW" } });
    expect(await getProfile(db, user.id)).toMatchObject({ name: "Renamed", country: "SE", handles: { [game!.id]: "Renamed#EUW" } });
    await updateProfile(db, user.id, { name: "Renamed", country: null, handles: { [game!.id]: "" } });
    expect(await getProfile(db, user.id)).toMatchObject({ country: null, handles: {} });
  });

  it("refuses a handle for a game that does not exist, changing nothing", async () => {
    const user = await createUser(db, { name: "Unchanged" });
    const result = await codeOf(updateProfile(db, user.id, { name: "Changed", country: null, handles: { [crypto.randomUUID()]: "x#1" } }));
    expect(result.code).toBe("BAD_REQUEST");
    expect(Object.keys(result.fields ?? {})[0]).toMatch(/^handles\./);
    expect((await getProfile(db, user.id)).name).toBe("Unchanged");
  });
});

describe("administration", () => {
  it("searches by name or email, case-insensitively, with pages", async () => {
    for (let i = 0; i < 25; i++) await createUser(db, { name: `Zebra ${i}`, email: `zebra${i}@stripes.test` });
    const first = await listUsers(db, { search: "ZEBRA", page: 1, pageSize: 10 });
    expect(first.total).toBe(25);
    expect(first.pageCount).toBe(3);
    expect(first.users).toHaveLength(10);
    const last = await listUsers(db, { search: "stripes.test", page: 3, pageSize: 10 });
    expect(last.users).toHaveLength(5);
    const ids = new Set([...first.users, ...last.users].map((u) => u.id));
    expect(ids.size).toBe(15);
    expect((await listUsers(db, { search: "100%_", page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("changes a role and records who did it", async () => {
    const admin = await createUser(db, { role: "admin" });
    const player = await createUser(db);
    expect(await setRole(db, admin, { userId: player.id, role: "organizer" })).toEqual({
      userId: player.id,
      role: "organizer",
      changed: true,
    });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.targetUserId, player.id));
    expect(audit).toMatchObject({ actorId: admin.id, action: "user.role_changed", details: { from: "player", to: "organizer" } });
  });

  it("will not let an admin change their own role, nor touch a user who does not exist", async () => {
    const admin = await createUser(db, { role: "admin" });
    expect((await codeOf(setRole(db, admin, { userId: admin.id, role: "player" }))).code).toBe("FORBIDDEN");
    expect((await codeOf(setRole(db, admin, { userId: crypto.randomUUID(), role: "player" }))).code).toBe("NOT_FOUND");
  });
});
