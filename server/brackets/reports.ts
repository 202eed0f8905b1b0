/**
 * Player reporting and who decides a game.
 *
 * Each side (the solo player, or a team's captain) reports the winner of each game. Both sides
 * agreeing confirms the game at once (authority `agreement`); disagreeing opens a dispute on it.
 * A side may change its report until the game is confirmed, and may report ahead (game 2 before
 * game 1 is confirmed): games are confirmed in order. When the report deadline passes, a single
 * report stands (`deadline`); a game nobody reported leaves the match overdue for the organizer.
 *
 * Authority, highest first: organizer > dispute > agreement > deadline. A lower authority never
 * replaces a higher one's decision (see games.ts `mayOverride`): a report or a deadline job that
 * comes after the organizer decided changes nothing.
 *
 * Everything runs under the bracket's header lock, so the two sides reporting the same game at the
 * same moment are serialized: the second sees the first's report and the game ends confirmed or
 * disputed, never both.
 */
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import type { MatchReportState, ResultAuthority, StoredGame } from "@/db/schema/brackets";
import type { SessionUser } from "@/server/accounts/roles";
import { DomainError, Forbidden, Invalid } from "@/server/errors";
import { notify } from "@/server/notifications/service";
import { lockMatchForChange, type MatchRef } from "./access";
import { applyChange, isPlayable, type RowOverride } from "./changes";
import type { Side } from "./engine";
import { majorityOf, mayOverride, updateForGames } from "./games";
import { loadForMatch, runEngine, type LoadedMatch } from "./operation";
import { playersOf, type StoredMatch } from "./repository";
import { matchLabel, matchSummary, type MatchSummary } from "./summary";

export interface GameReport {
  gameNumber: number;
  side: Side;
  winnerSide: Side;
  score: [number, number] | null;
  reporterId: string;
}

export interface OpenDispute {
  id: string;
  gameNumber: number;
}

export async function reportsOf(tx: DbOrTx, match: StoredMatch): Promise<GameReport[]> {
  const rows = await tx.execute<{
    game_number: number;
    side: number;
    winner_side: number;
    score: number[] | null;
    reporter_id: string;
  }>(sql`
    select game_number, side, winner_side, score, reporter_id from match_reports where match_id = ${match.uuid} and resets = ${match.resets}`);
  return rows.map((row) => ({
    gameNumber: row.game_number,
    side: row.side as Side,
    winnerSide: row.winner_side as Side,
    score: row.score ? [row.score[0]!, row.score[1]!] : null,
    reporterId: row.reporter_id,
  }));
}

export async function openDisputesOf(tx: DbOrTx, match: StoredMatch): Promise<OpenDispute[]> {
  const rows = await tx.execute<{ id: string; game_number: number }>(sql`
    select id, game_number from match_disputes where match_id = ${match.uuid} and resets = ${match.resets} and status = 'open'`);
  return rows.map((row) => ({ id: row.id, gameNumber: row.game_number }));
}

export interface Evaluation {
  /** The match's games with every game the reports now confirm appended. */
  games: StoredGame[];
  state: MatchReportState;
  /** The game the sides disagree on (or that is under dispute), if reporting stops there. */
  disputeGame: number | null;
}

function agreedScore(a: GameReport, b: GameReport): { score?: [number, number] } {
  if (a.score && b.score) return a.score[0] === b.score[0] && a.score[1] === b.score[1] ? { score: a.score } : {};
  const score = a.score ?? b.score;
  return score ? { score } : {};
}

/**
 * What the reports decide, game by game from the first unconfirmed one: both sides the same winner,
 * confirmed; different winners (or an open dispute), stop: disputed; one report, stop: awaiting the
 * other side (at the deadline: it stands); none, stop (at the deadline: overdue).
 */
