// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Round robin in one or more groups. Entrants are dealt into groups in snake order by seed
 * (A1 B1 C1 C2 B2 A2 A3 ...), so groups differ by at most one entrant and are balanced in strength.
 * Each group is scheduled with the circle method: every entrant plays once per round (an odd group
 * gives one entrant a rest each round; no BYE match is created), each pair meets once, or twice
 * with sides swapped in the second half of the schedule.
 */
import { bestOfFor } from "./best-of";
import { rankRoundRobin, seedLookup, tally } from "./standings";
import { BracketError, type BestOf, type Bracket, type Entrant, type EntrantId, type Match, type MatchId, type StandingRow } from "./types";

/** Seeds dealt into `groups` groups in snake order; each group best seed first. */
export function snakeGroups(entrants: readonly Entrant[], groups: number): EntrantId[][] {
  const result: EntrantId[][] = Array.from({ length: groups }, () => []);
  entrants.forEach((entrant, index) => {
    const row = Math.floor(index / groups);
    const column = index % groups;
    result[row % 2 === 0 ? column : groups - 1 - column]!.push(entrant.id);
  });
  return result;
}

/** Pairs of member indexes per round (circle method), side 0 first. */
function circleSchedule(size: number): [number, number][][] {
  const slots = size % 2 === 0 ? size : size + 1;
  const rounds: [number, number][][] = [];
  for (let round = 0; round < slots - 1; round++) {
    const order = [0];
    for (let j = 1; j < slots; j++) order.push(1 + ((j - 1 + round) % (slots - 1)));
    const pairs: [number, number][] = [];
    for (let i = 0; i < slots / 2; i++) {
      const a = order[i]!;
      const b = order[slots - 1 - i]!;
      if (a >= size || b >= size) continue;
      // The fixed entrant alternates sides so nobody is always listed first.
      pairs.push(i === 0 && round % 2 === 1 ? [b, a] : [a, b]);
    }
    rounds.push(pairs);
  }
  return rounds;
}

export function groupRounds(size: number, meetings: 1 | 2): number {
  return (size % 2 === 0 ? size - 1 : size) * meetings;
}

/** The ids of a group's matches, in schedule order (the same ids the generator creates). */
export function groupMatchIds(group: number, size: number, meetings: 1 | 2): MatchId[] {
  const perRound = Math.floor(size / 2);
  const ids: MatchId[] = [];
  for (let round = 1; round <= groupRounds(size, meetings); round++) {
    for (let m = 1; m <= perRound; m++) ids.push(`G${group}-R${round}-M${m}`);
  }
  return ids;
}

export function buildGroupMatches(
  groups: EntrantId[][],
  seeds: Map<EntrantId, number>,
  meetings: 1 | 2,
  bestOf: BestOf | undefined,
): Match[] {
  const matches: Match[] = [];
  groups.forEach((members, groupIndex) => {
    const group = groupIndex + 1;
    const schedule = circleSchedule(members.length);
    for (let leg = 0; leg < meetings; leg++) {
      schedule.forEach((pairs, roundIndex) => {
        const round = leg * schedule.length + roundIndex + 1;
        pairs.forEach(([a, b], pairIndex) => {
          const [first, second] = leg === 0 ? [members[a]!, members[b]!] : [members[b]!, members[a]!];
          matches.push({
            id: `G${group}-R${round}-M${pairIndex + 1}`,
            stage: `group:${group}`,
            round,
            position: pairIndex + 1,
            bestOf: bestOfFor(bestOf, `group:${round}`),
            sides: [
              { source: { kind: "seed", seed: seeds.get(first)! }, entrant: first, bye: false },
              { source: { kind: "seed", seed: seeds.get(second)! }, entrant: second, bye: false },
            ],
            nextWin: null,
            nextLose: null,
            playedIf: null,
            status: "ready",
            games: [],
            result: null,
          });
        });
      });
    }
  });
  return matches;
}

export function validateGroups(count: number, groups: number): void {
  if (!Number.isInteger(groups) || groups < 1) throw new BracketError("invalid_settings", "Choose at least one group.");
  if (count < groups * 2)
    throw new BracketError("invalid_settings", `${groups} groups need at least ${groups * 2} entrants (two per group).`);
}

export function createRoundRobin(
  bracket: Pick<Bracket, "entrants" | "settings">,
  groupCount: number,
  meetings: 1 | 2,
): { groups: EntrantId[][]; matches: Match[] } {
  validateGroups(bracket.entrants.length, groupCount);
  const groups = snakeGroups(bracket.entrants, groupCount);
  const seeds = new Map(bracket.entrants.map((entrant) => [entrant.id, entrant.seed]));
  return { groups, matches: buildGroupMatches(groups, seeds, meetings, bracket.settings.bestOf) };
}

/** A group's table from the given versions of its matches. */
export function computeGroupTable(
  bracket: Bracket,
  members: readonly EntrantId[],
  matches: readonly Match[],
  isDisqualified: (id: EntrantId) => boolean,
): StandingRow[] {
  return rankRoundRobin(tally(members, matches, seedLookup(bracket), isDisqualified), matches);
}

/** The current table of round robin group `group` (1-based), with ranks after tie-breaks. */
export function groupStandings(bracket: Bracket, group: number): StandingRow[] {
  const members = bracket.groups[group - 1];
  if (!members) throw new BracketError("invalid_settings", `There is no group ${group}.`);
  const settings = bracket.settings;
  const meetings = settings.format === "round_robin" || settings.format === "groups_playoffs" ? settings.meetings : 1;
  const matches = groupMatchIds(group, members.length, meetings).map((id) => bracket.matches[id]!);
  const disqualified = new Set(bracket.disqualified);
  return computeGroupTable(bracket, members, matches, (id) => disqualified.has(id));
}

export function isGroupComplete(bracket: Bracket, group: number): boolean {
  const members = bracket.groups[group - 1] ?? [];
  const settings = bracket.settings;
  const meetings = settings.format === "round_robin" || settings.format === "groups_playoffs" ? settings.meetings : 1;
  return groupMatchIds(group, members.length, meetings).every((id) => bracket.matches[id]?.result != null);
}
