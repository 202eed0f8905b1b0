/**
 * Properties over every format and field sizes 2 to 300: the explicit edge sizes below, plus sizes
 * sampled by fast-check. Each case generates a bracket, checks its structure, plays it to the end
 * with random results and checks the outcome.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { finalStandings } from "./placements";
import { groupMatchIds } from "./round-robin";
import { bracketSize, createRandom } from "./seeding";
import { field, playToEnd } from "./testing";
import type { Bracket, BracketSettings, EliminationSettings, Match } from "./types";

const edgeSizes = [2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 64, 100, 255, 256, 257, 300];
const sampledSize = fc.integer({ min: 2, max: 300 });
const randomSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const runs = { numRuns: 25 };
/** Fewer samples for the formats that play many matches per entrant. */
const heavyRuns = { numRuns: 15 };

const all = (bracket: Bracket) => Object.values(bracket.matches);
const stage = (bracket: Bracket, name: string) => all(bracket).filter((match) => match.stage === name);
const playedCount = (bracket: Bracket) => all(bracket).filter((match) => match.result?.kind === "played").length;

function expectNoByeAgainstBye(matches: Match[]) {
  for (const match of matches) expect(match.sides[0].bye && match.sides[1].bye, `${match.id} pairs two BYEs`).toBe(false);
}

function expectChampionAndPlacements(bracket: Bracket) {
  const standings = finalStandings(bracket);
  expect(standings.complete).toBe(true);
  expect(standings.champion).not.toBeNull();
  const placed = standings.placements.map((placement) => placement.entrant).sort();
  expect(placed).toEqual(bracket.entrants.map((entrant) => entrant.id).sort());
  const winners = standings.placements.filter((placement) => placement.place === 1);
  expect(winners.map((placement) => placement.entrant)).toEqual([standings.champion]);
  for (const placement of standings.placements) {
    expect(placement.place).toBeGreaterThanOrEqual(1);
    expect(placement.place).toBeLessThanOrEqual(bracket.entrants.length);
  }
}

/** Structure of an elimination first round seeded in standard order. */
function expectSeededFirstRound(bracket: Bracket, count: number) {
  const size = bracketSize(count);
  const firstRound = all(bracket).filter((match) => match.stage === "upper" && match.round === 1);
  expect(firstRound).toHaveLength(size / 2);
  expectNoByeAgainstBye(firstRound);
  const entrants = firstRound.flatMap((match) => match.sides.map((side) => side.entrant)).filter(Boolean);
  expect(new Set(entrants).size).toBe(count);
  // BYEs go to the top seeds: exactly seeds 1 .. size - count have one.
  const withBye = firstRound
    .filter((match) => match.sides.some((side) => side.bye))
    .map((match) => bracket.entrants.find((entrant) => match.sides.some((side) => side.entrant === entrant.id))!.seed)
    .sort((a, b) => a - b);
  expect(withBye).toEqual(Array.from({ length: size - count }, (_, i) => i + 1));
  // Seeds 1 and 2 in opposite halves.
  const slotOf = (id: string) => {
    const match = firstRound.find((candidate) => candidate.sides.some((side) => side.entrant === id))!;
    return 2 * (match.position - 1) + match.sides.findIndex((side) => side.entrant === id);
  };
  expect(slotOf("p1")).toBeLessThan(size / 2);
  expect(slotOf("p2")).toBeGreaterThanOrEqual(size / 2);
}

function checkSingleElimination(count: number, thirdPlace: boolean, seed: number) {
  const bracket = createBracket(field(count), { format: "single_elimination", thirdPlace });
  expectSeededFirstRound(bracket, count);
  const end = playToEnd(bracket, createRandom(seed));
  // Real matches: between two entrants and played. BYE matches are counted apart.
  expect(playedCount(end)).toBe(count - 1 + (thirdPlace && count >= 4 ? 1 : 0));
  expect(all(end).filter((match) => match.status === "bye").length).toBe(bracketSize(count) - count + (thirdPlace && count === 3 ? 1 : 0));
  expectChampionAndPlacements(end);
}

function checkDoubleElimination(count: number, grandFinal: "none" | "single" | "reset", seed: number) {
  const bracket = createBracket(field(count), { format: "double_elimination", grandFinal });
  expectSeededFirstRound(bracket, count);
  const end = playToEnd(bracket, createRandom(seed));
  const reset = end.matches["GF-2"];
  if (grandFinal === "reset") {
    expect(reset!.status === "completed").toBe(end.matches["GF-1"]!.result!.winner === 1);
  }
  const expected = grandFinal === "none" ? 2 * count - 3 : reset?.status === "completed" ? 2 * count - 1 : 2 * count - 2;
  expect(playedCount(end)).toBe(expected);
  expectChampionAndPlacements(end);
}

