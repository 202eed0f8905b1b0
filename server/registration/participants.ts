import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/**
 * What other domains (chat) ask about who takes part in an event, answered by the registration
 * domain that owns entries. A participant holds a confirmed entry (checked in or not): their own,
 * or one of a team they are on. (A checked-in team's roster is frozen until the event is over, so
 * its current members are the players who play.)
 */

/** SQL subquery: the ids of the events `userId` takes part in, for `event_id in (...)`. */
export function participantEventIds(userId: string): SQL {
  return sql`select r.event_id from registrations r
    where r.status = 'confirmed'
      and (r.user_id = ${userId} or r.team_id in (select tm.team_id from team_members tm where tm.user_id = ${userId}))`;
}

export async function isConfirmedParticipant(db: DbOrTx, eventId: string, userId: string): Promise<boolean> {
  const rows = await db.execute<{ yes: boolean }>(sql`select ${eventId}::uuid in (${participantEventIds(userId)}) as yes`);
  return Boolean(rows[0]?.yes);
}

/** Every user taking part in the event: solo entrants and the current members of entered teams. */
export async function participantUserIds(db: DbOrTx, eventId: string): Promise<string[]> {
  const rows = await db.execute<{ user_id: string }>(sql`
    select r.user_id from registrations r where r.event_id = ${eventId} and r.status = 'confirmed' and r.team_id is null
    union
    select tm.user_id from registrations r join team_members tm on tm.team_id = r.team_id
      where r.event_id = ${eventId} and r.status = 'confirmed'`);
  return rows.map((row) => row.user_id);
}
