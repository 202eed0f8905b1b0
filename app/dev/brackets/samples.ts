/**
 * Sample brackets for the development preview, built with the real engine and a seeded random
 * player, so every format can be looked at in any state without a database.
 */
import {
  applyUpdate,
  createBracket,
  createRandom,
  disqualify,
  gamesToWin,
  nextSwissRound,
  recordGame,
  setResult,
  swissRoundsCreated,
  type Bracket,
  type BracketSettings,
  type Game,
  type Match,
  type MatchId,
  type MatchOutcome,
  type Side,
} from "@/server/brackets/engine";
import type { BracketNames, MatchState } from "@/app/_components/bracket/types";

export interface Sample {
  bracket: Bracket;
  names: BracketNames;
  states: Partial<Record<MatchId, MatchState>>;
}

export const samples = {
  se8: { title: "SE 8 + third place", description: "Single elimination, 8 players, third-place match, finals best of 5: complete." },
  se13: { title: "SE 13 (BYEs)", description: "Single elimination, 13 players: the top 3 seeds get BYEs; quarterfinals under way." },
  de8: {
    title: "DE 8, reset played",
    description: "Double elimination, 8 players: the lower finalist won the first grand final, so the reset was played.",
  },
  de4: {
    title: "DE 4, no reset",
    description: "Double elimination, 4 players: the upper finalist won the grand final, so the reset was not needed.",
  },
  de16: {
    title: "DE 16 live",
    description: "Double elimination, 16 players, mid-tournament: a match in progress, one called, one overdue, one disputed.",
  },
  de256: {
    title: "DE 256",
    description: "Double elimination, 256 players (511 matches), partially played: zoom, pan and the round selector.",
  },
  rr: { title: "RR 2 × 5", description: "Round robin, 2 groups of 5, best of 3: three rounds played, the fourth under way." },
  swiss: {
    title: "Swiss 12",
    description: "Swiss, 12 players, 4 rounds, after 3 rounds; player 12 was disqualified after round 1, so each later round has a BYE.",
  },
  gpo: {
    title: "Groups → playoffs",
    description: "4 groups of 4, top 2 into single elimination with a third-place match; group D still playing.",
  },
} as const;

export type SampleKey = keyof typeof samples;

export function isSampleKey(value: unknown): value is SampleKey {
  return typeof value === "string" && Object.hasOwn(samples, value);
}

function field(count: number) {
  return Array.from({ length: count }, (_, i) => ({ id: `p${i + 1}`, seed: i + 1 }));
}

function namesFor(count: number): BracketNames {
  const names: BracketNames = {};
  for (let i = 1; i <= count; i++) names[`p${i}`] = { name: `Player ${i}` };
  // One long name, to see truncation.
  if (count >= 5) names.p5 = { name: "Player 5 — The Extremely Long Nickname" };
  return names;
}

/** When a match is played, roughly: rounds in order, lower rounds between the upper rounds that feed them. */
function playOrder(match: Match): number {
  switch (match.stage) {
    case "upper":
      return match.round;
    case "lower":
      return (match.round + 1) / 2 + 0.6;
    case "grand_final":
      return 1000 + match.round;
    case "third_place":
      return 999;
    default:
      return match.round;
  }
}

function randomGames(bestOf: number, winner: Side, random: () => number): Game[] {
  const needed = gamesToWin(bestOf);
  const lost = Math.floor(random() * needed);
  const games: Game[] = [];
  for (let i = 0; i < needed - 1; i++) games.push({ winner });
  for (let i = 0; i < lost; i++) games.splice(Math.floor(random() * (games.length + 1)), 0, { winner: (1 - winner) as Side });
  games.push({ winner });
  return games;
}

interface PlayOptions {
  /** Stop after this many results. */
  limit?: number;
  /** Only these matches are played. */
  eligible?: (match: Match) => boolean;
  /** Force a winner. */
  winner?: (match: Match) => Side | undefined;
}

/** Plays ready matches in round order with results that favour the better seed. */
function play(bracket: Bracket, random: () => number, options: PlayOptions = {}): Bracket {
  let current = bracket;
  const seedOf = new Map(bracket.entrants.map((entrant) => [entrant.id, entrant.seed]));
  for (let played = 0; played < (options.limit ?? Infinity); played++) {
    const ready = Object.values(current.matches)
      .filter((match) => (match.status === "ready" || match.status === "in_progress") && (options.eligible?.(match) ?? true))
      .sort((a, b) => playOrder(a) - playOrder(b) || a.position - b.position);
    const match = ready[0];
    if (!match) break;
    const seeds = match.sides.map((side) => seedOf.get(side.entrant!) ?? 0);
    const favourite: Side = seeds[0]! <= seeds[1]! ? 0 : 1;
    const winner = options.winner?.(match) ?? (random() < 0.68 ? favourite : ((1 - favourite) as Side));
    const outcome: MatchOutcome =
      random() < 0.03 ? { type: "forfeit", winner } : { type: "played", winner, games: randomGames(match.bestOf, winner, random) };
    current = applyUpdate(current, setResult(current, match.id, outcome));
  }
  return current;
}

