/**
 * The read side: the public bracket page, the bracket's part of the match page, the organizer
 * console and history, and a player's own matches. Public reads follow the event page: drafts are
 * hidden from everyone but their organizer and admins.
 */
import { shownReports } from "./published";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { BracketActionKind, BracketStatus, PayoutStatus, ResultAuthority } from "@/db/schema/brackets";
import type { SessionUser } from "@/server/accounts/roles";
import { assertManager, assertVisible, bracketIdOfEvent, canManage, eventRef, matchRef } from "./access";
import { isPlayable } from "./changes";
import { groupStandings, swissStandings, type BracketSettings, type Placement, type StandingRow } from "./engine";
import { engineBracket, loadAllMatches, loadMatchByUuid, readEntrants, readHeaderByEvent, type StoredMatch } from "./repository";
import type { consoleStates } from "./schemas";
import { NotFound } from "@/server/errors";
import { HARMLESS, UNDOABLE } from "./results";
import { labelsOfBracket, matchSummary } from "./summary";
import { type TrailActionRow, trailActions, trailEntry } from "./trail";

function compactMatch(match: StoredMatch) {
  return {
    ...matchSummary(match),
    sources: match.sides.map((side) => side.source) as [StoredMatch["sides"][0]["source"], StoredMatch["sides"][1]["source"]],
    nextWin: match.nextWin,
    nextLose: match.nextLose,
    playedIf: match.playedIf,
  };
}

/**
 * The bracket of an event for its public page: header, every match in a compact shape, entrant
 * names, standings (round robin groups; Swiss with Buchholz) and, once complete, placements and
 * payouts. `bracket: null` before the organizer starts it.
 */
export async function getBracket(db: Db, viewer: SessionUser | null, eventId: string) {
  const event = await eventRef(db, eventId);
  assertVisible(viewer, event);
  const header = await readHeaderByEvent(db, eventId);
  if (!header) return { event: { id: event.eventId, name: event.name, status: event.status }, bracket: null };
  const [[extra], entrants, matches, payouts] = [
    await db.execute<{ placements: Placement[] | null; payout_error: string | null; prize_pool: string | null; created_at: string }>(
      sql`select placements, payout_error, prize_pool, to_json(created_at)#>>'{}' as created_at from brackets where id = ${header.id}`,
    ),
    await readEntrants(db, header.id),
    await loadAllMatches(db, header.id),
    await db.execute<{ entrant_id: string; place: number; amount: string }>(
      sql`select entrant_id, place, amount from bracket_payouts where bracket_id = ${header.id} order by place, entrant_id`,
    ),
  ];
  const bracket = engineBracket(header, matches, entrants);
  const settings: BracketSettings = header.settings;
  let standings: { groups: StandingRow[][] | null; swiss: StandingRow[] | null } = { groups: null, swiss: null };
  if (settings.format === "round_robin" || settings.format === "groups_playoffs") {
    standings = { groups: header.groups.map((_, index) => groupStandings(bracket, index + 1)), swiss: null };
  } else if (settings.format === "swiss") {
    standings = { groups: null, swiss: swissStandings(bracket) };
  }
  const disqualified = new Set(header.disqualified);
  return {
    event: { id: event.eventId, name: event.name, status: event.status },
    bracket: {
      id: header.id,
      format: header.format,
      settings,
      status: header.status,
      version: header.version,
      reportMinutes: header.reportMinutes,
      createdAt: extra!.created_at,
      completedAt: header.completedAt,
      payoutStatus: header.payoutStatus,
      payoutError: canManage(viewer, event) ? extra!.payout_error : null,
      prizePool: extra!.prize_pool === null ? null : Number(extra!.prize_pool),
      entrants: entrants.map((entrant) => ({
        id: entrant.id,
        seed: entrant.seed,
        name: entrant.name,
        teamId: entrant.teamId,
        disqualified: disqualified.has(entrant.id),
      })),
      groups: header.groups,
      disqualified: header.disqualified,
      matches: [...matches.values()].map(compactMatch),
      standings,
      placements: extra!.placements,
      payouts: payouts.map((row) => ({ entrantId: row.entrant_id, place: row.place, amount: Number(row.amount) })),
    },
  };
}

