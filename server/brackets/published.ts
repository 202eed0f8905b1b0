/**
 * What the bracket publishes about a match's contested games for the domains above it (disputes
 * and, through the composition root, evidence storage): a contested game (a `match_disputes` row)
 * with its match and event, the contested games of a match or of an organizer's events, the
 * reports of a game, the bracket actions about a contested game, and the people of a match's sides.
 * The bracket owns these tables: it opens and closes a contested game when reports disagree or a
 * match is decided another way; the disputes domain adds statements and evidence on top.
 *
 * Every function takes the caller's `db` or `tx` and locks nothing: a change takes the bracket's
 * header lock first (server/brackets/access.ts lockMatchForChange) and reads through these after.
 */
import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { BracketActionKind, MatchDisputeStatus } from "@/db/schema/brackets";
import type { Side } from "./engine";
import type { StoredMatch } from "./repository";
import { labelsOfBracket, labelsOfBrackets } from "./summary";

/** How a contested game ended: for whom, on whose authority, with the decision's note. */
export type ContestResolution = { winnerSide: Side | null; authority: string | null; note?: string } | null;

/** A contested game with its match, bracket and event. */
export interface ContestedGame {
  id: string;
  matchUuid: string;
  matchEngineId: string;
  bracketId: string;
  label: string;
  /** The match's reset count when the game was contested, and the match's now. */
  resets: number;
  matchResets: number;
  gameNumber: number;
  status: MatchDisputeStatus;
  /** The side that raised it; null when the reports disagreed. */
  side: Side | null;
  openedBy: string | null;
  reason: string | null;
  description: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolution: ContestResolution;
  eventId: string;
  eventName: string;
  organizerId: string;
  entrants: [string | null, string | null];
}

/** One contested game by its id, with its match and event; null when there is none. */
export async function contestedGame(db: DbOrTx, disputeId: string): Promise<ContestedGame | null> {
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
    resolution: ContestResolution;
    event_id: string;
    event_name: string;
    organizer_id: string;
    sides: StoredMatch["sides"];
  }>(sql`
    select d.id, m.id as match_uuid, m.match_id as engine_id, m.bracket_id, m.stage, m.round, m.position, d.resets, m.resets as match_resets,
      d.game_number, d.status, d.side, d.opened_by, d.reason, d.description, to_json(d.created_at)#>>'{}' as created_at,
      to_json(d.resolved_at)#>>'{}' as resolved_at, d.resolution, e.id as event_id, e.name as event_name, e.organizer_id, m.sides
    from match_disputes d join bracket_matches m on m.id = d.match_id join brackets b on b.id = m.bracket_id
      join event_directory e on e.id = b.event_id
    where d.id = ${disputeId}`);
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    matchUuid: row.match_uuid,
    matchEngineId: row.engine_id,
    bracketId: row.bracket_id,
    label: (await labelsOfBracket(db, row.bracket_id)).get(row.engine_id)?.label ?? "A match",
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

/** A contested game as a match's page lists it. */
export interface ContestOfMatch {
  id: string;
  gameNumber: number;
  status: MatchDisputeStatus;
  side: number | null;
  reason: string | null;
  createdAt: string;
  resolvedAt: string | null;
  /** Who closed, withdrew or decided it (user_directory's name), when someone did. */
  resolvedByName: string | null;
  resolution: ContestResolution;
}

/** The contested games of a match (or only `disputeId` of it), oldest first: one statement. */
export async function contestsOfMatch(db: DbOrTx, matchUuid: string, disputeId?: string): Promise<ContestOfMatch[]> {
  const only = disputeId ? sql`and d.id = ${disputeId}` : sql``;
  const rows = await db.execute<{
    id: string;
    game_number: number;
    status: MatchDisputeStatus;
    side: number | null;
    reason: string | null;
    created_at: string;
    resolved_at: string | null;
    resolved_by_name: string | null;
    resolution: ContestResolution;
  }>(sql`
    select d.id, d.game_number, d.status, d.side, d.reason, to_json(d.created_at)#>>'{}' as created_at,
      to_json(d.resolved_at)#>>'{}' as resolved_at, u.name as resolved_by_name, d.resolution
    from match_disputes d left join user_directory u on u.id = d.resolved_by
    where d.match_id = ${matchUuid} ${only}
    order by d.created_at, d.id`);
  return rows.map((row) => ({
    id: row.id,
    gameNumber: row.game_number,
    status: row.status,
    side: row.side,
    reason: row.reason,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedByName: row.resolved_by_name,
    resolution: row.resolution,
  }));
}

