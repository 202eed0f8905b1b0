import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { events, games, users, type UserRole } from "@/db/schema";
import { sessionColumns, signUp } from "@/server/accounts/service";
import type { SessionUser } from "@/server/accounts/roles";

export const TEST_PASSWORD = "correct horse battery";

/** A real account made through the sign-up service, then given `role`. */
export async function createUser(
  db: Db,
  options: { role?: UserRole; name?: string; email?: string; password?: string; emailVerified?: boolean } = {},
): Promise<SessionUser> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const user = await signUp(db, {
    name: options.name ?? `Tester ${suffix}`,
    email: options.email ?? `tester-${suffix}@example.test`,
    password: options.password ?? TEST_PASSWORD,
  });
  const role = options.role ?? "player";
  // Most tests are about what a verified player does; verification itself is tested with `emailVerified: false`.
  const emailVerified = options.emailVerified ?? true;
  if (role !== "player" || emailVerified) {
    await db
      .update(users)
      .set({ role, emailVerified: emailVerified ? new Date() : null })
      .where(eq(users.id, user.id));
  }
  return { ...user, role, emailVerified };
}

/** A published event with registration open now, owned by `organizerId`; override any column. */
export async function createOpenEvent(
  db: Db,
  base: { organizerId: string; gameId: string },
  overrides: Partial<typeof events.$inferInsert> = {},
) {
  const now = Date.now();
  const [event] = await db
    .insert(events)
    .values({
      ...base,
      name: `Cup ${crypto.randomUUID().slice(0, 6)}`,
      format: "single_elimination",
      capacity: 8,
      entryFee: 1_000,
      registrationOpensAt: new Date(now - 3_600_000),
      registrationClosesAt: new Date(now + 86_400_000),
      checkInOpensAt: new Date(now + 86_400_000 + 1_000),
      checkInClosesAt: new Date(now + 90_000_000),
      startsAt: new Date(now + 90_000_000),
      status: "published",
      publishedAt: new Date(),
      ...overrides,
    })
    .returning();
  return event!;
}

/**
 * A game to hold events. No service creates games (they are seeded at start-up, see
 * server/demo/seed.ts), so this factory writes the row.
 */
export async function createGame(db: Db, options: { name?: string } = {}) {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${crypto.randomUUID()}`, name: options.name ?? "Test Game", handleLabel: "Tag" })
    .returning();
  return game!;
}

/**
 * Players inserted straight into the table (no argon2), for tests that need many. `name` names
 * the i-th player; the default (`P<i>-xxxx`) is short and may repeat across many calls. They get
 * no name key (null, like accounts from before keys): the unique index never refuses a null, so
 * thousands of inserted players cannot collide by accident. Tests of name uniqueness use createUser.
 */
export async function insertPlayers(db: Db, count: number, options: { name?: (i: number) => string } = {}): Promise<SessionUser[]> {
  const name = options.name ?? ((i: number) => `P${i}-${crypto.randomUUID().slice(0, 4)}`);
  return db
    .insert(users)
    .values(
      Array.from({ length: count }, (_, i) => ({
        name: name(i),
        email: `p-${crypto.randomUUID()}@example.test`,
        emailVerified: new Date(),
      })),
    )
    .returning(sessionColumns);
}