type Dot = "won" | "lost" | "pending";

/** Per game: the winner and, for each side, its dot (won, lost, pending). */
function gameDots(match: StoredMatch) {
  const shown = match.result ? match.games.length : match.bestOf;
  return Array.from({ length: shown }, (_, i) => {
    const game = match.games[i];
    const dot = (side: 0 | 1): Dot => (!game ? "pending" : game.winner === side ? "won" : "lost");
    return {
      number: i + 1,
      winner: game?.winner ?? null,
      score: game?.score ?? null,
      authority: (game ? (game.authority ?? "organizer") : null) as ResultAuthority | null,
      dots: [dot(0), dot(1)] as [Dot, Dot],
    };
  });
}

/**
 * The bracket's part of one match's page: both sides with their players, games with dots, the
 * deadline, the reports (to the two sides and the organizer only), and the bracket actions of its
 * trail, unredacted, with whether the viewer sees reports (and so what a dispute says). The match
 * page itself (getMatch in server/disputes/match-page.ts) adds the disputes, merges their steps
 * into the trail and hides what outsiders may not see: serve that one, never this.
 */
export async function bracketMatchPage(db: Db, viewer: SessionUser | null, matchUuid: string) {
  const ref = await matchRef(db, matchUuid);
  assertVisible(viewer, ref);
  const match = (await loadMatchByUuid(db, matchUuid))!;
  const entrantIds = match.sides.map((side) => side.entrant).filter((id): id is string => id !== null);
  const [entrants, players, next] = [
    await readEntrants(db, ref.bracketId, entrantIds),
    await db.execute<{ entrant_id: string; user_id: string; captain: boolean; name: string; image: string | null }>(sql`
      select be.entrant_id, be.user_id, be.captain, u.name, u.image from bracket_entrants be join user_directory u on u.id = be.user_id
      where be.bracket_id = ${ref.bracketId} and be.entrant_id in (select jsonb_array_elements_text(${JSON.stringify(entrantIds)}::jsonb))
      order by be.captain desc, u.name`),
    await db.execute<{ match_id: string; id: string }>(sql`
      select match_id, id from bracket_matches where bracket_id = ${ref.bracketId}
        and match_id in (${match.nextWin?.match ?? ""}, ${match.nextLose?.match ?? ""})`),
  ];
  const manager = canManage(viewer, ref);
  const viewerSide = viewer ? (players.find((player) => player.user_id === viewer.id) ?? null) : null;
  const side = viewerSide ? match.sides.findIndex((s) => s.entrant === viewerSide.entrant_id) : -1;
  // The match's players and its organizer see reports and what a dispute says; everyone else sees
  // that a dispute happened and how it ended.
  const seesReports = manager || side >= 0;
  const [reports, audit] = [
    seesReports ? await shownReports(db, matchUuid, match.resets) : [],
    await trailActions(db, ref.bracketId, match.id),
  ];
  const labels = await labelsOfBracket(db, ref.bracketId);
  const byEntrant = new Map(entrants.map((entrant) => [entrant.id, entrant]));
  const uuidOf = new Map(next.map((row) => [row.match_id, row.id]));
  return {
    id: match.uuid,
    matchId: match.id,
    label: labels.get(match.id)?.label ?? "",
    event: { id: ref.eventId, name: ref.name, status: ref.status, participantType: ref.participantType },
    bracketId: ref.bracketId,
    stage: match.stage,
    round: match.round,
    position: match.position,
    status: match.status,
    bestOf: match.bestOf,
    result: match.result,
    decidedBy: match.decidedBy,
    reportState: match.reportState,
    calledAt: match.calledAt,
    reportDeadline: match.reportDeadline,
    sides: match.sides.map((s) => {
      const entrant = s.entrant ? byEntrant.get(s.entrant) : undefined;
      return {
        entrant: entrant ? { id: entrant.id, seed: entrant.seed, name: entrant.name, teamId: entrant.teamId } : null,
        bye: s.bye,
        source: s.source,
        players: s.entrant
          ? players
              .filter((player) => player.entrant_id === s.entrant)
              .map((player) => ({ userId: player.user_id, name: player.name, image: player.image, captain: player.captain }))
          : [],
      };
    }),
    games: gameDots(match),
    next: {
      win: match.nextWin ? { id: uuidOf.get(match.nextWin.match) ?? null, side: match.nextWin.side } : null,
      lose: match.nextLose ? { id: uuidOf.get(match.nextLose.match) ?? null, side: match.nextLose.side } : null,
    },
    reports: reports.map(({ updatedAt, ...report }) => ({ ...report, at: updatedAt })),
    /** Raising and resolving a dispute are among them; its other steps live in the dispute tables. */
    actions: audit.map((action) => trailEntry(action, match.id, labels)),
    seesReports,
    viewer: {
      side: side >= 0 ? side : null,
      canReport: side >= 0 && Boolean(viewerSide?.captain) && isPlayable(match.status),
      canManage: manager,
    },
  };
}