export function evaluateReports(
  match: StoredMatch,
  reports: readonly GameReport[],
  disputedGames: ReadonlySet<number>,
  atDeadline: boolean,
): Evaluation {
  const games = [...match.games];
  // A dispute on a game already confirmed holds the match where it is: no later game is confirmed
  // (and the match cannot be won) until the organizer decides it. The reports wait.
  if ([...disputedGames].some((number) => number <= games.length)) return { games, state: "disputed", disputeGame: null };
  const byGame = new Map<number, [GameReport | undefined, GameReport | undefined]>();
  for (const report of reports) {
    const pair = byGame.get(report.gameNumber) ?? [undefined, undefined];
    pair[report.side] = report;
    byGame.set(report.gameNumber, pair);
  }
  for (;;) {
    const number = games.length + 1;
    if (majorityOf(match.bestOf, games) || number > match.bestOf) return { games, state: "none", disputeGame: null };
    const [a, b] = byGame.get(number) ?? [undefined, undefined];
    if (a && b) {
      if (a.winnerSide !== b.winnerSide) return { games, state: "disputed", disputeGame: number };
      games.push({ winner: a.winnerSide, ...agreedScore(a, b), authority: "agreement" });
      continue;
    }
    if (disputedGames.has(number)) return { games, state: "disputed", disputeGame: number };
    const single = a ?? b;
    if (!single) return { games, state: atDeadline ? "overdue" : "none", disputeGame: null };
    if (!atDeadline) return { games, state: "awaiting", disputeGame: null };
    games.push({ winner: single.winnerSide, ...(single.score ? { score: single.score } : {}), authority: "deadline" });
  }
}

/** The side `userId` reports for in this match, or why not. */
export async function reportingSide(tx: DbOrTx, bracketId: string, match: StoredMatch, userId: string): Promise<Side> {
  const entrants = match.sides.map((side) => side.entrant);
  const players = await playersOf(
    tx,
    bracketId,
    entrants.filter((id): id is string => id !== null),
  );
  const mine = players.filter((player) => player.userId === userId);
  if (mine.length === 0) throw new Forbidden("Only the two sides of this match can report its games.");
  const reporter = mine.find((player) => player.captain);
  if (!reporter) throw new Forbidden("Only your team's captain can report results.");
  return entrants.indexOf(reporter.entrantId) as Side;
}

/**
 * The side (0 or 1) `userId` plays on in the match, whether they report for it, or null: for the
 * dispute flow, which lets either side raise and answer disputes.
 */
export async function sideOfUser(db: DbOrTx, matchUuid: string, userId: string): Promise<{ side: Side; captain: boolean } | null> {
  const rows = await db.execute<{ side: number; captain: boolean }>(sql`
    select s.side, e.captain from bracket_matches m
    cross join lateral (values (0, m.sides->0->>'entrant'), (1, m.sides->1->>'entrant')) as s(side, entrant)
    join bracket_entrants e on e.bracket_id = m.bracket_id and e.entrant_id = s.entrant and e.user_id = ${userId}
    where m.id = ${matchUuid}`);
  const row = rows[0];
  return row ? { side: row.side as Side, captain: row.captain } : null;
}

async function notifyOrganizer(tx: DbOrTx, ref: MatchRef, match: StoredMatch, key: string, title: string, body: string) {
  await notify(tx, { userId: ref.organizerId, dedupeKey: `match:${match.uuid}:${key}`, title, body, link: `/matches/${match.uuid}` });
}

async function openDisputeRow(
  tx: DbOrTx,
  match: StoredMatch,
  gameNumber: number,
  fields: { openedBy: string | null; side: Side | null; reason?: string | null; description?: string | null },
) {
  const rows = await tx.execute<{ id: string }>(sql`
    insert into match_disputes (match_id, resets, game_number, opened_by, side, reason, description)
    values (${match.uuid}, ${match.resets}, ${gameNumber}, ${fields.openedBy}, ${fields.side}, ${fields.reason ?? null}, ${fields.description ?? null})
    returning id`);
  return rows[0]!.id;
}

