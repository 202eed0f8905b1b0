/**
 * Names people read for rounds, groups and not-yet-known sides. Single elimination counts down
 * from the final (Final, Semifinals, Quarterfinals, then "Round of N" by the number of places in
 * the round); a double elimination upper bracket does the same but says "Upper final", so nobody
 * takes it for the match that crowns the champion; the lower bracket is numbered.
 */
import type { MatchId, SideSource } from "@/server/brackets/engine/types";

import { groupName } from "@/server/brackets/engine/labels";

export { groupName };

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ... */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** Round `round` of an upper bracket (or single elimination) with `total` rounds. */
export function upperRoundName(round: number, total: number, double: boolean): string {
  const fromEnd = total - round;
  if (fromEnd === 0) return double ? "Upper final" : "Final";
  if (fromEnd === 1) return "Semifinals";
  if (fromEnd === 2) return "Quarterfinals";
  return `Round of ${2 ** (fromEnd + 1)}`;
}

export function lowerRoundName(round: number, total: number): string {
  if (round === total) return "Lower final";
  return `Round ${round}`;
}

export function grandFinalName(round: number): string {
  return round === 1 ? "Grand final" : "Grand final — reset (if needed)";
}

export const thirdPlaceName = "Third-place match";

/** "Round 2 of 5" */
export function roundOf(round: number, total: number): string {
  return `Round ${round} of ${total}`;
}

/**
 * Who will fill a side that is still empty: "Winner of 5", "Loser of 12" (by the match numbers
 * shown on the cards), "1st in Group A".
 */
export function sourceLabel(source: SideSource | null, numberOf: (id: MatchId) => number | undefined): string {
  if (!source) return "To be decided";
  switch (source.kind) {
    case "match": {
      const number = numberOf(source.match);
      const who = source.take === "winner" ? "Winner" : "Loser";
      return number === undefined ? `${who} of an earlier match` : `${who} of ${number}`;
    }
    case "group":
      return `${ordinal(source.rank)} in ${groupName(source.group)}`;
    case "seed":
      return `Seed ${source.seed}`;
  }
}