type ConsoleState = (typeof consoleStates)[number];

const stateFilter: Record<ConsoleState, ReturnType<typeof sql>> = {
  ready: sql`m.status = 'ready' and m.report_state = 'none'`,
  in_progress: sql`m.status = 'in_progress' and m.report_state = 'none'`,
  awaiting_reports: sql`m.status in ('ready', 'in_progress') and m.report_state = 'awaiting'`,
  disputed: sql`(m.report_state = 'disputed' or exists (select 1 from match_disputes d where d.match_id = m.id and d.status = 'open'))`,
  overdue: sql`m.status in ('ready', 'in_progress') and m.report_state = 'overdue'`,
};

const CONSOLE_LIMIT = 500;

/** The organizer console: matches in one state, in drawing order (at most 500, with the total). */
export async function consoleMatches(db: Db, actor: SessionUser, input: { eventId: string; state: ConsoleState }) {
  const event = await eventRef(db, input.eventId);
  assertManager(actor, event);
  const bracketId = await bracketIdOfEvent(db, input.eventId);
  if (!bracketId) return { total: 0, matches: [] };
  const rows = await db.execute<{
    id: string;
    match_id: string;
    stage: string;
    round: number;
    position: number;
    status: StoredMatch["status"];
    best_of: number;
    sides: StoredMatch["sides"];
    games: StoredMatch["games"];
    report_state: StoredMatch["reportState"];
    called_at: string | null;
    report_deadline: string | null;
    open_disputes: number;
    total: number;
  }>(sql`
    select m.id, m.match_id, m.stage, m.round, m.position, m.status, m.best_of, m.sides, m.games, m.report_state,
      to_json(m.called_at)#>>'{}' as called_at, to_json(m.report_deadline)#>>'{}' as report_deadline,
      (select count(*)::int from match_disputes d where d.match_id = m.id and d.status = 'open') as open_disputes,
      count(*) over ()::int as total
    from bracket_matches m where m.bracket_id = ${bracketId} and ${stateFilter[input.state]}
    order by m.report_deadline nulls last, m.ordinal
    limit ${CONSOLE_LIMIT}`);
  const ids = [...new Set(rows.flatMap((row) => row.sides.map((side) => side.entrant).filter((id): id is string => id !== null)))];
  const names = await readEntrants(db, bracketId, ids);
  const nameOf = new Map(names.map((row) => [row.id, row.name]));
  const labels = await labelsOfBracket(db, bracketId);
  return {
    total: rows[0]?.total ?? 0,
    matches: rows.map((row) => ({
      id: row.id,
      matchId: row.match_id,
      label: labels.get(row.match_id)?.label ?? "",
      status: row.status,
      bestOf: row.best_of,
      sides: row.sides.map((side) => ({ entrant: side.entrant, name: side.entrant ? (nameOf.get(side.entrant) ?? null) : null })),
      wins: [row.games.filter((game) => game.winner === 0).length, row.games.filter((game) => game.winner === 1).length],
      reportState: row.report_state,
      calledAt: row.called_at,
      reportDeadline: row.report_deadline,
      openDisputes: row.open_disputes,
    })),
  };
}

