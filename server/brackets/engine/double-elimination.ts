// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Double elimination: the upper bracket of single elimination, a lower bracket for first losses,
 * and a grand final ('none': the upper winner is champion and the lower winner second; 'single':
 * one match; 'reset': a second match GF-2, played only if the lower finalist wins GF-1).
 *
 * Lower bracket for a bracket of size 2^k: 2(k-1) rounds. Round 1 pairs the losers of upper
 * round 1 (M1 with M2, M3 with M4 ...). Then, for t = 1 .. k-1, a drop round 2t where the survivors
 * meet the losers of upper round t+1, followed (except after the last drop) by a merge round 2t+1
 * where survivors meet each other.
 *
 * Drop pattern: the loser of upper round t+1 match i (0-based) drops into lower match i XOR c_t.
 * c_1 is all ones, the classic reversed order; every mask is chosen (see `dropMasks`) so that a
 * dropped loser cannot meet anyone they could have beaten in the upper bracket for as long as the
 * bracket size allows: no upper-bracket rematch is possible before lower round 8 of 12 at 128
 * entrants, 16 of 22 at 4,096, and in general only in the last few rounds (reversing every drop,
 * or every other drop, allows one from lower round 4 on at 32 entrants and more). XOR masks
 * include the usual named orders: reverse (all ones), half shift (top bit), reverse half shift
 * (all but the top bit).
 *
 * BYEs in the upper bracket have no loser, so the lower side they feed stays empty: its opponent
 * advances on a walkover, and a lower match with both sides empty is skipped.
 */
import { bestOfFor } from "./best-of";
import { buildUpperBracket, fromMatch, log2, newMatch, seededFirstRound } from "./single-elimination";
import type { BestOf, BestOfName, Bracket, GrandFinal, Match, MatchSide } from "./types";

/**
 * Drop masks c_1 .. c_{k-1} (index 0 unused) for a bracket of size 2^k.
 *
 * An entrant who lost upper round u+1 sits, at lower level t, in lower match (x ^ c_u) >> (t - u)
 * (x = the upper match index). Two such groups can hold an upper-bracket rematch when they meet;
 * they meet first at the level where their values stop differing above the lowest bit. Keeping the
 * top bits of all masks distinct therefore postpones every rematch: with horizon T (largest T with
 * T + 1 <= 2^(k-T-2)) masks 1..T get distinct prefixes of k-T-2 bits (all ones first, then
 * counting down; c_0 = 0 is the upper round 1 losers), which keeps lower rounds up to 2T+1
 * rematch-free; later masks avoid any clash at their own level when one is still possible.
 */
export function dropMasks(k: number): number[] {
  const masks = [0];
  let horizon = -1;
  for (let t = 0; t <= k - 2; t++) if (t + 1 <= 2 ** (k - t - 2)) horizon = t;
  const prefixWidth = k - horizon - 2;
  const usedPrefixes = new Set([0]);
  let nextPrefix = 2 ** prefixWidth - 1;
  const takePrefix = () => {
    while (nextPrefix >= 0 && usedPrefixes.has(nextPrefix)) nextPrefix--;
    if (nextPrefix < 0) return -1;
    usedPrefixes.add(nextPrefix);
    return nextPrefix;
  };
  for (let t = 1; t <= k - 1; t++) {
    const width = k - t - 1;
    if (t <= horizon) {
      const low = horizon - t + 1;
      masks.push(takePrefix() * 2 ** low + (2 ** low - 1));
      continue;
    }
    if (width === prefixWidth) {
      const prefix = takePrefix();
      if (prefix >= 0) {
        masks.push(prefix);
        continue;
      }
    }
    const taken = new Set(masks.map((mask, u) => Math.floor(mask / 2 ** (t - u))));
    let pick = -1;
    for (let x = 2 ** width - 1; x >= 0 && pick < 0; x--) if (!taken.has(x) && !taken.has(x ^ 1)) pick = x;
    for (let x = 2 ** width - 1; x >= 0 && pick < 0; x--) if (!taken.has(x)) pick = x;
    masks.push(pick < 0 ? 2 ** width - 1 : pick);
  }
  return masks;
}

