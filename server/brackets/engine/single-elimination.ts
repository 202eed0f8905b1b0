// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Single elimination, and the upper bracket that double elimination and playoffs share. The field
 * is padded to a power of two; seeds are placed in the standard order (see `standardOrder`) and
 * the padding seeds are BYEs, so BYEs go to the top seeds and never meet each other.
 * An optional third-place match takes the semifinal losers.
 */
import { bestOfFor } from "./best-of";
import { bracketSize, standardOrder } from "./seeding";
import type { BestOf, BestOfName, Bracket, Match, MatchId, MatchSide, SideSource, StageId } from "./types";

export function newMatch(
  id: MatchId,
  stage: StageId,
  round: number,
  position: number,
  bestOf: number,
  sides: [MatchSide, MatchSide],
): Match {
  return {
    id,
    stage,
    round,
    position,
    bestOf,
    sides,
    nextWin: null,
    nextLose: null,
    playedIf: null,
    status: "pending",
    games: [],
    result: null,
  };
}

export function pendingSide(source: SideSource): MatchSide {
  return { source, entrant: null, bye: false };
}

export function fromMatch(match: MatchId, take: "winner" | "loser"): MatchSide {
  return pendingSide({ kind: "match", match, take });
}

export function log2(size: number): number {
  return Math.round(Math.log2(size));
}

/** First-round sides of a seeded field: entrant ids in standard order, BYEs for the padding seeds. */
export function seededFirstRound(bracket: Pick<Bracket, "entrants">): { size: number; sides: MatchSide[] } {
  const size = bracketSize(bracket.entrants.length);
  const sides = standardOrder(size).map((seed): MatchSide => {
    const entrant = bracket.entrants[seed - 1];
    return { source: { kind: "seed", seed }, entrant: entrant?.id ?? null, bye: !entrant };
  });
  return { size, sides };
}

/**
 * Upper bracket matches U-R{r}-M{j} in round order; the winner of M{j} moves to M{ceil(j/2)} of the
 * next round (side 0 from odd j). `names(round)` gives the best-of names of a round.
 */
export function buildUpperBracket(
  size: number,
  firstRound: readonly MatchSide[],
  bestOf: BestOf | undefined,
  names: (round: number) => BestOfName[],
): Match[][] {
  const rounds: Match[][] = [];
  const total = log2(size);
  for (let round = 1; round <= total; round++) {
    const count = size >> round;
    const games = bestOfFor(bestOf, `upper:${round}`, names(round));
    const matches: Match[] = [];
    for (let j = 1; j <= count; j++) {
      const sides: [MatchSide, MatchSide] =
        round === 1
          ? [firstRound[2 * j - 2]!, firstRound[2 * j - 1]!]
          : [fromMatch(`U-R${round - 1}-M${2 * j - 1}`, "winner"), fromMatch(`U-R${round - 1}-M${2 * j}`, "winner")];
      const match = newMatch(`U-R${round}-M${j}`, "upper", round, j, games, sides);
      if (round > 1) {
        rounds[round - 2]![2 * j - 2]!.nextWin = { match: match.id, side: 0 };
        rounds[round - 2]![2 * j - 1]!.nextWin = { match: match.id, side: 1 };
      }
      matches.push(match);
    }
    rounds.push(matches);
  }
  return rounds;
}

/** Single elimination matches for a prepared first round (also the playoff stage of groups into playoffs). */
export function buildSingleElimination(
  size: number,
  firstRound: readonly MatchSide[],
  thirdPlace: boolean,
  bestOf: BestOf | undefined,
): Match[] {
  const total = log2(size);
  const rounds = buildUpperBracket(size, firstRound, bestOf, (round) =>
    round === total ? ["finals", "upper_final"] : round === total - 1 ? ["semifinals"] : [],
  );
  const matches = rounds.flat();
  if (thirdPlace && total >= 2) {
    const semifinals = rounds[total - 2]!;
    const third = newMatch("TP", "third_place", 1, 1, bestOfFor(bestOf, null, ["third_place"]), [
      fromMatch(semifinals[0]!.id, "loser"),
      fromMatch(semifinals[1]!.id, "loser"),
    ]);
    semifinals[0]!.nextLose = { match: "TP", side: 0 };
    semifinals[1]!.nextLose = { match: "TP", side: 1 };
    matches.push(third);
  }
  return matches;
}

export function createSingleElimination(bracket: Pick<Bracket, "entrants" | "settings">, thirdPlace: boolean): Match[] {
  const { size, sides } = seededFirstRound(bracket);
  return buildSingleElimination(size, sides, thirdPlace, bracket.settings.bestOf);
}
