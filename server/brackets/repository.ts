/**
 * Bracket rows in and out of PostgreSQL: the header (locked per change), the match rows an
 * operation needs, and the multi-row writes. Raw SQL where it matters for speed: loading the
 * matches downstream of a result is one recursive query, and writing an operation's changed rows,
 * the header and the audit record is one statement.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { BracketEntrantInfo, BracketStatus, MatchReportState, PayoutStatus, ResultAuthority, StoredGame } from "@/db/schema/brackets";
import type { Bracket, BracketSettings, EntrantId, Format, Match, MatchId, Placement } from "./engine";
import type { BracketActionKind } from "@/db/schema/brackets";

/** The states a contested game goes through and the kinds of bracket action, for the disputes domain. */
export type { BracketActionKind, MatchDisputeStatus } from "@/db/schema/brackets";

/** A match row: the engine's match plus the reporting state the service keeps beside it. */
export interface StoredMatch extends Match {
  /** The public id (URLs, `match:<uuid>` topic). */
  uuid: string;
  /** Drawing order: standings and placements read matches in this order. */
  ordinal: number;
  games: StoredGame[];
  decidedBy: ResultAuthority | null;
  reportState: MatchReportState;
  resets: number;
  /** ISO 8601, or null. */
  calledAt: string | null;
  reportDeadline: string | null;
}

export interface BracketHeader {
  id: string;
  eventId: string;
  format: Format;
  settings: BracketSettings;
  groups: EntrantId[][];
  disqualified: EntrantId[];
  status: BracketStatus;
  version: number;
  openMatches: number;
  reportMinutes: number;
  payoutStatus: PayoutStatus;
  completedAt: string | null;
}

/** The header fields an action can change, as kept in its before/after record. */
export interface HeaderState {
  status: BracketStatus;
  disqualified: EntrantId[];
  openMatches: number;
  completedAt: string | null;
  payoutStatus: PayoutStatus;
}

export const headerState = (header: BracketHeader): HeaderState => ({
  status: header.status,
  disqualified: header.disqualified,
  openMatches: header.openMatches,
  completedAt: header.completedAt,
  payoutStatus: header.payoutStatus,
});

const iso = (column: string) => sql.raw(`to_json(${column})#>>'{}'`);

const HEADER_COLUMNS = sql`b.id, b.event_id, b.format, b.settings, b.groups, b.disqualified, b.status, b.version, b.open_matches,
  b.report_minutes, b.payout_status, ${iso("b.completed_at")} as completed_at`;

type HeaderRow = {
  id: string;
  event_id: string;
  format: Format;
  settings: BracketSettings;
  groups: EntrantId[][];
  disqualified: EntrantId[];
  status: BracketStatus;
  version: number;
  open_matches: number;
  report_minutes: number;
  payout_status: PayoutStatus;
  completed_at: string | null;
};

function toHeader(row: HeaderRow): BracketHeader {
  return {
    id: row.id,
    eventId: row.event_id,
    format: row.format,
    settings: row.settings,
    groups: row.groups,
    disqualified: row.disqualified,
    status: row.status,
    version: row.version,
    openMatches: row.open_matches,
    reportMinutes: row.report_minutes,
    payoutStatus: row.payout_status,
    completedAt: row.completed_at,
  };
}

/**
 * The header, locked: every change to one bracket takes this lock first, so changes of a bracket
 * are serialized (and reports from both sides of a game see each other). Entrants are not read:
 * results in elimination brackets never need them.
 */
export async function lockHeader(tx: DbOrTx, bracketId: string): Promise<BracketHeader | null> {
  const rows = await tx.execute<HeaderRow>(sql`select ${HEADER_COLUMNS} from brackets b where b.id = ${bracketId} for update`);
  return rows[0] ? toHeader(rows[0]) : null;
}

export interface LockedMatch {
  header: BracketHeader;
  matchId: MatchId;
  event: {
    id: string;
    name: string;
    organizerId: string;
    status: import("@/lib/event-values").EventStatus;
    participantType: "solo" | "team";
  };
}

