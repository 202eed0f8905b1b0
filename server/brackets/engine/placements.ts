// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Completion and final standings.
 *
 * Elimination: entrants are ordered by where they went out, and share a place with everyone who went
 * out at the same point; the place is the one that point stands for in a full bracket (round of 16
 * losers are 9th whatever BYEs or walkovers happened).
 * - Single elimination: 1 champion, 2 final loser, then the third-place winner and loser (3, 4) or
 *   both semifinal losers (3, 3), quarterfinal losers 5, round-of-16 losers 9, ...
 * - Double elimination: 1 champion, 2 grand final loser (or the lower bracket winner when there is
 *   no grand final), then by lower bracket round lost: lower final loser 3, the round before 4, then
 *   5, 5, 7, 7, 9 ... An entrant eliminated in the upper bracket by a double forfeit counts as going
 *   out in the lower round they would have dropped into.
 * Round robin and Swiss: the standings order. Several round robin groups: all group winners first,
 *   then all runners-up, and so on, each tier ordered by wins, game difference, games won, seed.
 * Groups into playoffs: the playoff entrants by their playoff result, then everyone else as above.
 * When the final is a double forfeit there is no champion: first place stays empty and both
 * finalists are second.
 */
import { groupStandings } from "./round-robin";
import { bracketSize } from "./seeding";
import { log2 } from "./single-elimination";
import { swissRoundsCreated, swissStandings } from "./swiss";
import type { Bracket, EliminationSettings, EntrantId, FinalStandings, Match, Placement, StandingRow } from "./types";

const championKey = Number.MAX_SAFE_INTEGER;

export function isComplete(bracket: Bracket): boolean {
  const settings = bracket.settings;
  if (settings.format === "swiss" && swissRoundsCreated(bracket) < settings.rounds) return false;
  for (const id in bracket.matches) if (bracket.matches[id]!.result === null) return false;
  return true;
}

/**
 * How far an entrant got, from the last elimination match they played (higher is better), and the
 * place that stands for. Places come from the bracket's shape, not from head counts, so a BYE or a
 * walkover in a later round does not move anyone up.
 */
function eliminationScale(bracket: Bracket, settings: EliminationSettings, size: number) {
  const k = log2(size);
  if (settings.format === "single_elimination") {
    return {
      key(match: Match, won: boolean): number {
        if (match.stage === "third_place") return won ? 2 * k - 0.5 : 2 * k - 1;
        return won ? championKey : 2 * match.round;
      },
      place(key: number): number {
        if (key === championKey) return 1;
        if (key === 2 * k - 0.5) return 3;
        if (key === 2 * k - 1) return 4;
        return 2 ** (k - key / 2) + 1;
      },
    };
  }
  const lowerRounds = 2 * (k - 1);
  // Entrants going out in lower round j: 1 champion + 1 runner-up + everyone out in a later round, ahead of them.
  const perRound = new Array<number>(lowerRounds + 2).fill(0);
  for (const id in bracket.matches) {
    const match = bracket.matches[id]!;
    if (match.stage === "lower") perRound[match.round]!++;
  }
  const placeOfRound = new Array<number>(lowerRounds + 2).fill(0);
  let ahead = 2;
  for (let round = lowerRounds; round >= 1; round--) {
    placeOfRound[round] = ahead + 1;
    ahead += perRound[round]!;
  }
  return {
    key(match: Match, won: boolean): number {
      if (won && match.stage !== "lower") return championKey;
      if (match.stage === "grand_final" || (won && match.stage === "lower")) return lowerRounds + 1;
      if (match.stage === "lower") return match.round;
      // Out of the upper bracket without dropping (a double forfeit, or no lower bracket at all).
      const target = match.nextLose ? bracket.matches[match.nextLose.match] : undefined;
      return target?.stage === "lower" ? target.round : lowerRounds + 1;
    },
    place(key: number): number {
      if (key === championKey) return 1;
      if (key === lowerRounds + 1) return 2;
      return placeOfRound[key]!;
    },
  };
}

function eliminationPlacements(
  bracket: Bracket,
  settings: EliminationSettings,
  size: number,
): { champion: EntrantId | null; ranked: Placement[] } {
  const last = new Map<EntrantId, Match>();
  for (const id in bracket.matches) {
    const match = bracket.matches[id]!;
    if (match.stage.startsWith("group:") || !match.result) continue;
    for (const side of match.sides) if (side.entrant) last.set(side.entrant, match);
  }
  const scale = eliminationScale(bracket, settings, size);
  const keys = [...last].map(([entrant, match]) => {
    const won = match.result!.winner !== null && match.sides[match.result!.winner].entrant === entrant;
    return { entrant, key: scale.key(match, won) };
  });
  keys.sort((a, b) => b.key - a.key);
  const champions = keys.filter((entry) => entry.key === championKey);
  return {
    champion: champions.length === 1 ? champions[0]!.entrant : null,
    ranked: keys.map((entry) => ({ entrant: entry.entrant, place: scale.place(entry.key) })),
  };
}

/** Every group's table merged into tiers: all rank-1 rows, then all rank-2 rows, ... */
function tiersAcrossGroups(bracket: Bracket): StandingRow[] {
  const rows = bracket.groups.flatMap((_, index) => groupStandings(bracket, index + 1));
  return rows.sort(
    (a, b) =>
      a.rank - b.rank ||
      Number(a.disqualified) - Number(b.disqualified) ||
      b.wins - a.wins ||
      b.gamesWon - b.gamesLost - (a.gamesWon - a.gamesLost) ||
      b.gamesWon - a.gamesWon ||
      a.seed - b.seed,
  );
}

function byOrder(rows: readonly StandingRow[], from = 1): Placement[] {
  return rows.map((row, index) => ({ entrant: row.entrant, place: from + index }));
}

export function finalStandings(bracket: Bracket): FinalStandings {
  if (!isComplete(bracket)) return { complete: false, champion: null, placements: [] };
  const settings = bracket.settings;
  switch (settings.format) {
    case "single_elimination":
    case "double_elimination": {
      const { champion, ranked } = eliminationPlacements(bracket, settings, bracketSize(bracket.entrants.length));
      return { complete: true, champion, placements: ranked };
    }
    case "round_robin":
    case "swiss": {
      const rows = settings.format === "swiss" ? swissStandings(bracket) : tiersAcrossGroups(bracket);
      return { complete: true, champion: rows[0]?.entrant ?? null, placements: byOrder(rows) };
    }
    case "groups_playoffs": {
      const { champion, ranked } = eliminationPlacements(bracket, settings.playoff, bracketSize(settings.groups * settings.advance));
      const inPlayoffs = new Set(ranked.map((placement) => placement.entrant));
      const rest = tiersAcrossGroups(bracket).filter((row) => !inPlayoffs.has(row.entrant));
      return { complete: true, champion, placements: [...ranked, ...byOrder(rest, ranked.length + 1)] };
    }
  }
}
