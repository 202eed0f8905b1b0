// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Swiss: a fixed number of rounds, each paired from the standings once the previous round is
 * decided (`nextSwissRound`); round 1 is created with the bracket.
 *
 * Pairing (Dutch style): walk the standings from the top; the highest unpaired entrant meets, by
 * preference, the first entrant of the bottom half of its score group, then the rest of the bottom
 * half, then the top half from the middle upward, then entrants of lower score groups in standings
 * order (floating down). Nobody meets anyone twice: a dead end backtracks to the last choice.
 * Round 1 therefore pairs seed 1 with seed n/2 + 1, seed 2 with n/2 + 2, ... If that search runs
 * long, the pairs it would choose greedily are completed by a maximum matching (see matching.ts),
 * so a rematch-free round is found whenever one exists.
 *
 * With an odd number of active entrants the lowest-ranked entrant who has not had a BYE gets one
 * (the next one up if the others could then not be paired without a rematch); a BYE counts as a
 * match win by a majority of games to nil and adds nothing to Buchholz; nobody gets two.
 * Disqualified entrants are not paired again.
 *
 * A corrected result changes the standings but never re-pairs rounds already generated (as in
 * over-the-board Swiss): later pairings stand.
 *
 * A pairing without rematches always exists for up to floor(n/2) rounds (Dirac); beyond that earlier
 * rounds can make one impossible, and `nextSwissRound` then fails with `no_pairing`.
 */
import { bestOfFor } from "./best-of";
import { maximumMatching } from "./matching";
import { rankSwiss, seedLookup, tally } from "./standings";
import { BracketError, type Bracket, type BracketUpdate, type EntrantId, type Match, type StandingRow } from "./types";

/** Search steps before the blossom fallback (each step scans the unpaired entrants once). */
const searchLimit = 5_000;

function swissMatches(bracket: Bracket): Match[] {
  return Object.values(bracket.matches).filter((match) => match.stage === "swiss");
}

export function swissRoundsCreated(bracket: Bracket): number {
  let rounds = 0;
  for (const match of Object.values(bracket.matches)) if (match.stage === "swiss" && match.round > rounds) rounds = match.round;
  return rounds;
}

export function swissStandings(bracket: Bracket): StandingRow[] {
  const disqualified = new Set(bracket.disqualified);
  const table = tally(
    bracket.entrants.map((entrant) => entrant.id),
    swissMatches(bracket),
    seedLookup(bracket),
    (id) => disqualified.has(id),
  );
  return rankSwiss(table);
}

const pairKey = (a: EntrantId, b: EntrantId) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** Thrown inside the search when it has tried enough; the blossom fallback takes over. */
class SearchGaveUp extends Error {}

/**
 * Pairs `players` (in standings order) without rematches; null when that is impossible. The
 * score-ordered search backtracks for a while; if it has not finished by then, the greedy pairs it
 * would make are completed into a perfect matching by the blossom algorithm (exact: it finds one
 * whenever one exists), so a pairing is never refused just because the search was slow.
 */
function pairWithoutRematches(
  players: readonly EntrantId[],
  scoreOf: (id: EntrantId) => number,
  played: ReadonlySet<string>,
): [EntrantId, EntrantId][] | null {
  const count = players.length;
  const allowed = (a: number, b: number) => !played.has(pairKey(players[a]!, players[b]!));
  const used = new Uint8Array(count);
  const pairs: [number, number][] = [];
  let steps = 0;
  const candidates = (top: number): number[] => {
    const same: number[] = [];
    const lower: number[] = [];
    const score = scoreOf(players[top]!);
    for (let j = top + 1; j < count; j++) if (!used[j]) (scoreOf(players[j]!) === score ? same : lower).push(j);
    if (same.length === 0) return lower;
    const half = Math.floor((same.length + 1) / 2);
    return [...same.slice(half - 1), ...same.slice(0, half - 1).reverse(), ...lower];
  };
  const solve = (): boolean => {
    let top = 0;
    while (top < count && used[top]) top++;
    if (top === count) return true;
    if (++steps > searchLimit) throw new SearchGaveUp();
    used[top] = 1;
    for (const other of candidates(top)) {
      if (!allowed(top, other)) continue;
      used[other] = 1;
      pairs.push([top, other]);
      if (solve()) return true;
      pairs.pop();
      used[other] = 0;
    }
    used[top] = 0;
    return false;
  };
  const named = (list: [number, number][]) => list.map(([a, b]): [EntrantId, EntrantId] => [players[a]!, players[b]!]);
  try {
    return solve() ? named(pairs) : null;
  } catch (error) {
    if (!(error instanceof SearchGaveUp)) throw error;
  }
  // Greedy pairs in score order (no backtracking), then augment to a perfect matching.
  used.fill(0);
  const initial = new Array<number>(count).fill(-1);
  for (let top = 0; top < count; top++) {
    if (used[top]) continue;
    used[top] = 1;
    const partner = candidates(top).find((other) => allowed(top, other));
    if (partner === undefined) continue;
    used[partner] = 1;
    initial[top] = partner;
    initial[partner] = top;
  }
  const match = maximumMatching(count, allowed, initial);
  const result: [number, number][] = [];
  for (let a = 0; a < count; a++) {
    const b = match[a]!;
    if (b === -1) return null;
    if (a < b) result.push([a, b]);
  }
  return named(result);
}

