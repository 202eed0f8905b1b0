// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Reporting, correcting and clearing results, and disqualification. Each returns a BracketUpdate:
 * the changed match rows and, for a correction, the ids of the later matches it resets.
 *
 * A correction is just `setResult` on a decided match. If the winner stays the same (only the games
 * change) nothing downstream is touched. If the winner (and so the loser) changes, every match that
 * had received the old winner or loser gets the new one instead and loses its games and result;
 * whatever such a match had passed on is withdrawn in turn, transitively. Matches that only gain a
 * participant are filled, not reset. `previewResult` returns the reset list without applying it:
 * what the organizer confirms.
 *
 * Double forfeit: neither side advances and, in double elimination, neither drops to the lower
 * bracket; the sides they would have taken stay empty, so the next match is a walkover for whoever
 * else arrives (and is skipped if nobody does). Both entrants are eliminated in that match.
 */
import { gamesToWin } from "./best-of";
import { Draft, commit, feedPlayoffsFromGroup, isManual } from "./progression";
import {
  BracketError,
  type Bracket,
  type BracketUpdate,
  type EntrantId,
  type Game,
  type Match,
  type MatchId,
  type MatchOutcome,
  type MatchResult,
} from "./types";

function assertDecidable(match: Match): void {
  if (match.status === "pending") throw new BracketError("match_not_ready", `Match ${match.id} is waiting for its participants.`);
  if (match.status === "bye" || match.status === "skipped" || (match.result && !isManual(match.result.kind))) {
    throw new BracketError("automatic_result", `Match ${match.id} was decided automatically (BYE or disqualification).`);
  }
}

function assertGame(game: Game): void {
  if (game.winner !== 0 && game.winner !== 1) throw new BracketError("invalid_result", "Each game needs a winner: side 0 or side 1.");
  if (game.score !== undefined) {
    const valid =
      Array.isArray(game.score) && game.score.length === 2 && game.score.every((value) => Number.isInteger(value) && value >= 0);
    if (!valid) throw new BracketError("invalid_result", "A game score is two whole numbers of zero or more.");
  }
}

function wins(games: readonly Game[]): [number, number] {
  const count: [number, number] = [0, 0];
  for (const game of games) count[game.winner]++;
  return count;
}

function resultOf(match: Match, outcome: MatchOutcome): { result: MatchResult; games: Game[] } {
  switch (outcome.type) {
    case "played": {
      if (outcome.winner !== 0 && outcome.winner !== 1) throw new BracketError("invalid_result", "The winner is side 0 or side 1.");
      const games = outcome.games ?? [];
      games.forEach(assertGame);
      if (games.length > 0) {
        const needed = gamesToWin(match.bestOf);
        const count = wins(games);
        if (
          count[outcome.winner] !== needed ||
          count[1 - outcome.winner]! >= needed ||
          games[games.length - 1]!.winner !== outcome.winner
        ) {
          throw new BracketError(
            "invalid_result",
            `In a best-of-${match.bestOf} the winner takes exactly ${needed} games, including the last, and the loser fewer.`,
          );
        }
      }
      return { result: { kind: "played", winner: outcome.winner }, games: [...games] };
    }
    case "forfeit":
      if (outcome.winner !== 0 && outcome.winner !== 1) throw new BracketError("invalid_result", "The winner is side 0 or side 1.");
      // Games played before a forfeit stay on record; a corrected result starts clean.
      return { result: { kind: "forfeit", winner: outcome.winner }, games: match.result ? [] : match.games };
    case "double_forfeit":
      return { result: { kind: "double_forfeit", winner: null }, games: match.result ? [] : match.games };
    default:
      throw new BracketError("invalid_result", "Unknown outcome.");
  }
}

/**
 * Decides a match (ready or in progress), or corrects a decided one. The winner advances and, in
 * double elimination, the loser drops, at once.
 */
export function setResult(bracket: Bracket, matchId: MatchId, outcome: MatchOutcome): BracketUpdate {
  const draft = new Draft(bracket);
  const match = draft.get(matchId);
  assertDecidable(match);
  const { result, games } = resultOf(match, outcome);
  commit(draft, { ...match, games, result });
  return draft.finish(matchId);
}

/** The later matches `setResult(bracket, matchId, outcome)` would reset, without changing anything. */
export function previewResult(bracket: Bracket, matchId: MatchId, outcome: MatchOutcome): MatchId[] {
  return setResult(bracket, matchId, outcome).reset;
}

/** Adds one confirmed game; the match is decided when a side reaches a majority. */
export function recordGame(bracket: Bracket, matchId: MatchId, game: Game): BracketUpdate {
  const draft = new Draft(bracket);
  const match = draft.get(matchId);
  assertDecidable(match);
  if (match.result) throw new BracketError("invalid_result", `Match ${matchId} is already decided; correct it with a new result.`);
  assertGame(game);
  const games = [...match.games, game];
  const count = wins(games);
  const needed = gamesToWin(match.bestOf);
  const result: MatchResult | null = count[game.winner] >= needed ? { kind: "played", winner: game.winner } : null;
  commit(draft, { ...match, games, result });
  return draft.finish(matchId);
}

/** Takes a match back to ready (no games), withdrawing what it passed on. */
export function clearResult(bracket: Bracket, matchId: MatchId): BracketUpdate {
  const draft = new Draft(bracket);
  const match = draft.get(matchId);
  assertDecidable(match);
  commit(draft, { ...match, games: [], result: null });
  return draft.finish(matchId);
}

function assertEntrant(bracket: Bracket, entrant: EntrantId): void {
  if (!bracket.entrants.some((candidate) => candidate.id === entrant)) {
    throw new BracketError("entrant_not_found", `${entrant} is not in this bracket.`);
  }
}

function resettleMatchesOf(bracket: Bracket, entrant: EntrantId, disqualified: EntrantId[]): BracketUpdate {
  const draft = new Draft(bracket, disqualified);
  for (const match of Object.values(bracket.matches)) {
    if (match.sides[0].entrant !== entrant && match.sides[1].entrant !== entrant) continue;
    const current = draft.get(match.id);
    if (current.result && isManual(current.result.kind)) continue;
    commit(draft, current);
  }
  const group = bracket.groups.findIndex((members) => members.includes(entrant));
  if (group >= 0) feedPlayoffsFromGroup(draft, group + 1);
  return { ...draft.finish(null), disqualified };
}

/**
 * Disqualifies an entrant: results already decided stand; every match they are in or will reach
 * is a forfeit win for the opponent (in double elimination that includes the lower bracket match
 * they drop into, so they leave both brackets); in round robin and Swiss they rank last and Swiss
 * pairs them no more.
 */
export function disqualify(bracket: Bracket, entrant: EntrantId): BracketUpdate {
  assertEntrant(bracket, entrant);
  if (bracket.disqualified.includes(entrant)) return { matches: [], reset: [] };
  return resettleMatchesOf(bracket, entrant, [...bracket.disqualified, entrant]);
}

/** Undoes a disqualification: the matches it decided go back to ready. */
export function reinstate(bracket: Bracket, entrant: EntrantId): BracketUpdate {
  assertEntrant(bracket, entrant);
  if (!bracket.disqualified.includes(entrant)) return { matches: [], reset: [] };
  return resettleMatchesOf(
    bracket,
    entrant,
    bracket.disqualified.filter((id) => id !== entrant),
  );
}
