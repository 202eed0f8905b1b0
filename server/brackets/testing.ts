/** Fixtures for the brackets tests: an organizer's event and a checked-in field written straight to the tables. */
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { events, games, registrations, teamMembers, teams } from "@/db/schema";
import { createOpenEvent, createUser, insertPlayers } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";
import { loadAllMatches, type StoredMatch } from "./repository";

export async function bracketFixtures(db: Db) {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${crypto.randomUUID()}`, name: "Bracket Game", handleLabel: "Tag" })
    .returning();
  const [organizer, otherOrganizer, admin] = await Promise.all([
    createUser(db, { role: "organizer" }),
    createUser(db, { role: "organizer" }),
    createUser(db, { role: "admin" }),
  ]);

  /** A published, free event (check-in passed) of `organizer`. */
  const openEvent = (overrides: Parameters<typeof createOpenEvent>[2] = {}) => {
    const now = Date.now();
    return createOpenEvent(
      db,
      { organizerId: organizer.id, gameId: game!.id },
      {
        entryFee: 0,
        capacity: 256,
        registrationOpensAt: new Date(now - 10 * 3_600_000),
        registrationClosesAt: new Date(now - 3 * 3_600_000),
        checkInOpensAt: new Date(now - 3 * 3_600_000),
        checkInClosesAt: new Date(now - 3_600_000),
        startsAt: new Date(now - 60_000),
        ...overrides,
      },
    );
  };

  /**
   * `count` solo players with confirmed entries, checked in unless `checkedIn: false`, in
   * registration order (the first is the earliest).
   */
  async function soloEntries(
    eventId: string,
    count: number,
    options: { checkedIn?: boolean; status?: "confirmed" | "withdrawn"; fee?: number } = {},
  ) {
    const players = await insertPlayers(db, count);
    const base = Date.now() - 1_000_000;
    const rows = await db
      .insert(registrations)
      .values(
        players.map((player, i) => ({
          eventId,
          userId: player.id,
          status: options.status ?? ("confirmed" as const),
          idempotencyKey: crypto.randomUUID(),
          fee: options.fee ?? 0,
          walletAmount: options.fee ?? 0,
          createdAt: new Date(base + i * 10),
          confirmedAt: new Date(base + i * 10),
          checkedInAt: options.checkedIn === false ? null : new Date(),
        })),
      )
      .returning({ id: registrations.id, userId: registrations.userId });
    return rows.map((row, i) => ({ registrationId: row.id, player: players[i]! }));
  }

  /** A team of `size` (captain first) entered and checked in with its roster frozen. */
  async function teamEntry(eventId: string, size: number) {
    const members = await insertPlayers(db, size);
    const [team] = await db
      .insert(teams)
      .values({ name: `Team ${crypto.randomUUID().slice(0, 8)}`, tag: "TST", captainId: members[0]!.id })
      .returning({ id: teams.id });
    await db
      .insert(teamMembers)
      .values(members.map((m, i) => ({ teamId: team!.id, userId: m.id, role: i === 0 ? ("captain" as const) : ("member" as const) })));
    const [row] = await db
      .insert(registrations)
      .values({
        eventId,
        userId: members[0]!.id,
        teamId: team!.id,
        status: "confirmed",
        idempotencyKey: crypto.randomUUID(),
        fee: 0,
        confirmedAt: new Date(),
        checkedInAt: new Date(),
        roster: members.map((m) => m.id),
      })
      .returning({ id: registrations.id });
    return { registrationId: row!.id, teamId: team!.id, captain: members[0]!, members };
  }

  const setEventStatus = (eventId: string, status: (typeof events.$inferSelect)["status"]) =>
    db.update(events).set({ status }).where(eq(events.id, eventId));

  return { game: game!, organizer, otherOrganizer, admin, openEvent, soloEntries, teamEntry, setEventStatus };
}

export type Fixtures = Awaited<ReturnType<typeof bracketFixtures>>;

/** The bracket's rows by engine id. */
export async function rowsOf(db: Db, bracketId: string): Promise<Map<string, StoredMatch>> {
  return loadAllMatches(db, bracketId);
}

/** Jobs of `task` queued so far (payloads), oldest first. */
export async function queuedJobs(db: Db, task: string): Promise<Record<string, unknown>[]> {
  const rows = await db.execute<{ payload: Record<string, unknown> }>(sql`
    select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = ${task} order by j.id`);
  return rows.map((row) => row.payload);
}

/** The user who reports for `entrantId` (solo: the player). */
export async function reporterOf(db: Db, bracketId: string, entrantId: string): Promise<SessionUser> {
  const [row] = await db.execute<{ id: string; name: string; email: string; role: SessionUser["role"]; image: string | null }>(sql`
    select u.id, u.name, u.email, u.role, u.image from bracket_entrants e join users u on u.id = e.user_id
    where e.bracket_id = ${bracketId} and e.entrant_id = ${entrantId} and e.captain`);
  return row!;
}