/** The header of the match's bracket, locked, with the match's engine id and its event: one round trip. */
export async function lockHeaderOfMatch(tx: DbOrTx, matchUuid: string): Promise<LockedMatch | null> {
  const rows = await tx.execute<
    HeaderRow & {
      match_id: string;
      name: string;
      organizer_id: string;
      event_status: LockedMatch["event"]["status"];
      participant_type: "solo" | "team";
    }
  >(sql`
    select ${HEADER_COLUMNS}, m.match_id, e.name, e.organizer_id, e.status as event_status, e.participant_type
    from bracket_matches m join brackets b on b.id = m.bracket_id join event_directory e on e.id = b.event_id
    where m.id = ${matchUuid}
    for update of b`);
  const row = rows[0];
  if (!row) return null;
  return {
    header: toHeader(row),
    matchId: row.match_id,
    event: {
      id: row.event_id,
      name: row.name,
      organizerId: row.organizer_id,
      status: row.event_status,
      participantType: row.participant_type,
    },
  };
}

export async function readHeaderByEvent(db: DbOrTx, eventId: string): Promise<BracketHeader | null> {
  const rows = await db.execute<HeaderRow>(sql`select ${HEADER_COLUMNS} from brackets b where b.event_id = ${eventId}`);
  return rows[0] ? toHeader(rows[0]) : null;
}

/** The bracket's entrants by seed (their captain rows). */
export async function readEntrants(db: DbOrTx, bracketId: string, ids?: readonly EntrantId[]): Promise<BracketEntrantInfo[]> {
  const only = ids ? sql`and entrant_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))` : sql``;
  const rows = await db.execute<{ id: string; seed: number; name: string; team_id: string | null; user_id: string }>(sql`
    select entrant_id as id, seed, name, team_id, user_id from bracket_entrants where bracket_id = ${bracketId} and captain ${only} order by seed`);
  return rows.map((row) => ({ id: row.id, seed: row.seed, name: row.name, teamId: row.team_id, userId: row.user_id }));
}

export const MATCH_COLUMNS = sql`m.match_id, m.id, m.stage, m.round, m.position, m.ordinal, m.status, m.best_of, m.sides, m.games, m.result,
  m.next_win, m.next_lose, m.played_if, m.decided_by, m.report_state, m.resets,
  ${iso("m.called_at")} as called_at, ${iso("m.report_deadline")} as report_deadline`;

export type MatchRow = {
  match_id: string;
  id: string;
  stage: Match["stage"];
  round: number;
  position: number;
  ordinal: number;
  status: Match["status"];
  best_of: number;
  sides: Match["sides"];
  games: StoredGame[];
  result: Match["result"];
  next_win: Match["nextWin"];
  next_lose: Match["nextLose"];
  played_if: Match["playedIf"];
  decided_by: ResultAuthority | null;
  report_state: MatchReportState;
  resets: number;
  called_at: string | null;
  report_deadline: string | null;
};

export function toStored(row: MatchRow): StoredMatch {
  return {
    id: row.match_id,
    uuid: row.id,
    stage: row.stage,
    round: row.round,
    position: row.position,
    ordinal: row.ordinal,
    bestOf: row.best_of,
    sides: row.sides,
    nextWin: row.next_win,
    nextLose: row.next_lose,
    playedIf: row.played_if,
    status: row.status,
    games: row.games,
    result: row.result,
    decidedBy: row.decided_by,
    reportState: row.report_state,
    resets: row.resets,
    calledAt: row.called_at,
    reportDeadline: row.report_deadline,
  };
}

/**
 * `matchIds` and the matches downstream of them (through next_win / next_lose, transitively; with
 * `depth`, only that many steps on), plus the matches a loaded match is conditional on (played_if:
 * the grand final reset reads GF-1): what the engine reads to report, correct or clear a result.
 * O(depth) rows, never the whole bracket.
 */
export async function loadDownstream(
  tx: DbOrTx,
  bracketId: string,
  matchIds: readonly MatchId[],
  depth: number | null = null,
): Promise<Map<MatchId, StoredMatch>> {
  // Each step looks one row up by primary key: `offset 0` keeps the planner from turning the
  // lookups into a hash join over every row of the table (a sequential scan per recursion level).
  const rows = await tx.execute<MatchRow>(sql`
    with recursive down(match_id, depth) as (
      select value, 0 from jsonb_array_elements_text(${JSON.stringify(matchIds)}::jsonb)
      union
      select next.match_id, d.depth + 1 from down d
        cross join lateral (
          select m.next_win->>'match' as win, m.next_lose->>'match' as lose from bracket_matches m
          where m.bracket_id = ${bracketId} and m.match_id = d.match_id offset 0
        ) as m
        cross join lateral (values (m.win), (m.lose)) as next(match_id)
        where next.match_id is not null and d.depth < ${depth ?? 1_000}
    ), ids as (
      select distinct match_id from down
    ), loaded as (
      select m.* from ids d
        cross join lateral (select * from bracket_matches m where m.bracket_id = ${bracketId} and m.match_id = d.match_id offset 0) as m
    )
    select ${MATCH_COLUMNS} from loaded m
    union all
    select ${MATCH_COLUMNS} from (select distinct played_if->>'match' as match_id from loaded where played_if is not null) l
      cross join lateral (select * from bracket_matches m where m.bracket_id = ${bracketId} and m.match_id = l.match_id offset 0) as m
      where not exists (select 1 from ids d where d.match_id = l.match_id)`);
  return new Map(rows.map((row) => [row.match_id, toStored(row)]));
}

