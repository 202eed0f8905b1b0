/** Test helpers: play a bracket to the end with random results. Not used by the app. */
import { gamesToWin } from "./best-of";
import { setResult } from "./results";
import { nextSwissRound, swissRoundsCreated } from "./swiss";
import type { Bracket, Entrant, Game, MatchId, MatchOutcome, Side } from "./types";

/** A valid random game list for a best-of-`bestOf` won by `winner`. */
export function randomGames(bestOf: number, winner: Side, random: () => number): Game[] {
  const needed = gamesToWin(bestOf);
  const lost = Math.floor(random() * needed);
  const games: Game[] = [];
  for (let i = 0; i < needed - 1; i++) games.push({ winner });
  for (let i = 0; i < lost; i++) games.splice(Math.floor(random() * (games.length + 1)), 0, { winner: (1 - winner) as Side });
  games.push({ winner });
  return games.map((game) => ({ ...game, score: game.winner === 0 ? [13, Math.floor(random() * 12)] : [Math.floor(random() * 12), 13] }));
}

export interface PlayOptions {
  /** Chance that a match ends by forfeit / double forfeit instead of being played. */
  forfeit?: number;
  doubleForfeit?: number;
  /** Called after every update (for invariants). */
  onUpdate?: (bracket: Bracket, matchId: MatchId) => void;
}

export function randomOutcome(bestOf: number, random: () => number, options: PlayOptions = {}): MatchOutcome {
  const winner: Side = random() < 0.5 ? 0 : 1;
  const roll = random();
  if (roll < (options.doubleForfeit ?? 0)) return { type: "double_forfeit" };
  if (roll < (options.doubleForfeit ?? 0) + (options.forfeit ?? 0)) return { type: "forfeit", winner };
  return { type: "played", winner, games: randomGames(bestOf, winner, random) };
}

/**
 * Plays every playable match (pairing Swiss rounds as they finish) until nothing is left, or until
 * `limit` results were set. Updates are merged into a private copy of the match record, row by row,
 * as the service would write them.
 */
export function playToEnd(bracket: Bracket, random: () => number, options: PlayOptions & { limit?: number } = {}): Bracket {
  const current: Bracket = { ...bracket, matches: { ...bracket.matches } };
  let played = 0;
  const open: MatchId[] = [];
  const queued = new Set<MatchId>();
  const enqueue = (id: MatchId, status: string) => {
    if ((status === "ready" || status === "in_progress") && !queued.has(id)) {
      queued.add(id);
      open.push(id);
    }
  };
  for (const match of Object.values(current.matches)) enqueue(match.id, match.status);
  for (;;) {
    if (played >= (options.limit ?? Infinity)) return current;
    if (open.length === 0) {
      const settings = current.settings;
      if (settings.format === "swiss" && swissRoundsCreated(current) < settings.rounds) {
        const update = nextSwissRound(current);
        for (const match of update.matches) current.matches[match.id] = match;
        for (const match of update.matches) enqueue(match.id, match.status);
        continue;
      }
      return current;
    }
    const index = Math.floor(random() * open.length);
    const id = open[index]!;
    open[index] = open[open.length - 1]!;
    open.pop();
    queued.delete(id);
    const match = current.matches[id]!;
    if (match.status !== "ready" && match.status !== "in_progress") continue;
    const update = setResult(current, id, randomOutcome(match.bestOf, random, options));
    for (const changed of update.matches) current.matches[changed.id] = changed;
    played++;
    options.onUpdate?.(current, id);
    for (const changed of update.matches) enqueue(changed.id, changed.status);
  }
}

/** Entrant ids p1..pN seeded in that order. */
export function field(count: number): Entrant[] {
  return Array.from({ length: count }, (_, i) => ({ id: `p${i + 1}`, seed: i + 1 }));
}