export interface Settled {
  state: MatchReportState;
  confirmed: number;
  disputeId: string | null;
  match: MatchSummary;
}

/**
 * Writes what an evaluation decided: confirmed games through the engine (the match advances when a
 * side has its majority), disputes withdrawn or opened, and the match's reporting state.
 */
export async function settleEvaluation(
  tx: DbOrTx,
  ref: MatchRef,
  loaded: LoadedMatch,
  evaluation: Evaluation,
  disputes: readonly OpenDispute[],
  action: { actorId: string | null; atDeadline: boolean; detail: Record<string, unknown> },
): Promise<Settled> {
  const { match } = loaded;
  const confirmed = evaluation.games.length - match.games.length;
  // Disputes on the games these reports now confirm are settled by the sides agreeing; disputes on
  // games confirmed before stay open (they hold the match, see evaluateReports).
  const withdrawn = disputes.filter((dispute) => dispute.gameNumber > match.games.length && dispute.gameNumber <= evaluation.games.length);
  if (withdrawn.length > 0) {
    await tx.execute(sql`update match_disputes set status = 'withdrawn', resolved_at = now(),
        resolution = jsonb_build_object('winnerSide', null, 'authority', 'agreement', 'note', 'The sides came to agree.')
      where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(withdrawn.map((d) => d.id))}::jsonb))`);
  }
  let disputeId: string | null = null;
  if (evaluation.disputeGame !== null && !disputes.some((dispute) => dispute.gameNumber === evaluation.disputeGame)) {
    disputeId = await openDisputeRow(tx, match, evaluation.disputeGame, { openedBy: null, side: null });
    await notifyOrganizer(
      tx,
      ref,
      match,
      `dispute:${disputeId}`,
      "Players disagree on a result",
      `The sides reported different winners for game ${evaluation.disputeGame} of ${await matchLabel(tx, match)} in ${ref.name}.`,
    );
  }
  const update =
    confirmed > 0
      ? await runEngine(tx, loaded, (bracket) => updateForGames(bracket, match.id, evaluation.games))
      : { matches: [], reset: [] };
  const { header, rows } = loaded;
  const acted = update.matches.find((row) => row.id === match.id) ?? match;
  const overrides = new Map<string, RowOverride>();
  if (isPlayable(acted.status)) overrides.set(match.id, { reportState: evaluation.state });
  const kind = disputeId ? "dispute_opened" : action.atDeadline ? "deadline" : confirmed > 0 ? "report_confirmed" : "report";
  const result = await applyChange(tx, {
    header,
    loaded: rows,
    matches: update.matches.some((row) => row.id === match.id) ? update.matches : [match, ...update.matches],
    reset: update.reset,
    overrides,
    action: {
      kind,
      actorId: action.actorId,
      matchId: match.id,
      detail: { ...action.detail, confirmed, state: evaluation.state, disputeId },
    },
  });
  const written = result.changed.find((row) => row.id === match.id)!;
  return { state: written.reportState, confirmed, disputeId, match: matchSummary(written) };
}

export interface ReportGameInput {
  matchId: string;
  gameNumber: number;
  winnerSide: Side;
  score?: [number, number];
}

