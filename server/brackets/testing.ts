/**
 * Fixtures for the brackets tests: an organizer's event and a checked-in field, entered through
 * the registration and teams services (server/testing/entries.ts).
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { events } from "@/db/schema";
import { cancelEvent } from "@/server/registration/service";
import { bulkSoloEntries, soloEntries, teamEntry, type SoloEntryOptions } from "@/server/testing/entries";
import { createGame, createOpenEvent, createUser } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";
import { loadAllMatches, type StoredMatch } from "./repository";

type EventStatus = (typeof events.$inferSelect)["status"];

export async function bracketFixtures(db: Db) {
  const game = await createGame(db, { name: "Bracket Game" });
  const [organizer, otherOrganizer, admin] = await Promise.all([
    createUser(db, { role: "organizer" }),
    createUser(db, { role: "organizer" }),
    createUser(db, { role: "admin" }),
  ]);

  /**
   * A published, free event (check-in passed) of `organizer`. `status: "draft"` makes a draft;
   * `status: "cancelled"` publishes it and has the organizer cancel it through the service.
   */
  const openEvent = async (overrides: Parameters<typeof createOpenEvent>[2] = {}) => {
    const now = Date.now();
    const { status, ...rest } = overrides;
    if (status && status !== "draft" && status !== "published" && status !== "cancelled") {
      throw new Error(`openEvent makes draft, published or cancelled events; a ${status} event comes from its bracket.`);
    }
    const event = await createOpenEvent(
      db,
      { organizerId: organizer.id, gameId: game.id },
      {
        entryFee: 0,
        capacity: 256,
        registrationOpensAt: new Date(now - 10 * 3_600_000),
        registrationClosesAt: new Date(now - 3 * 3_600_000),
        checkInOpensAt: new Date(now - 3 * 3_600_000),
        checkInClosesAt: new Date(now - 3_600_000),
        startsAt: new Date(now - 60_000),
        ...rest,
        ...(status === "draft" ? { status } : {}),
      },
    );
    if (status === "cancelled") return cancelEvent(db, organizer, event.id, "Cancelled for the test.");
    return event;
  };

  /**
   * A status no service gives: an event put back to draft after its bracket started, or live again
   * from there. Not a user action (nothing un-publishes an event); for tests of what a draft hides.
   */
  const forceEventStatus = (eventId: string, status: EventStatus) => db.update(events).set({ status }).where(eq(events.id, eventId));

  return {
    game,
    organizer,
    otherOrganizer,
    admin,
    openEvent,
    soloEntries: (eventId: string, count: number, options: SoloEntryOptions = {}) => soloEntries(db, eventId, count, options),
    /** Thousands of entrants, written raw: see bulkSoloEntries. */
    bulkSoloEntries: (eventId: string, count: number) => bulkSoloEntries(db, eventId, count),
    teamEntry: (eventId: string, size: number) => teamEntry(db, eventId, size),
    forceEventStatus,
  };
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
  const [row] = await db.execute<SessionUser & Record<string, unknown>>(sql`
    select u.id, u.name, u.email, u.role, u.image, u.email_verified is not null as "emailVerified" from bracket_entrants e join users u on u.id = e.user_id
    where e.bracket_id = ${bracketId} and e.entrant_id = ${entrantId} and e.captain`);
  return row!;
}
