/**
 * Games of one match as the reporting flow decides them, turned into engine operations, and the
 * authority rule between deciders.
 */
import type { ResultAuthority, StoredGame } from "@/db/schema/brackets";
import {
  applyUpdate,
  clearResult,
  gamesToWin,
  recordGame,
  setResult,
  type Bracket,
  type BracketUpdate,
  type Match,
  type MatchId,
  type Side,
} from "./engine";

/** Highest first: organizer decision > dispute resolution > both sides agreeing > the single report at the deadline. */
export const authorityRank: Record<ResultAuthority, number> = { organizer: 4, dispute: 3, agreement: 2, deadline: 1 };

/**
 * Whether `authority` may replace a game or match decided by `existing` (games the organizer set
 * without a label count as the organizer's). A lower authority never overrides a higher one; of
 * equals only the organizer and dispute resolution may decide again.
 */
export function mayOverride(existing: ResultAuthority | undefined, authority: ResultAuthority): boolean {
  const held = authorityRank[existing ?? "organizer"];
  const incoming = authorityRank[authority];
  return incoming > held || (incoming === held && (authority === "organizer" || authority === "dispute"));
}

/** The side with a majority after `games`, and how many games it took; null when nobody has one yet. */
export function majorityOf(bestOf: number, games: readonly StoredGame[]): { winner: Side; length: number } | null {
  const needed = gamesToWin(bestOf);
  const count = [0, 0];
  for (let i = 0; i < games.length; i++) {
    const winner = games[i]!.winner;
    if (++count[winner]! >= needed) return { winner, length: i + 1 };
  }
  return null;
}

/** Runs engine steps one after another on a partial bracket and merges their updates. */
function steps(bracket: Bracket, operations: ((current: Bracket) => BracketUpdate)[]): BracketUpdate {
  let current = bracket;
  const changed = new Map<MatchId, Match>();
  const reset = new Set<MatchId>();
  for (const operation of operations) {
    const update = operation(current);
    current = applyUpdate(current, update);
    for (const match of update.matches) changed.set(match.id, match);
    for (const id of update.reset) reset.add(id);
  }
  return { matches: [...changed.values()], reset: [...reset] };
}

const samePrefix = (prefix: readonly StoredGame[], games: readonly StoredGame[]) =>
  prefix.length <= games.length && prefix.every((game, i) => game.winner === games[i]!.winner);

/**
 * The engine update that gives match `matchId` exactly `games`: decided as soon as a side has a
 * majority (later games dropped), otherwise undecided with these games. Adding games to an
 * undecided match records them; anything else (a confirmed game changed) takes the match back and
 * records the games again, so whatever it had passed on is withdrawn (a correction).
 */
export function updateForGames(bracket: Bracket, matchId: MatchId, games: readonly StoredGame[]): BracketUpdate {
  const match = bracket.matches[matchId]!;
  const majority = majorityOf(match.bestOf, games);
  if (majority) {
    return setResult(bracket, matchId, { type: "played", winner: majority.winner, games: games.slice(0, majority.length) });
  }
  const extendsCurrent = match.result === null && samePrefix(match.games, games);
  const recorded = games.slice(extendsCurrent ? match.games.length : 0);
  return steps(bracket, [
    ...(extendsCurrent ? [] : [(current: Bracket) => clearResult(current, matchId)]),
    ...recorded.map((game) => (current: Bracket) => recordGame(current, matchId, game)),
  ]);
}