/** One game into the first ready match (so it shows as in progress). */
function startOne(bracket: Bracket, eligible: (match: Match) => boolean = () => true): { bracket: Bracket; id: MatchId | null } {
  const match = Object.values(bracket.matches).find(
    (candidate) => candidate.status === "ready" && candidate.bestOf > 1 && eligible(candidate),
  );
  if (!match) return { bracket, id: null };
  return { bracket: applyUpdate(bracket, recordGame(bracket, match.id, { winner: 0 })), id: match.id };
}

function readyIds(bracket: Bracket): MatchId[] {
  return Object.values(bracket.matches)
    .filter((match) => match.status === "ready")
    .map((match) => match.id);
}

function build(count: number, settings: BracketSettings): Bracket {
  return createBracket(field(count), settings);
}

export function buildSample(key: SampleKey): Sample {
  const random = createRandom(`driftwood-preview-${key}`);
  switch (key) {
    case "se8": {
      const bracket = build(8, { format: "single_elimination", thirdPlace: true, bestOf: { default: 3, overrides: { finals: 5 } } });
      return { bracket: play(bracket, random), names: namesFor(8), states: {} };
    }
    case "se13": {
      const bracket = play(build(13, { format: "single_elimination", thirdPlace: false, bestOf: 3 }), random, { limit: 7 });
      const started = startOne(bracket);
      return { bracket: started.bracket, names: namesFor(13), states: {} };
    }
    case "de8": {
      const bracket = build(8, { format: "double_elimination", grandFinal: "reset", bestOf: { default: 3, overrides: { finals: 5 } } });
      return {
        bracket: play(bracket, random, { winner: (match) => (match.id === "GF-1" ? 1 : undefined) }),
        names: namesFor(8),
        states: {},
      };
    }
    case "de4": {
      const bracket = build(4, { format: "double_elimination", grandFinal: "reset", bestOf: 3 });
      return {
        bracket: play(bracket, random, { winner: (match) => (match.id === "GF-1" ? 0 : undefined) }),
        names: namesFor(4),
        states: {},
      };
    }
    case "de16": {
      let bracket = play(build(16, { format: "double_elimination", grandFinal: "reset", bestOf: 3 }), random, { limit: 15 });
      const started = startOne(bracket);
      bracket = started.bracket;
      const [called, overdue] = readyIds(bracket);
      const states: Sample["states"] = {};
      if (started.id) states[started.id] = "disputed";
      if (called) states[called] = "called";
      if (overdue) states[overdue] = "overdue";
      const second = startOne(bracket, (match) => match.id !== called && match.id !== overdue);
      return { bracket: second.bracket, names: namesFor(16), states };
    }
    case "de256": {
      const bracket = play(build(256, { format: "double_elimination", grandFinal: "reset", bestOf: 1 }), random, { limit: 300 });
      return { bracket, names: namesFor(256), states: {} };
    }
    case "rr": {
      let bracket = play(build(10, { format: "round_robin", groups: 2, meetings: 1, bestOf: 3 }), random, {
        eligible: (match) => match.round <= 3,
      });
      bracket = play(bracket, random, { limit: 1, eligible: (match) => match.round === 4 });
      return { bracket: startOne(bracket).bracket, names: namesFor(10), states: {} };
    }
    case "swiss": {
      let bracket = build(12, { format: "swiss", rounds: 4, bestOf: 3 });
      for (let round = 1; round <= 3; round++) {
        if (round > 1) bracket = applyUpdate(bracket, nextSwissRound(bracket));
        bracket = play(bracket, random);
        if (round === 1) bracket = applyUpdate(bracket, disqualify(bracket, "p12"));
      }
      if (swissRoundsCreated(bracket) < 4) bracket = applyUpdate(bracket, nextSwissRound(bracket));
      bracket = play(bracket, random, { limit: 2 });
      return { bracket: startOne(bracket).bracket, names: namesFor(12), states: {} };
    }
    case "gpo": {
      let bracket = build(16, {
        format: "groups_playoffs",
        groups: 4,
        meetings: 1,
        advance: 2,
        bestOf: { default: 3, overrides: { finals: 5 } },
        playoff: { format: "single_elimination", thirdPlace: true },
      });
      bracket = play(bracket, random, { eligible: (match) => match.stage !== "group:4" || match.round <= 2 });
      bracket = play(bracket, random, { limit: 1, eligible: (match) => match.stage === "group:4" });
      return { bracket, names: namesFor(16), states: {} };
    }
  }
}