export async function loadAllMatches(db: DbOrTx, bracketId: string): Promise<Map<MatchId, StoredMatch>> {
  const rows = await db.execute<MatchRow>(
    sql`select ${MATCH_COLUMNS} from bracket_matches m where m.bracket_id = ${bracketId} order by m.ordinal`,
  );
  return new Map(rows.map((row) => [row.match_id, toStored(row)]));
}

export async function loadMatchByUuid(db: DbOrTx, uuid: string): Promise<(StoredMatch & { bracketId: string }) | null> {
  const rows = await db.execute<MatchRow & { bracket_id: string }>(
    sql`select m.bracket_id, ${MATCH_COLUMNS} from bracket_matches m where m.id = ${uuid}`,
  );
  return rows[0] ? { ...toStored(rows[0]), bracketId: rows[0].bracket_id } : null;
}

/** The engine's view of the header plus the given rows (a part of the bracket, or all of it). */
export function engineBracket(
  header: BracketHeader,
  matches: Map<MatchId, StoredMatch>,
  entrants: { id: EntrantId; seed: number }[] = [],
): Bracket {
  return {
    settings: header.settings,
    entrants: entrants.map((entrant) => ({ id: entrant.id, seed: entrant.seed })),
    groups: header.groups,
    disqualified: header.disqualified,
    matches: Object.fromEntries(matches) as Record<MatchId, Match>,
  };
}

/** A row as jsonb_to_recordset reads it. */
function recordOf(match: StoredMatch) {
  return {
    match_id: match.id,
    id: match.uuid,
    stage: match.stage,
    round: match.round,
    position: match.position,
    ordinal: match.ordinal,
    status: match.status,
    best_of: match.bestOf,
    sides: match.sides,
    games: match.games,
    result: match.result,
    next_win: match.nextWin,
    next_lose: match.nextLose,
    played_if: match.playedIf,
    decided_by: match.decidedBy,
    report_state: match.reportState,
    resets: match.resets,
    called_at: match.calledAt,
    report_deadline: match.reportDeadline,
  };
}

const RECORDSET = sql`r(match_id text, id uuid, stage text, round int, position int, ordinal int, status text, best_of int, sides jsonb,
  games jsonb, result jsonb, next_win jsonb, next_lose jsonb, played_if jsonb, decided_by text, report_state text, resets int,
  called_at timestamptz, report_deadline timestamptz)`;

const SELECT_RECORDS = (bracketId: string, json: string) => sql`
  select ${bracketId}::uuid, r.match_id, r.id, r.stage, r.round, r.position, r.ordinal, r.status::bracket_match_status, r.best_of, r.sides,
    coalesce(r.games, '[]'::jsonb), nullif(r.result, 'null'::jsonb), nullif(r.next_win, 'null'::jsonb), nullif(r.next_lose, 'null'::jsonb),
    nullif(r.played_if, 'null'::jsonb), r.decided_by::result_authority, r.report_state::match_report_state, r.resets, r.called_at,
    r.report_deadline, now()
  from jsonb_to_recordset(${json}::jsonb) as ${RECORDSET}`;

const INSERT_INTO = sql`insert into bracket_matches (bracket_id, match_id, id, stage, round, position, ordinal, status, best_of, sides, games,
  result, next_win, next_lose, played_if, decided_by, report_state, resets, called_at, report_deadline, updated_at)`;

export interface ActionRecord {
  kind: BracketActionKind;
  actorId: string | null;
  matchId: MatchId | null;
  detail: Record<string, unknown>;
  before: unknown;
  after: unknown;
  touched: MatchId[];
}

export interface HeaderWrite extends HeaderState {
  version: number;
  /** undefined: unchanged. */
  placements?: Placement[] | null;
}

/**
 * Writes an operation in one statement: the changed and new match rows (upsert from one jsonb
 * array), removed rows (undo of a Swiss pairing), the header, and the audit record. Returns the
 * action's id, and (read in the same round trip) the players of `playersOf` entrants.
 */
