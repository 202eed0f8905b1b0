/**
 * A player's match day: their current and next matches across every running bracket, as a solo
 * player or a member of a team entry, with the opponent (and the handle to invite in game: the
 * opponent's captain's handle for the event's game), the report deadline and where reporting
 * stands. A fixed number of queries whatever the number of matches: the matches, the opponents, the
 * handles, the events' games and the brackets' match names (each bracket's structure: see
 * engine/labels.ts).
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { gameHandlesOf } from "@/server/accounts/directory";
import { getEventRows } from "@/server/events/status";
import { MATCH_COLUMNS, type MatchRow, toStored } from "./repository";
import { labelsOfBrackets } from "./summary";

/** At most this many matches: far more than anyone plays at once, so the read stays bounded. */
export const CURRENT_MATCHES_LIMIT = 50;

export type MatchDayState = "waiting_for_opponent" | "ready" | "in_progress" | "awaiting_confirmation" | "disputed" | "overdue";

export async function currentMatches(db: Db, user: SessionUser) {
  const rows = await db.execute<
    MatchRow & { bracket_id: string; event_id: string; event_name: string; my_entrant: string; captain: boolean }
  >(sql`
    with mine as (
      select distinct on (e.bracket_id) e.bracket_id, e.entrant_id, e.captain
      from bracket_entrants e where e.user_id = ${user.id}
      order by e.bracket_id, e.captain desc
    )
    select m.bracket_id, b.event_id, ev.name as event_name, mine.entrant_id as my_entrant, mine.captain, ${MATCH_COLUMNS}
    from mine
    join brackets b on b.id = mine.bracket_id and b.status = 'running'
    join event_directory ev on ev.id = b.event_id and ev.status = 'live'
    join bracket_matches m on m.bracket_id = mine.bracket_id and m.status in ('pending', 'ready', 'in_progress')
      and mine.entrant_id in (m.sides->0->>'entrant', m.sides->1->>'entrant')
    order by m.status = 'pending', m.report_deadline nulls last, ev.starts_at, m.ordinal
    limit ${CURRENT_MATCHES_LIMIT}`);
  if (rows.length === 0) return [];

  const opponentKeys = rows.flatMap((row) => {
    const other = row.sides.find((side) => side.entrant !== null && side.entrant !== row.my_entrant)?.entrant;
    return other ? [{ bracketId: row.bracket_id, entrantId: other }] : [];
  });
  const [opponents, events, labels] = await Promise.all([
    opponentKeys.length === 0
      ? []
      : db.execute<{ bracket_id: string; entrant_id: string; name: string; user_id: string; team_id: string | null }>(sql`
          select e.bracket_id, e.entrant_id, e.name, e.user_id, e.team_id from bracket_entrants e
          join jsonb_to_recordset(${JSON.stringify(opponentKeys)}::jsonb) as k("bracketId" uuid, "entrantId" text)
            on e.bracket_id = k."bracketId" and e.entrant_id = k."entrantId"
          where e.captain`),
    getEventRows(
      db,
      rows.map((row) => row.event_id),
    ),
    labelsOfBrackets(
      db,
      rows.map((row) => row.bracket_id),
    ),
  ]);
  const opponentOf = new Map(opponents.map((o) => [`${o.bracket_id}:${o.entrant_id}`, o]));
  const gameOf = (eventId: string) => events.get(eventId)?.gameId ?? null;
  const handles = await gameHandlesOf(
    db,
    rows.flatMap((row) => {
      const other = row.sides.find((side) => side.entrant !== null && side.entrant !== row.my_entrant)?.entrant;
      const opponent = other ? opponentOf.get(`${row.bracket_id}:${other}`) : undefined;
      const gameId = gameOf(row.event_id);
      return opponent && gameId ? [{ userId: opponent.user_id, gameId }] : [];
    }),
  );

  return rows.map((row) => {
    const match = toStored(row);
    const mySide = match.sides.findIndex((side) => side.entrant === row.my_entrant) as 0 | 1;
    const other = match.sides[mySide === 0 ? 1 : 0].entrant;
    const opponent = other ? opponentOf.get(`${row.bracket_id}:${other}`) : undefined;
    const gameId = gameOf(row.event_id);
    const state: MatchDayState =
      match.status === "pending"
        ? "waiting_for_opponent"
        : match.reportState === "disputed"
          ? "disputed"
          : match.reportState === "awaiting"
            ? "awaiting_confirmation"
            : match.reportState === "overdue"
              ? "overdue"
              : match.status === "in_progress" || match.games.length > 0
                ? "in_progress"
                : "ready";
    return {
      id: match.uuid,
      bracketId: row.bracket_id,
      eventId: row.event_id,
      eventName: row.event_name,
      label: labels.get(row.bracket_id)?.get(match.id)?.label ?? "A match",
      bestOf: match.bestOf,
      mySide,
      captain: row.captain,
      score: [0, 1].map((side) => match.games.filter((game) => game.winner === side).length) as [number, number],
      opponent: opponent
        ? {
            name: opponent.name,
            isTeam: opponent.team_id !== null,
            handle: gameId ? (handles.get(`${opponent.user_id}:${gameId}`) ?? null) : null,
          }
        : null,
      reportDeadline: match.reportDeadline,
      state,
    };
  });
}