function pairRound(bracket: Bracket, round: number, standings: StandingRow[]): Match[] {
  const played = new Set<string>();
  for (const match of swissMatches(bracket)) {
    const [a, b] = [match.sides[0].entrant, match.sides[1].entrant];
    if (a && b) played.add(pairKey(a, b));
  }
  const active = standings.filter((row) => !row.disqualified);
  const scores = new Map(active.map((row) => [row.entrant, row.wins]));
  const order = active.map((row) => row.entrant);
  const byeCandidates: (EntrantId | null)[] =
    order.length % 2 === 0
      ? [null]
      : active
          .filter((row) => row.byes === 0)
          .map((row) => row.entrant)
          .reverse();
  for (const bye of byeCandidates) {
    const players = bye === null ? order : order.filter((id) => id !== bye);
    const pairs = pairWithoutRematches(players, (id) => scores.get(id)!, played);
    if (!pairs) continue;
    return buildRound(bracket, round, pairs, bye);
  }
  throw new BracketError("no_pairing", `Round ${round} cannot be paired without a rematch or a second BYE.`);
}

function buildRound(bracket: Bracket, round: number, pairs: [EntrantId, EntrantId][], bye: EntrantId | null): Match[] {
  const seedOf = seedLookup(bracket);
  const bestOf = bestOfFor(bracket.settings.bestOf, `swiss:${round}`);
  const matches: Match[] = pairs.map(([a, b], index) => ({
    id: `S-R${round}-M${index + 1}`,
    stage: "swiss",
    round,
    position: index + 1,
    bestOf,
    sides: [
      { source: { kind: "seed", seed: seedOf(a) }, entrant: a, bye: false },
      { source: { kind: "seed", seed: seedOf(b) }, entrant: b, bye: false },
    ],
    nextWin: null,
    nextLose: null,
    playedIf: null,
    status: "ready",
    games: [],
    result: null,
  }));
  if (bye !== null) {
    matches.push({
      id: `S-R${round}-M${pairs.length + 1}`,
      stage: "swiss",
      round,
      position: pairs.length + 1,
      bestOf,
      sides: [
        { source: { kind: "seed", seed: seedOf(bye) }, entrant: bye, bye: false },
        { source: null, entrant: null, bye: true },
      ],
      nextWin: null,
      nextLose: null,
      playedIf: null,
      status: "bye",
      games: [],
      result: { kind: "walkover", winner: 0 },
    });
  }
  return matches;
}

export function validateSwissRounds(count: number, rounds: number): void {
  const most = count % 2 === 0 ? count - 1 : count;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > most) {
    throw new BracketError("invalid_settings", `A Swiss of ${count} entrants can have 1 to ${most} rounds.`);
  }
}

export function createSwiss(bracket: Bracket): Match[] {
  return pairRound(bracket, 1, swissStandings(bracket));
}

/** Pairs the next Swiss round from the standings; every match of the current round must be decided. */
export function nextSwissRound(bracket: Bracket): BracketUpdate {
  const settings = bracket.settings;
  if (settings.format !== "swiss") throw new BracketError("invalid_settings", "Only a Swiss bracket has rounds to pair.");
  const current = swissRoundsCreated(bracket);
  if (current >= settings.rounds) throw new BracketError("no_more_rounds", `All ${settings.rounds} rounds have been paired.`);
  const open = swissMatches(bracket).filter((match) => match.round === current && match.result === null);
  if (open.length > 0) throw new BracketError("round_incomplete", `Round ${current} still has ${open.length} undecided matches.`);
  return { matches: pairRound(bracket, current + 1, swissStandings(bracket)), reset: [] };
}