export async function writeChange(
  tx: DbOrTx,
  bracketId: string,
  input: {
    upsert: readonly StoredMatch[];
    remove: readonly MatchId[];
    header: HeaderWrite;
    action: ActionRecord;
    playersOf?: readonly EntrantId[];
  },
): Promise<{ actionId: number; players: { entrantId: EntrantId; userId: string }[] }> {
  const { header, action } = input;
  const placements =
    header.placements === undefined
      ? sql`placements`
      : sql`${header.placements === null ? null : JSON.stringify(header.placements)}::jsonb`;
  const upsert =
    input.upsert.length === 0
      ? sql``
      : sql`upserted as (${INSERT_INTO} ${SELECT_RECORDS(bracketId, JSON.stringify(input.upsert.map(recordOf)))}
          on conflict (bracket_id, match_id) do update set status = excluded.status, sides = excluded.sides, games = excluded.games,
            result = excluded.result, decided_by = excluded.decided_by, report_state = excluded.report_state, resets = excluded.resets,
            called_at = excluded.called_at, report_deadline = excluded.report_deadline, updated_at = excluded.updated_at),`;
  const remove =
    input.remove.length === 0
      ? sql``
      : sql`removed as (delete from bracket_matches where bracket_id = ${bracketId}
          and match_id in (select jsonb_array_elements_text(${JSON.stringify(input.remove)}::jsonb))),`;
  const rows = await tx.execute<{ id: number; players: [string, string][] }>(sql`
    with ${upsert} ${remove} header as (
      update brackets set version = ${header.version}, status = ${header.status}::bracket_status,
        disqualified = ${JSON.stringify(header.disqualified)}::jsonb, open_matches = ${header.openMatches},
        completed_at = ${header.completedAt}::timestamptz, payout_status = ${header.payoutStatus}::bracket_payout_status,
        placements = ${placements}
      where id = ${bracketId}
    ), action as (
      insert into bracket_actions (bracket_id, match_id, touched, actor_id, kind, detail, before, after)
      values (${bracketId}, ${action.matchId}, array(select jsonb_array_elements_text(${JSON.stringify(action.touched)}::jsonb)),
        ${action.actorId}, ${action.kind}::bracket_action_kind, ${JSON.stringify(action.detail)}::jsonb,
        ${JSON.stringify(action.before ?? null)}::jsonb, ${JSON.stringify(action.after ?? null)}::jsonb)
      returning id
    )
    select (select id from action) as id,
      coalesce((select json_agg(json_build_array(e.entrant_id, e.user_id)) from bracket_entrants e
        where e.bracket_id = ${bracketId} and e.entrant_id in (select jsonb_array_elements_text(${JSON.stringify(input.playersOf ?? [])}::jsonb))), '[]') as players`);
  const row = rows[0]!;
  return { actionId: Number(row.id), players: row.players.map(([entrantId, userId]) => ({ entrantId, userId })) };
}

/** Records an action that changed no match row (a call, an announcement). */
export async function recordAction(
  tx: DbOrTx,
  bracketId: string,
  action: Omit<ActionRecord, "before" | "after" | "touched"> & Partial<ActionRecord>,
): Promise<number> {
  const rows = await tx.execute<{ id: number }>(sql`
    insert into bracket_actions (bracket_id, match_id, touched, actor_id, kind, detail, before, after)
    values (${bracketId}, ${action.matchId}, array(select jsonb_array_elements_text(${JSON.stringify(action.touched ?? [])}::jsonb)),
      ${action.actorId}, ${action.kind}::bracket_action_kind, ${JSON.stringify(action.detail)}::jsonb,
      ${JSON.stringify(action.before ?? null)}::jsonb, ${JSON.stringify(action.after ?? null)}::jsonb)
    returning id`);
  return Number(rows[0]!.id);
}

/** Who plays for each of `entrantIds`: user ids, and whether they report for the entrant. */
export async function playersOf(
  db: DbOrTx,
  bracketId: string,
  entrantIds: readonly EntrantId[],
): Promise<{ entrantId: EntrantId; userId: string; captain: boolean }[]> {
  if (entrantIds.length === 0) return [];
  const rows = await db.execute<{ entrant_id: string; user_id: string; captain: boolean }>(sql`
    select entrant_id, user_id, captain from bracket_entrants
    where bracket_id = ${bracketId} and entrant_id in (select jsonb_array_elements_text(${JSON.stringify(entrantIds)}::jsonb))`);
  return rows.map((row) => ({ entrantId: row.entrant_id, userId: row.user_id, captain: row.captain }));
}