/** A side reports who won one game (see the module comment). */
export async function reportGame(db: Db, user: SessionUser, input: ReportGameInput): Promise<Settled> {
  return db.transaction(async (tx) => {
    const { ref, header } = await lockMatchForChange(tx, input.matchId);
    const loaded = await loadForMatch(tx, header, ref.matchId);
    const { match } = loaded;
    const side = await reportingSide(tx, header.id, match, user.id);
    if (!isPlayable(match.status)) {
      throw new Invalid(match.result ? "This match is already decided." : "This match is not ready: both sides are not known yet.");
    }
    if (input.gameNumber > match.bestOf) throw new Invalid(`This match is a best of ${match.bestOf}.`, { field: "gameNumber" });
    if (input.gameNumber <= match.games.length) {
      throw new Invalid(`Game ${input.gameNumber} is already confirmed. If it is wrong, open a dispute.`);
    }
    await tx.execute(sql`
      insert into match_reports (match_id, resets, game_number, side, reporter_id, winner_side, score)
      values (${match.uuid}, ${match.resets}, ${input.gameNumber}, ${side}, ${user.id}, ${input.winnerSide},
        ${input.score ? `{${input.score[0]},${input.score[1]}}` : null}::integer[])
      on conflict (match_id, resets, game_number, side) do update
        set winner_side = excluded.winner_side, score = excluded.score, reporter_id = excluded.reporter_id, updated_at = now()`);
    const [reports, disputes] = [await reportsOf(tx, match), await openDisputesOf(tx, match)];
    const evaluation = evaluateReports(match, reports, new Set(disputes.map((dispute) => dispute.gameNumber)), false);
    return settleEvaluation(tx, ref, loaded, evaluation, disputes, {
      actorId: user.id,
      atDeadline: false,
      detail: { gameNumber: input.gameNumber, side, winnerSide: input.winnerSide },
    });
  });
}

/**
 * The report deadline job: if the match's deadline is still this one and has passed, single
 * reports stand; with no report the match is overdue and the organizer is told. Anything else
 * (the match was decided, reset, or called again with a new deadline) leaves it alone.
 */
export async function runReportDeadline(db: Db, payload: { matchId: string; deadline: string }): Promise<"stale" | MatchReportState> {
  return db.transaction(async (tx) => {
    let locked: Awaited<ReturnType<typeof lockMatchForChange>>;
    try {
      locked = await lockMatchForChange(tx, payload.matchId);
    } catch (error) {
      // The match is gone, or its prizes are paid: nothing to decide.
      if (error instanceof DomainError) return "stale";
      throw error;
    }
    const { ref, header } = locked;
    const loaded = await loadForMatch(tx, header, ref.matchId);
    const { match } = loaded;
    if (!isPlayable(match.status) || !match.reportDeadline || match.reportState === "overdue") return "stale";
    const due = new Date(match.reportDeadline).getTime();
    if (due !== new Date(payload.deadline).getTime() || due > Date.now()) return "stale";
    const [reports, disputes] = [await reportsOf(tx, match), await openDisputesOf(tx, match)];
    const evaluation = evaluateReports(match, reports, new Set(disputes.map((dispute) => dispute.gameNumber)), true);
    const settled = await settleEvaluation(tx, ref, loaded, evaluation, disputes, {
      actorId: null,
      atDeadline: true,
      detail: { deadline: match.reportDeadline },
    });
    if (settled.state === "overdue") {
      await notifyOrganizer(
        tx,
        ref,
        match,
        `overdue:${match.resets}:${due}`,
        "A match is overdue",
        `Nobody reported ${await matchLabel(tx, match)} in ${ref.name} in time. Decide it from the console.`,
      );
    }
    return settled.state;
  });
}

export interface OpenDisputeInput {
  /** The match's public id. */
  matchId: string;
  gameNumber: number;
  /** Null when opened by the system. */
  openedBy: string | null;
  side?: Side | null;
  reason?: string | null;
  description?: string | null;
}

/**
 * Opens a dispute on a game: the current (unconfirmed) game, or one already confirmed. The caller
 * (server/disputes) checks who may. One open dispute per game: opening it again returns the open
 * one (filling in a reason it lacked). While it is open the game is not confirmed by a single
 * report at the deadline; `resolveGameByAuthority(…, 'dispute')` decides it.
 */
