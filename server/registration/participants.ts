import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { registrations } from "@/db/schema/registration";
import { userDirectory } from "@/server/accounts/directory";

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

/** A checked-in entry as the brackets domain seeds it. */
export interface CheckedInEntry {
  registrationId: string;
  /** The registrant: the solo player, or whoever entered the team. */
  userId: string;
  teamId: string | null;
  /** The player's or the team's name. */
  name: string;
  /** Who reports for the entry: the solo player, or the team's captain. */
  captainId: string;
  /** Everyone who plays: the solo player, or the team's roster frozen at check-in. */
  playerIds: string[];
  /** The seed the organizer imported, if any (1 = best). */
  seed: number | null;
}

/** Confirmed, checked-in entries in registration order (first registered first). */
export async function checkedInEntries(db: DbOrTx, eventId: string): Promise<CheckedInEntry[]> {
  const rows = await db.execute<{
    registration_id: string;
    user_id: string;
    team_id: string | null;
    name: string;
    captain_id: string | null;
    player_ids: string[] | null;
    seed: number | null;
  }>(sql`
    select r.id as registration_id, r.user_id, r.team_id, coalesce(t.name, u.name) as name, t.captain_id, r.seed,
      case when r.team_id is null then null
        else coalesce(r.roster, (select array_agg(tm.user_id order by tm.joined_at, tm.user_id) from team_members tm where tm.team_id = r.team_id))
      end::text[] as player_ids
    from registrations r
    join user_directory u on u.id = r.user_id
    left join teams t on t.id = r.team_id
    where r.event_id = ${eventId} and r.status = 'confirmed' and r.checked_in_at is not null
    order by r.created_at, r.id`);
  return rows.map((row) => ({
    registrationId: row.registration_id,
    userId: row.user_id,
    teamId: row.team_id,
    name: row.name,
    captainId: row.captain_id ?? row.user_id,
    playerIds: row.player_ids && row.player_ids.length > 0 ? row.player_ids : [row.user_id],
    seed: row.seed,
  }));
}

/** How many entries checkedInEntries would return, counted without loading them. */
export async function checkedInCount(db: DbOrTx, eventId: string): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from registrations where event_id = ${eventId} and status = 'confirmed' and checked_in_at is not null`);
  return rows[0]?.n ?? 0;
}

/** Entry fees paid for the event's confirmed entries (fee less discount): the base of its prize pool. */
export async function confirmedFeesPaid(db: DbOrTx, eventId: string): Promise<number> {
  const rows = await db.execute<{ fees: string }>(sql`
    select coalesce(sum(fee - discount), 0)::bigint as fees from registrations where event_id = ${eventId} and status = 'confirmed'`);
  return Number(rows[0]?.fees ?? 0);
}

/** The players of each entry (a team's roster frozen at check-in; the player of a solo entry). */
export async function entryRosters(db: DbOrTx, registrationIds: readonly string[]): Promise<Map<string, string[]>> {
  if (registrationIds.length === 0) return new Map();
  const rows = await db.execute<{ id: string; players: string[] }>(sql`
    select r.id, coalesce(r.roster, array[r.user_id])::text[] as players from registrations r
    where r.id in (select jsonb_array_elements_text(${JSON.stringify(registrationIds)}::jsonb)::uuid)`);
  return new Map(rows.map((row) => [row.id, row.players]));
}

/** An event's public list of participants: confirmed entries, by seed, then by when they were confirmed. */
export async function listParticipants(db: DbOrTx, eventId: string) {
  return db
    .select({
      registrationId: registrations.id,
      userId: userDirectory.id,
      name: userDirectory.name,
      image: userDirectory.image,
      teamId: registrations.teamId,
      checkedIn: sql<boolean>`${registrations.checkedInAt} is not null`,
      seed: registrations.seed,
    })
    .from(registrations)
    .innerJoin(userDirectory, eq(userDirectory.id, registrations.userId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.seed), asc(registrations.confirmedAt));
}