function checkRoundRobin(count: number, groupSize: number, meetings: 1 | 2, seed: number) {
  const groups = Math.max(1, Math.floor(count / groupSize));
  const bracket = createBracket(field(count), { format: "round_robin", groups, meetings });
  expect(bracket.groups.flat().sort()).toEqual(
    field(count)
      .map((entrant) => entrant.id)
      .sort(),
  );
  bracket.groups.forEach((members, index) => {
    const matches = groupMatchIds(index + 1, members.length, meetings).map((id) => bracket.matches[id]!);
    expect(matches).toHaveLength(((members.length * (members.length - 1)) / 2) * meetings);
    const pairs = new Map<string, number>();
    for (const match of matches) {
      const key = [match.sides[0].entrant, match.sides[1].entrant].sort().join("|");
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    expect(pairs.size).toBe((members.length * (members.length - 1)) / 2);
    for (const times of pairs.values()) expect(times).toBe(meetings);
  });
  expect(Object.keys(bracket.matches)).toHaveLength(
    bracket.groups.reduce((sum, members) => sum + ((members.length * (members.length - 1)) / 2) * meetings, 0),
  );
  const end = playToEnd(bracket, createRandom(seed));
  expectChampionAndPlacements(end);
}

function checkSwiss(count: number, rounds: number, seed: number) {
  const bracket = createBracket(field(count), { format: "swiss", rounds });
  const end = playToEnd(bracket, createRandom(seed));
  const matches = stage(end, "swiss");
  const pairs = new Set<string>();
  const byes = new Map<string, number>();
  for (let round = 1; round <= rounds; round++) {
    const inRound = matches.filter((match) => match.round === round);
    const present = inRound.flatMap((match) => match.sides.map((side) => side.entrant)).filter(Boolean);
    expect(new Set(present).size).toBe(count);
    expect(present).toHaveLength(count);
  }
  for (const match of matches) {
    expectNoByeAgainstBye([match]);
    const [a, b] = [match.sides[0].entrant, match.sides[1].entrant];
    if (a && b) {
      const key = [a, b].sort().join("|");
      expect(pairs.has(key), `rematch ${key}`).toBe(false);
      pairs.add(key);
    } else {
      const player = (a ?? b)!;
      byes.set(player, (byes.get(player) ?? 0) + 1);
    }
  }
  for (const times of byes.values()) expect(times).toBe(1);
  expect([...byes.values()].length).toBe(count % 2 === 1 ? rounds : 0);
  expectChampionAndPlacements(end);
}

function checkGroupsPlayoffs(count: number, groupSize: number, advanceWish: number, playoff: EliminationSettings, seed: number) {
  const groups = Math.max(1, Math.floor(count / groupSize));
  const smallest = Math.floor(count / groups);
  const advance = Math.max(groups === 1 ? 2 : 1, Math.min(advanceWish, smallest));
  const settings: BracketSettings = { format: "groups_playoffs", groups, meetings: 1, advance, playoff };
  const bracket = createBracket(field(count), settings);
  const firstRound = all(bracket).filter((match) => match.stage === "upper" && match.round === 1);
  expectNoByeAgainstBye(firstRound);
  const end = playToEnd(bracket, createRandom(seed));
  const playoffEntrants = all(end)
    .filter((match) => match.stage === "upper" && match.round === 1)
    .flatMap((match) => match.sides.map((side) => side.entrant))
    .filter(Boolean);
  expect(new Set(playoffEntrants).size).toBe(groups * advance);
  if (groups >= 2) {
    const groupOf = new Map(end.groups.flatMap((members, index) => members.map((id) => [id, index] as const)));
    for (const match of firstRound.map((match) => end.matches[match.id]!)) {
      const [a, b] = match.sides.map((side) => side.entrant);
      if (a && b) expect(groupOf.get(a), `${match.id}: ${a} and ${b} share a group`).not.toBe(groupOf.get(b));
    }
  }
  expectChampionAndPlacements(end);
}

describe("single elimination", () => {
  it.each(edgeSizes)("%i entrants, with and without a third-place match", (count) => {
    checkSingleElimination(count, false, count);
    checkSingleElimination(count, true, count + 1);
  });
  it("sampled sizes", () => {
    fc.assert(fc.property(sampledSize, fc.boolean(), randomSeed, checkSingleElimination), runs);
  });
});

describe("double elimination", () => {
  it.each(edgeSizes)("%i entrants, every grand final", (count) => {
    checkDoubleElimination(count, "none", count);
    checkDoubleElimination(count, "single", count + 1);
    checkDoubleElimination(count, "reset", count + 2);
  });
  it("sampled sizes", () => {
    fc.assert(fc.property(sampledSize, fc.constantFrom("none", "single", "reset" as const), randomSeed, checkDoubleElimination), runs);
  });
});

describe("round robin", () => {
  it.each(edgeSizes)("%i entrants", (count) => {
    checkRoundRobin(count, count <= 17 ? count : 6, count % 2 === 0 ? 1 : 2, count);
  });
  it("sampled sizes and group sizes, once or twice", () => {
    fc.assert(
      fc.property(sampledSize, fc.integer({ min: 2, max: 12 }), fc.constantFrom(1 as const, 2 as const), randomSeed, checkRoundRobin),
      heavyRuns,
    );
  });
});

describe("swiss", () => {
  const roundsFor = (count: number, wish: number) => Math.max(1, Math.min(wish, Math.floor(count / 2)));
  it.each(edgeSizes)("%i entrants", (count) => {
    checkSwiss(count, roundsFor(count, Math.ceil(Math.log2(count)) + 1), count);
  });
  it("sampled sizes and round counts", () => {
    fc.assert(
      fc.property(sampledSize, fc.integer({ min: 1, max: 10 }), randomSeed, (count, rounds, seed) =>
        checkSwiss(count, roundsFor(count, rounds), seed),
      ),
      heavyRuns,
    );
  });
});

describe("groups into playoffs", () => {
  const playoff = fc.constantFrom<EliminationSettings>(
    { format: "single_elimination", thirdPlace: true },
    { format: "single_elimination", thirdPlace: false },
    { format: "double_elimination", grandFinal: "reset" },
    { format: "double_elimination", grandFinal: "none" },
  );
  it.each(edgeSizes)("%i entrants", (count) => {
    checkGroupsPlayoffs(count, 4, 2, { format: "single_elimination", thirdPlace: true }, count);
    checkGroupsPlayoffs(count, 5, 3, { format: "double_elimination", grandFinal: "reset" }, count + 1);
  });
  it("sampled sizes, group sizes and playoffs", () => {
    fc.assert(
      fc.property(sampledSize, fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 4 }), playoff, randomSeed, checkGroupsPlayoffs),
      heavyRuns,
    );
  });
});