export async function openDispute(tx: DbOrTx, input: OpenDisputeInput): Promise<{ disputeId: string; created: boolean }> {
  const { ref, header } = await lockMatchForChange(tx, input.matchId);
  const loaded = await loadForMatch(tx, header, ref.matchId, 0);
  const { match } = loaded;
  if (!match.result && !isPlayable(match.status)) throw new Invalid("This match has not started.");
  if (match.result && match.result.kind !== "played") throw new Invalid("This match was not decided by games.");
  const last = match.result ? match.games.length : Math.min(match.games.length + 1, match.bestOf);
  if (!Number.isInteger(input.gameNumber) || input.gameNumber < 1 || input.gameNumber > last) {
    throw new Invalid(last === 0 ? "No game of this match can be disputed." : `Choose a game from 1 to ${last}.`, { field: "gameNumber" });
  }
  const existing = (await openDisputesOf(tx, match)).find((dispute) => dispute.gameNumber === input.gameNumber);
  if (existing) {
    await tx.execute(sql`update match_disputes set reason = coalesce(reason, ${input.reason ?? null}), description = coalesce(description, ${input.description ?? null}),
        opened_by = coalesce(opened_by, ${input.openedBy}), side = coalesce(side, ${input.side ?? null})
      where id = ${existing.id}`);
    return { disputeId: existing.id, created: false };
  }
  const disputeId = await openDisputeRow(tx, match, input.gameNumber, {
    openedBy: input.openedBy,
    side: input.side ?? null,
    reason: input.reason,
    description: input.description,
  });
  const overrides = new Map<string, RowOverride>();
  if (isPlayable(match.status)) overrides.set(match.id, { reportState: "disputed" });
  await applyChange(tx, {
    header,
    loaded: loaded.rows,
    matches: [match],
    overrides,
    action: {
      kind: "dispute_opened",
      actorId: input.openedBy,
      matchId: match.id,
      detail: { gameNumber: input.gameNumber, disputeId, reason: input.reason ?? null },
    },
  });
  await notifyOrganizer(
    tx,
    ref,
    match,
    `dispute:${disputeId}`,
    "A game was disputed",
    `Game ${input.gameNumber} of ${await matchLabel(tx, match)} in ${ref.name} is disputed.`,
  );
  return { disputeId, created: true };
}

export interface AuthorityDecision {
  /** decided: a new game confirmed; corrected: a confirmed game's winner changed; confirmed: same winner, now on higher authority; kept: nothing changed. */
  outcome: "decided" | "corrected" | "confirmed" | "kept";
  /** Why nothing changed (kept). */
  reason?: string;
  match: MatchSummary;
}

const kindOf = { organizer: "record_game", dispute: "dispute_resolved", agreement: "report_confirmed", deadline: "deadline" } as const;

/**
 * Decides game `gameNumber` ("next": the first unconfirmed game) of the match with the public id
 * `matchId` for `winnerSide`, on `authority`, in the caller's transaction. The entry point for the
 * dispute flow ('dispute'), the organizer's per-game decisions ('organizer') and anything else that
 * decides games.
 *
 * A decision that a lower (or, for agreement and deadline, an equal) authority already outranks
 * changes nothing and returns `kept` with the reason, except for the organizer, whose impossible
 * requests are refused with BAD_REQUEST. Changing the winner of a confirmed game is a correction:
 * later matches that depended on it are reset (and their players told). Open disputes on the game
 * are resolved with `note` (organizer and dispute authority).
 */