/** The signed-in player's matches in an event: playable first, then waiting, then decided. */
export async function myMatches(db: Db, user: SessionUser, input: { eventId: string }) {
  const event = await eventRef(db, input.eventId);
  assertVisible(user, event);
  const bracketId = await bracketIdOfEvent(db, input.eventId);
  if (!bracketId) return { bracketId: null, entrantId: null, matches: [] };
  const [mine] = await db.execute<{ entrant_id: string; captain: boolean }>(
    sql`select entrant_id, captain from bracket_entrants where bracket_id = ${bracketId} and user_id = ${user.id} limit 1`,
  );
  if (!mine) return { bracketId, entrantId: null, matches: [] };
  const rows = await loadAllMatchesOf(db, bracketId, mine.entrant_id);
  const order = (row: StoredMatch) => (isPlayable(row.status) ? 0 : row.status === "pending" ? 1 : 2);
  rows.sort((a, b) => order(a) - order(b) || a.round - b.round);
  const labels = await labelsOfBracket(db, bracketId);
  return {
    bracketId,
    entrantId: mine.entrant_id,
    captain: mine.captain,
    matches: rows.map((row) => ({ ...matchSummary(row), label: labels.get(row.id)?.label ?? "" })),
  };
}

async function loadAllMatchesOf(db: Db, bracketId: string, entrantId: string): Promise<StoredMatch[]> {
  const all = await loadAllMatches(db, bracketId);
  return [...all.values()].filter((row) => row.status !== "skipped" && row.sides.some((side) => side.entrant === entrantId));
}

const UNDOABLE_KINDS = new Set(UNDOABLE);
const HARMLESS_KINDS = new Set(HARMLESS);

/** The organizer's history of the bracket, newest first, and which action undo would take back. */
export async function bracketHistory(db: Db, actor: SessionUser, input: { eventId: string; limit: number }) {
  const event = await eventRef(db, input.eventId);
  assertManager(actor, event);
  const bracketId = await bracketIdOfEvent(db, input.eventId);
  if (!bracketId) throw new NotFound("This event's bracket has not been started.");
  const rows = await db.execute<Omit<TrailActionRow, "undid_match" | "undid_kind" | "entrant_name">>(sql`
    select a.id, a.kind, a.match_id, u.name as actor_name, a.detail, to_json(a.created_at)#>>'{}' as created_at, to_json(a.undone_at)#>>'{}' as undone_at
    from bracket_actions a left join user_directory u on u.id = a.actor_id where a.bracket_id = ${bracketId} order by a.id desc limit ${input.limit}`);
  let undoable: { id: number; kind: BracketActionKind } | null = null;
  for (const row of rows) {
    if (row.undone_at) continue;
    if (UNDOABLE_KINDS.has(row.kind)) {
      undoable = { id: row.id, kind: row.kind };
      break;
    }
    if (!HARMLESS_KINDS.has(row.kind)) break;
  }
  const labels = await labelsOfBracket(db, bracketId);
  return {
    undoable,
    actions: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      matchId: row.match_id,
      /** The match's public name, "Match 6 · Upper semifinal"; null for bracket-wide actions. */
      matchLabel: row.match_id ? (labels.get(row.match_id)?.label ?? null) : null,
      actorName: row.actor_name,
      detail: row.detail,
      at: row.created_at,
      undoneAt: row.undone_at,
    })),
  };
}

export type { BracketStatus, PayoutStatus };
