import { and, asc, count, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ACTIVE_REGISTRATION, registrations } from "@/db/schema/registration";
import { eventDirectory } from "@/server/events/directory";
import type { TeamEntries } from "@/server/teams/entries";

/**
 * What the teams domain asks about a team's entries (server/teams/entries.ts), answered by the
 * registration domain that owns them; server/composition.ts registers the answers.
 */

/** The event that locks the team's roster, if any: checked in (confirmed) to an event not over. */
export async function teamRosterLock(db: DbOrTx, teamId: string): Promise<{ eventId: string; eventName: string } | null> {
  const [row] = await db
    .select({ eventId: eventDirectory.id, eventName: eventDirectory.name })
    .from(registrations)
    .innerJoin(eventDirectory, eq(eventDirectory.id, registrations.eventId))
    .where(
      and(
        eq(registrations.teamId, teamId),
        eq(registrations.status, "confirmed"),
        sql`${registrations.checkedInAt} is not null`,
        sql`${eventDirectory.status} not in ('completed', 'cancelled')`,
      ),
    )
    .orderBy(asc(eventDirectory.startsAt))
    .limit(1);
  return row ?? null;
}

/** Entries the team holds now (paying, confirmed, waitlisted or offered). */
export async function activeTeamEntries(db: DbOrTx, teamId: string): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(registrations)
    .where(and(eq(registrations.teamId, teamId), sql`${registrations.status} in ${ACTIVE_REGISTRATION}`));
  return row?.value ?? 0;
}

/** Every entry the team ever made (they keep the team from being deleted). */
export async function teamEntryCount(db: DbOrTx, teamId: string): Promise<number> {
  const [row] = await db.select({ value: count() }).from(registrations).where(eq(registrations.teamId, teamId));
  return row?.value ?? 0;
}

/** Teams' questions about a team's entries, as registration answers them. */
export const registrationTeamEntries: TeamEntries = {
  rosterLock: teamRosterLock,
  activeEntries: activeTeamEntries,
  entryCount: teamEntryCount,
};