export async function resolveGameByAuthority(
  tx: DbOrTx,
  matchId: string,
  gameNumber: number | "next",
  winnerSide: Side,
  authority: ResultAuthority,
  options: { actorId?: string | null; score?: [number, number]; note?: string } = {},
): Promise<AuthorityDecision> {
  const { ref, header } = await lockMatchForChange(tx, matchId);
  const loaded = await loadForMatch(tx, header, ref.matchId);
  const { match } = loaded;
  const kept = (reason: string): AuthorityDecision => {
    if (authority === "organizer") throw new Invalid(reason);
    return { outcome: "kept", reason, match: matchSummary(match) };
  };
  if (winnerSide !== 0 && winnerSide !== 1) throw new Invalid("The winner is side 0 or side 1.", { field: "winnerSide" });
  if (!match.result && !isPlayable(match.status)) return kept("This match is not ready: both sides are not known yet.");
  if (match.result && match.result.kind !== "played")
    return kept("This match was decided without games (a BYE, forfeit or disqualification). Correct its result instead.");
  if (match.decidedBy && !mayOverride(match.decidedBy, authority)) return kept("The organizer decided this match.");
  const number = gameNumber === "next" ? match.games.length + 1 : gameNumber;
  if (!Number.isInteger(number) || number < 1 || number > match.bestOf) return kept(`This match is a best of ${match.bestOf}.`);
  const game: StoredGame = { winner: winnerSide, ...(options.score ? { score: options.score } : {}), authority };

  let games: StoredGame[];
  let outcome: AuthorityDecision["outcome"];
  if (number <= match.games.length) {
    const existing = match.games[number - 1]!;
    if (!mayOverride(existing.authority, authority)) {
      return kept(`Game ${number} was decided by ${existing.authority ?? "the organizer"}, which ${authority} cannot override.`);
    }
    games = match.games.map((current, i) =>
      i === number - 1 ? { ...game, ...(options.score ? {} : current.score ? { score: current.score } : {}) } : current,
    );
    outcome = existing.winner === winnerSide ? "confirmed" : "corrected";
  } else if (number === match.games.length + 1) {
    if (match.result) return kept("This match is already decided.");
    games = [...match.games, game];
    outcome = "decided";
  } else {
    return kept(`Decide game ${match.games.length + 1} first.`);
  }

  // Resolve the open disputes on this game, then let reports made ahead confirm what they agree on.
  const disputes = await openDisputesOf(tx, match);
  const resolved = disputes.filter((dispute) => dispute.gameNumber === number);
  if (resolved.length > 0 && (authority === "organizer" || authority === "dispute")) {
    await tx.execute(sql`update match_disputes set status = 'resolved', resolved_at = now(), resolved_by = ${options.actorId ?? null},
        resolution = ${JSON.stringify({ winnerSide, authority, ...(options.note ? { note: options.note } : {}) })}::jsonb
      where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(resolved.map((d) => d.id))}::jsonb))`);
  }
  const remaining = disputes.filter((dispute) => !resolved.includes(dispute) || (authority !== "organizer" && authority !== "dispute"));
  const evaluation =
    outcome === "decided"
      ? evaluateReports({ ...match, games }, await reportsOf(tx, match), new Set(remaining.map((d) => d.gameNumber)), false)
      : { games, state: "none" as MatchReportState, disputeGame: null };

  const update =
    outcome === "confirmed"
      ? { matches: [{ ...match, games }], reset: [] }
      : await runEngine(tx, loaded, (bracket) => updateForGames(bracket, match.id, evaluation.games));
  const acted = update.matches.find((row) => row.id === match.id) ?? match;
  const overrides = new Map<string, RowOverride>();
  if (isPlayable(acted.status)) overrides.set(match.id, { reportState: evaluation.state });
  const result = await applyChange(tx, {
    header,
    loaded: loaded.rows,
    matches: update.matches.some((row) => row.id === match.id) ? update.matches : [match, ...update.matches],
    reset: update.reset,
    overrides,
    action: {
      kind: kindOf[authority],
      actorId: options.actorId ?? null,
      matchId: match.id,
      detail: { gameNumber: number, winnerSide, authority, outcome, note: options.note ?? null },
    },
    resetNotice:
      update.reset.length > 0
        ? {
            title: "A result was corrected",
            body: `Game ${number} of ${await matchLabel(tx, match)} in ${ref.name} was changed, so a match of yours was reset.`,
          }
        : undefined,
  });
  return { outcome, match: matchSummary(result.changed.find((row) => row.id === match.id)!) };
}
