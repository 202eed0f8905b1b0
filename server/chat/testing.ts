import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { games, registrations, teamMembers, teams, type RegistrationStatus } from "@/db/schema";
import { createOpenEvent, createUser, insertPlayers } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";

/** Fixtures for the chat tests: a game, an organizer with an open event, and entries written straight to the table. */
export async function chatFixtures(db: Db) {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${crypto.randomUUID()}`, name: "Chat Game", handleLabel: "Tag" })
    .returning();
  const [organizer, admin] = await Promise.all([createUser(db, { role: "organizer" }), createUser(db, { role: "admin" })]);

  const players = (count: number): Promise<SessionUser[]> => insertPlayers(db, count);
  const openEvent = (overrides: Parameters<typeof createOpenEvent>[2] = {}) =>
    createOpenEvent(db, { organizerId: organizer.id, gameId: game!.id }, { entryFee: 0, ...overrides });

  /** A free entry with the given status (confirmed by default); `teamId` for a team entry by its captain. */
  async function enter(eventId: string, userId: string, options: { status?: RegistrationStatus; teamId?: string } = {}) {
    const [row] = await db
      .insert(registrations)
      .values({
        eventId,
        userId,
        teamId: options.teamId ?? null,
        status: options.status ?? "confirmed",
        idempotencyKey: crypto.randomUUID(),
        fee: 0,
      })
      .returning({ id: registrations.id });
    return row!.id;
  }

  async function setStatus(registrationId: string, status: RegistrationStatus) {
    await db.update(registrations).set({ status }).where(eq(registrations.id, registrationId));
  }

  async function team(captain: SessionUser, members: SessionUser[]) {
    const [created] = await db
      .insert(teams)
      .values({ name: `Team ${crypto.randomUUID().slice(0, 8)}`, tag: "TST", captainId: captain.id })
      .returning({ id: teams.id });
    await db
      .insert(teamMembers)
      .values([
        { teamId: created!.id, userId: captain.id, role: "captain" as const },
        ...members.map((m) => ({ teamId: created!.id, userId: m.id, role: "member" as const })),
      ]);
    return created!.id;
  }

  return { organizer, admin, players, openEvent, enter, setStatus, team };
}

/** Payloads announced on `topic`, oldest first. */
export async function announced(db: Db, topic: string): Promise<Array<Record<string, unknown>>> {
  const rows = await db.execute<{ payload: Record<string, unknown> }>(
    sql`select payload from live_events where topic = ${topic} order by seq`,
  );
  return rows.map((r) => r.payload);
}