export function buildDoubleElimination(
  size: number,
  firstRound: readonly MatchSide[],
  grandFinal: GrandFinal,
  bestOf: BestOf | undefined,
): Match[] {
  const k = log2(size);
  const upperNames = (round: number): BestOfName[] =>
    round === k ? (grandFinal === "none" ? ["finals", "upper_final"] : ["upper_final"]) : round === k - 1 ? ["semifinals"] : [];
  const upper = buildUpperBracket(size, firstRound, bestOf, upperNames);
  const upperFinal = upper[k - 1]![0]!;
  const lower: Match[][] = [];
  const lowerRounds = 2 * (k - 1);
  const lowerMatch = (round: number, index: number, sides: [MatchSide, MatchSide]) =>
    newMatch(
      `L-R${round}-M${index}`,
      "lower",
      round,
      index,
      bestOfFor(bestOf, `lower:${round}`, round === lowerRounds ? ["lower_final"] : []),
      sides,
    );

  if (k >= 2) {
    const masks = dropMasks(k);
    const first: Match[] = [];
    for (let j = 1; j <= size / 4; j++) {
      const a = upper[0]![2 * j - 2]!;
      const b = upper[0]![2 * j - 1]!;
      const match = lowerMatch(1, j, [fromMatch(a.id, "loser"), fromMatch(b.id, "loser")]);
      a.nextLose = { match: match.id, side: 0 };
      b.nextLose = { match: match.id, side: 1 };
      first.push(match);
    }
    lower.push(first);
    for (let t = 1; t <= k - 1; t++) {
      const count = size >> (t + 1);
      const survivors = lower[lower.length - 1]!;
      const drop: Match[] = [];
      for (let j = 0; j < count; j++) {
        const survivor = survivors[j]!;
        const dropper = upper[t]![j ^ masks[t]!]!;
        const match = lowerMatch(2 * t, j + 1, [fromMatch(survivor.id, "winner"), fromMatch(dropper.id, "loser")]);
        survivor.nextWin = { match: match.id, side: 0 };
        dropper.nextLose = { match: match.id, side: 1 };
        drop.push(match);
      }
      lower.push(drop);
      if (t === k - 1) break;
      const merge: Match[] = [];
      for (let j = 1; j <= count / 2; j++) {
        const a = drop[2 * j - 2]!;
        const b = drop[2 * j - 1]!;
        const match = lowerMatch(2 * t + 1, j, [fromMatch(a.id, "winner"), fromMatch(b.id, "winner")]);
        a.nextWin = { match: match.id, side: 0 };
        b.nextWin = { match: match.id, side: 1 };
        merge.push(match);
      }
      lower.push(merge);
    }
  }

  const matches = [...upper.flat(), ...lower.flat()];
  if (grandFinal === "none") return matches;

  const lowerFinal = lower.length > 0 ? lower[lower.length - 1]![0]! : null;
  const finalGames = bestOfFor(bestOf, null, ["finals"]);
  const first = newMatch("GF-1", "grand_final", 1, 1, finalGames, [
    fromMatch(upperFinal.id, "winner"),
    lowerFinal ? fromMatch(lowerFinal.id, "winner") : fromMatch(upperFinal.id, "loser"),
  ]);
  upperFinal.nextWin = { match: first.id, side: 0 };
  if (lowerFinal) lowerFinal.nextWin = { match: first.id, side: 1 };
  else upperFinal.nextLose = { match: first.id, side: 1 };
  matches.push(first);
  if (grandFinal === "reset") {
    // Same orientation as GF-1: the upper finalist (GF-1's loser when a reset is needed) stays on side 0.
    const reset = newMatch("GF-2", "grand_final", 2, 1, finalGames, [fromMatch(first.id, "loser"), fromMatch(first.id, "winner")]);
    reset.playedIf = { match: first.id, winner: 1 };
    first.nextWin = { match: reset.id, side: 1 };
    first.nextLose = { match: reset.id, side: 0 };
    matches.push(reset);
  }
  return matches;
}

export function createDoubleElimination(bracket: Pick<Bracket, "entrants" | "settings">, grandFinal: GrandFinal): Match[] {
  const { size, sides } = seededFirstRound(bracket);
  return buildDoubleElimination(size, sides, grandFinal, bracket.settings.bestOf);
}