/** A contested game as an organizer's queue lists it, with its match, event and the names of its sides. */
export interface QueuedContest {
  id: string;
  gameNumber: number;
  status: MatchDisputeStatus;
  reason: string | null;
  side: number | null;
  createdAt: string;
  resolvedAt: string | null;
  matchUuid: string;
  matchLabel: string;
  eventId: string;
  eventName: string;
  sides: [string | null, string | null];
}

/**
 * A keyset page of contested games, one statement: of the events `organizerId` runs (every event
 * when absent), optionally of one event; open ones, ended ones (resolved, withdrawn, closed) or
 * all; oldest first or newest first from `after` (the last row of the previous page). Up to `limit` rows.
 */
export async function contestPage(
  db: DbOrTx,
  input: {
    organizerId?: string;
    eventId?: string;
    status: "open" | "resolved" | "all";
    oldestFirst: boolean;
    after?: { createdAt: string; id: string };
    limit: number;
  },
): Promise<QueuedContest[]> {
  const filters: SQL[] = [];
  if (input.organizerId) filters.push(sql`e.organizer_id = ${input.organizerId}`);
  if (input.eventId) filters.push(sql`e.id = ${input.eventId}`);
  if (input.status === "open") filters.push(sql`d.status = 'open'`);
  if (input.status === "resolved") filters.push(sql`d.status in ('resolved', 'withdrawn', 'closed')`);
  if (input.after) {
    const { createdAt, id } = input.after;
    filters.push(
      input.oldestFirst
        ? sql`(d.created_at, d.id) > (${createdAt}::timestamptz, ${id}::uuid)`
        : sql`(d.created_at, d.id) < (${createdAt}::timestamptz, ${id}::uuid)`,
    );
  }
  const where = filters.length > 0 ? sql.join(filters, sql` and `) : sql`true`;
  const rows = await db.execute<{
    id: string;
    game_number: number;
    status: MatchDisputeStatus;
    reason: string | null;
    side: number | null;
    created_at: string;
    resolved_at: string | null;
    match_uuid: string;
    bracket_id: string;
    engine_id: string;
    event_id: string;
    event_name: string;
    side0: string | null;
    side1: string | null;
  }>(sql`
    select d.id, d.game_number, d.status, d.reason, d.side, to_json(d.created_at)#>>'{}' as created_at, to_json(d.resolved_at)#>>'{}' as resolved_at,
      m.id as match_uuid, m.bracket_id, m.match_id as engine_id, e.id as event_id, e.name as event_name,
      (select be.name from bracket_entrants be where be.bracket_id = m.bracket_id and be.entrant_id = m.sides->0->>'entrant' and be.captain) as side0,
      (select be.name from bracket_entrants be where be.bracket_id = m.bracket_id and be.entrant_id = m.sides->1->>'entrant' and be.captain) as side1
    from match_disputes d join bracket_matches m on m.id = d.match_id join brackets b on b.id = m.bracket_id
      join event_directory e on e.id = b.event_id
    where ${where}
    order by ${input.oldestFirst ? sql`d.created_at asc, d.id asc` : sql`d.created_at desc, d.id desc`}
    limit ${input.limit}`);
  const labels = await labelsOfBrackets(
    db,
    rows.map((row) => row.bracket_id),
  );
  return rows.map((row) => ({
    id: row.id,
    gameNumber: row.game_number,
    status: row.status,
    reason: row.reason,
    side: row.side,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    matchUuid: row.match_uuid,
    matchLabel: labels.get(row.bracket_id)?.get(row.engine_id)?.label ?? "A match",
    eventId: row.event_id,
    eventName: row.event_name,
    sides: [row.side0, row.side1],
  }));
}

