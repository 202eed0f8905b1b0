// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Groups into playoffs: round robin groups, then the top `advance` of each group play a single or
 * double elimination bracket. The playoff is generated up front with its first-round sides waiting
 * for group ranks ({ kind: 'group', group, rank }); a group's ranks fill them the moment its last
 * match is decided (and refill them if a group result is corrected).
 *
 * Playoff seeds go across groups: group winners first in group order (A1 = 1, B1 = 2, ...), then the
 * runners-up (A2, B2, ...), and so on, placed in the standard order. Where that pairs two entrants
 * of the same group in the first round, the weaker of them swaps with the weaker side of another
 * first-round match (same rank first), when that leaves both matches free of same-group meetings.
 */
import { buildDoubleElimination } from "./double-elimination";
import { createRoundRobin } from "./round-robin";
import { bracketSize, standardOrder } from "./seeding";
import { buildSingleElimination } from "./single-elimination";
import { BracketError, type Bracket, type EliminationSettings, type EntrantId, type Match, type MatchSide } from "./types";

interface PlayoffSeed {
  group: number;
  rank: number;
}

/** Playoff first-round slots (in bracket position order) as group ranks, null for BYEs. */
export function playoffSlots(groups: number, advance: number): (PlayoffSeed | null)[] {
  const field = groups * advance;
  const size = bracketSize(field);
  const bySeed = (seed: number): PlayoffSeed | null =>
    seed > field ? null : { group: ((seed - 1) % groups) + 1, rank: Math.floor((seed - 1) / groups) + 1 };
  const slots = standardOrder(size).map(bySeed);
  const clash = (j: number) => {
    const a = slots[2 * j];
    const b = slots[2 * j + 1];
    return !!a && !!b && a.group === b.group;
  };
  const matches = size / 2;
  for (let j = 0; j < matches; j++) {
    if (!clash(j)) continue;
    // The weaker side of a first-round match is its second slot (the higher seed number).
    const candidates = [];
    for (let other = 0; other < matches; other++) if (other !== j && slots[2 * other + 1]) candidates.push(other);
    const rank = slots[2 * j + 1]!.rank;
    candidates.sort((x, y) => Number(slots[2 * x + 1]!.rank !== rank) - Number(slots[2 * y + 1]!.rank !== rank));
    for (const other of candidates) {
      [slots[2 * j + 1], slots[2 * other + 1]] = [slots[2 * other + 1]!, slots[2 * j + 1]!];
      if (!clash(j) && !clash(other)) break;
      [slots[2 * j + 1], slots[2 * other + 1]] = [slots[2 * other + 1]!, slots[2 * j + 1]!];
    }
  }
  return slots;
}

export function createGroupsPlayoffs(
  bracket: Pick<Bracket, "entrants" | "settings">,
  groupCount: number,
  meetings: 1 | 2,
  advance: number,
  playoff: EliminationSettings,
): { groups: EntrantId[][]; matches: Match[] } {
  if (!Number.isInteger(advance) || advance < 1) throw new BracketError("invalid_settings", "At least one entrant per group must advance.");
  const { groups, matches } = createRoundRobin(bracket, groupCount, meetings);
  const smallest = Math.min(...groups.map((members) => members.length));
  if (advance > smallest)
    throw new BracketError("invalid_settings", `Only ${smallest} entrants are in the smallest group; ${advance} cannot advance.`);
  if (groupCount * advance < 2) throw new BracketError("invalid_settings", "At least two entrants must reach the playoffs.");
  const slots = playoffSlots(groupCount, advance);
  const order = standardOrder(slots.length);
  const sides = slots.map(
    (slot, position): MatchSide =>
      slot
        ? { source: { kind: "group", group: slot.group, rank: slot.rank }, entrant: null, bye: false }
        : { source: { kind: "seed", seed: order[position]! }, entrant: null, bye: true },
  );
  const bestOf = bracket.settings.bestOf;
  const playoffs =
    playoff.format === "single_elimination"
      ? buildSingleElimination(slots.length, sides, playoff.thirdPlace, bestOf)
      : buildDoubleElimination(slots.length, sides, playoff.grandFinal, bestOf);
  return { groups, matches: [...matches, ...playoffs] };
}
