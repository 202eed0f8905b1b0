/** Dispute rows and who is on which side, read with or without a transaction. */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { MatchDisputeStatus } from "@/server/brackets/repository";
import type { SessionUser } from "@/server/accounts/roles";
import { canManage } from "@/server/brackets/access";
import type { Side } from "@/server/brackets/engine";
import type { StoredMatch } from "@/server/brackets/repository";
import { matchLabel } from "@/server/brackets/summary";

export interface DisputeRow {
  id: string;
  matchUuid: string;
  matchEngineId: string;
  bracketId: string;
  label: string;
  resets: number;
  matchResets: number;
  gameNumber: number;
  status: MatchDisputeStatus;
  side: Side | null;
  openedBy: string | null;
  reason: string | null;
  description: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolution: { winnerSide: Side | null; authority: string | null; note?: string } | null;
  eventId: string;
  eventName: string;
  organizerId: string;
  entrants: [string | null, string | null];
}

export async function readDispute(db: DbOrTx, disputeId: string): Promise<DisputeRow | null> {
  const rows = await db.execute<{
    id: string;
    match_uuid: string;
    engine_id: string;
    bracket_id: string;
    stage: string;
    round: number;
    position: number;
    resets: number;
    match_resets: number;
    game_number: number;
    status: MatchDisputeStatus;
    side: number | null;
    opened_by: string | null;
    reason: string | null;
    description: string | null;
    created_at: string;
    resolved_at: string | null;
    resolution: DisputeRow["resolution"];
    event_id: string;
    event_name: string;
    organizer_id: string;
    sides: StoredMatch["sides"];
  }>(sql`
    select d.id, m.id as match_uuid, m.match_id as engine_id, m.bracket_id, m.stage, m.round, m.position, d.resets, m.resets as match_resets,
      d.game_number, d.status, d.side, d.opened_by, d.reason, d.description, to_json(d.created_at)#>>'{}' as created_at,
      to_json(d.resolved_at)#>>'{}' as resolved_at, d.resolution, e.id as event_id, e.name as event_name, e.organizer_id, m.sides
    from match_disputes d join bracket_matches m on m.id = d.match_id join brackets b on b.id = m.bracket_id join events e on e.id = b.event_id
    where d.id = ${disputeId}`);
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    matchUuid: row.match_uuid,
    matchEngineId: row.engine_id,
    bracketId: row.bracket_id,
    label: matchLabel({ stage: row.stage as StoredMatch["stage"], round: row.round, position: row.position }),
    resets: row.resets,
    matchResets: row.match_resets,
    gameNumber: row.game_number,
    status: row.status,
    side: row.side as Side | null,
    openedBy: row.opened_by,
    reason: row.reason,
    description: row.description,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
    eventId: row.event_id,
    eventName: row.event_name,
    organizerId: row.organizer_id,
    entrants: [row.sides[0].entrant, row.sides[1].entrant],
  };
}

export interface MatchPlayer {
  userId: string;
  side: Side;
  captain: boolean;
  name: string;
  entrantName: string;
}

/** Every player of both sides of a match (a team entry: its whole roster). */
export async function playersOfMatch(db: DbOrTx, matchUuid: string): Promise<MatchPlayer[]> {
  const rows = await db.execute<{ user_id: string; side: number; captain: boolean; name: string; entrant_name: string }>(sql`
    select e.user_id, s.side, e.captain, u.name, e.name as entrant_name from bracket_matches m
    cross join lateral (values (0, m.sides->0->>'entrant'), (1, m.sides->1->>'entrant')) as s(side, entrant)
    join bracket_entrants e on e.bracket_id = m.bracket_id and e.entrant_id = s.entrant
    join user_directory u on u.id = e.user_id
    where m.id = ${matchUuid}
    order by s.side, e.captain desc, u.name`);
  return rows.map((row) => ({
    userId: row.user_id,
    side: row.side as Side,
    captain: row.captain,
    name: row.name,
    entrantName: row.entrant_name,
  }));
}

/** How `user` stands to a dispute: a player of a side, the organizer (or an admin), or nobody. */
export async function standing(db: DbOrTx, user: SessionUser | null, dispute: DisputeRow, players?: MatchPlayer[]) {
  const all = players ?? (await playersOfMatch(db, dispute.matchUuid));
  const mine = user ? all.find((player) => player.userId === user.id) : undefined;
  return { side: mine ? mine.side : null, manager: canManage(user, { organizerId: dispute.organizerId }), players: all };
}