/** A side's report of a game, with its reporter's name. */
export interface ShownReport {
  gameNumber: number;
  side: number;
  winnerSide: number;
  score: number[] | null;
  reporterName: string;
  updatedAt: string;
}

/**
 * The sides' reports of the match as it was after `resets` resets, by game then side: every game's,
 * or only game `gameNumber`'s.
 */
export async function shownReports(db: DbOrTx, matchUuid: string, resets: number, gameNumber?: number): Promise<ShownReport[]> {
  const rows = await db.execute<{
    game_number: number;
    side: number;
    winner_side: number;
    score: number[] | null;
    reporter_name: string;
    updated_at: string;
  }>(sql`
    select r.game_number, r.side, r.winner_side, r.score, u.name as reporter_name, to_json(r.updated_at)#>>'{}' as updated_at
    from match_reports r join user_directory u on u.id = r.reporter_id
    where r.match_id = ${matchUuid} and r.resets = ${resets} ${gameNumber === undefined ? sql`` : sql`and r.game_number = ${gameNumber}`}
    order by r.game_number, r.side`);
  return rows.map((row) => ({
    gameNumber: row.game_number,
    side: row.side,
    winnerSide: row.winner_side,
    score: row.score,
    reporterName: row.reporter_name,
    updatedAt: row.updated_at,
  }));
}

/** A bracket action as a trail shows it. */
export interface ShownAction {
  id: number;
  kind: BracketActionKind;
  actorName: string | null;
  detail: Record<string, unknown>;
  createdAt: string;
  undoneAt: string | null;
}

/**
 * The bracket actions about a contested game, oldest first: those that name it (opening it, a
 * report that withdrew it) and the decisions of its game made since it was raised.
 */
export async function actionsOfContest(
  db: DbOrTx,
  contest: Pick<ContestedGame, "id" | "bracketId" | "matchEngineId" | "gameNumber" | "createdAt">,
): Promise<ShownAction[]> {
  const rows = await db.execute<{
    id: number;
    kind: BracketActionKind;
    actor_name: string | null;
    detail: Record<string, unknown>;
    created_at: string;
    undone_at: string | null;
  }>(sql`
    select a.id, a.kind, u.name as actor_name, a.detail, to_json(a.created_at)#>>'{}' as created_at, to_json(a.undone_at)#>>'{}' as undone_at
    from bracket_actions a left join user_directory u on u.id = a.actor_id
    where a.bracket_id = ${contest.bracketId} and a.match_id = ${contest.matchEngineId}
      and (a.detail->>'disputeId' = ${contest.id}
        or (a.kind = 'dispute_resolved' and (a.detail->>'gameNumber')::int = ${contest.gameNumber} and a.created_at >= ${contest.createdAt}::timestamptz))
    order by a.id`);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    actorName: row.actor_name,
    detail: row.detail,
    createdAt: row.created_at,
    undoneAt: row.undone_at,
  }));
}

/** A player of a match's side. */
export interface MatchPlayer {
  userId: string;
  side: Side;
  captain: boolean;
  name: string;
  entrantName: string;
}

/** Every player of both sides of a match (a team entry: its whole roster), by side, captains first. */
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

/**
 * Who a contested game concerns, for `userId`: its event's organizer, and whether `userId` plays
 * on a side of its match. Null when there is no such contested game. One statement.
 */
export async function contestAudience(
  db: DbOrTx,
  disputeId: string,
  userId: string,
): Promise<{ organizerId: string; party: boolean } | null> {
  const rows = await db.execute<{ organizer_id: string; party: boolean }>(sql`
    select e.organizer_id, exists (
        select 1 from bracket_entrants be where be.bracket_id = m.bracket_id and be.user_id = ${userId}
          and be.entrant_id in (m.sides->0->>'entrant', m.sides->1->>'entrant')
      ) as party
    from match_disputes d join bracket_matches m on m.id = d.match_id join brackets b on b.id = m.bracket_id
      join event_directory e on e.id = b.event_id
    where d.id = ${disputeId}`);
  const row = rows[0];
  return row ? { organizerId: row.organizer_id, party: row.party } : null;
}
