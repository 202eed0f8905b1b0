import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { finalStandings } from "./placements";
import { applyUpdate } from "./progression";
import { disqualify, setResult } from "./results";
import { groupStandings, snakeGroups } from "./round-robin";
import { field } from "./testing";
import type { Bracket, Game, MatchOutcome } from "./types";

function matchBetween(bracket: Bracket, a: string, b: string) {
  const match = Object.values(bracket.matches).find((candidate) => {
    const ids = candidate.sides.map((side) => side.entrant);
    return ids.includes(a) && ids.includes(b);
  });
  if (!match) throw new Error(`${a} and ${b} do not meet`);
  return match;
}

/** `winner` beats `loser` by `score` games (best-of-3). */
function beat(bracket: Bracket, winner: string, loser: string, score: [number, number] = [2, 0]): Bracket {
  const match = matchBetween(bracket, winner, loser);
  const side = match.sides[0].entrant === winner ? 0 : 1;
  const games: Game[] = [...Array<Game>(score[1]).fill({ winner: (1 - side) as 0 | 1 }), ...Array<Game>(score[0]).fill({ winner: side })];
  const outcome: MatchOutcome = { type: "played", winner: side, games };
  return applyUpdate(bracket, setResult(bracket, match.id, outcome));
}

const table = (bracket: Bracket, group = 1) => groupStandings(bracket, group).map((row) => row.entrant);

describe("round robin", () => {
  it("deals seeds into groups in snake order", () => {
    expect(snakeGroups(field(10), 3)).toEqual([
      ["p1", "p6", "p7"],
      ["p2", "p5", "p8"],
      ["p3", "p4", "p9", "p10"],
    ]);
  });

  it("schedules every entrant at most once per round; an odd group rests one entrant per round", () => {
    for (const size of [4, 5]) {
      const bracket = createBracket(field(size), { format: "round_robin", groups: 1, meetings: 2 });
      const rounds = new Map<number, string[]>();
      for (const match of Object.values(bracket.matches)) {
        rounds.set(match.round, [...(rounds.get(match.round) ?? []), ...match.sides.map((side) => side.entrant!)]);
      }
      expect(rounds.size).toBe(size % 2 === 0 ? 2 * (size - 1) : 2 * size);
      for (const players of rounds.values()) {
        expect(new Set(players).size).toBe(players.length);
        expect(players).toHaveLength(size - (size % 2));
      }
      // The second meeting swaps sides.
      const legs = Object.values(bracket.matches).filter(
        (match) => [match.sides[0].entrant, match.sides[1].entrant].sort().join() === "p1,p2",
      );
      expect(legs.map((match) => match.sides[0].entrant).sort()).toEqual(["p1", "p2"]);
    }
  });

  it("ranks by wins, then head-to-head among those level on wins", () => {
    let bracket = createBracket(field(4), { format: "round_robin", groups: 1, meetings: 1, bestOf: 3 });
    bracket = beat(bracket, "p1", "p2");
    bracket = beat(bracket, "p1", "p3", [2, 1]);
    bracket = beat(bracket, "p4", "p1");
    bracket = beat(bracket, "p2", "p3");
    bracket = beat(bracket, "p2", "p4", [2, 1]);
    bracket = beat(bracket, "p3", "p4");
    const rows = groupStandings(bracket, 1);
    expect(rows.map((row) => [row.entrant, row.wins, row.headToHead])).toEqual([
      ["p1", 2, 1],
      ["p2", 2, 0],
      ["p3", 1, 1],
      ["p4", 1, 0],
    ]);
    expect(finalStandings(bracket)).toMatchObject({ complete: true, champion: "p1" });
  });

  it("a three-way tie on wins and head-to-head falls to game difference, then games won", () => {
    let bracket = createBracket(field(4), { format: "round_robin", groups: 1, meetings: 1, bestOf: 3 });
    bracket = beat(bracket, "p1", "p2", [2, 0]);
    bracket = beat(bracket, "p2", "p3", [2, 1]);
    bracket = beat(bracket, "p3", "p1", [2, 1]);
    bracket = beat(bracket, "p1", "p4", [2, 0]);
    bracket = beat(bracket, "p2", "p4", [2, 0]);
    bracket = beat(bracket, "p3", "p4", [2, 1]);
    const rows = groupStandings(bracket, 1);
    // p1 +3; p2 and p3 both +1, but p3 won 5 games to p2's 4.
    expect(rows.map((row) => [row.entrant, row.gamesWon - row.gamesLost, row.gamesWon])).toEqual([
      ["p1", 3, 5],
      ["p3", 1, 5],
      ["p2", 1, 4],
      ["p4", -5, 1],
    ]);
  });

  it("a complete tie falls back to seed", () => {
    let bracket = createBracket(field(3), { format: "round_robin", groups: 1, meetings: 1 });
    bracket = beat(bracket, "p3", "p1", [1, 0]);
    bracket = beat(bracket, "p1", "p2", [1, 0]);
    bracket = beat(bracket, "p2", "p3", [1, 0]);
    expect(table(bracket)).toEqual(["p1", "p2", "p3"]);
  });

  it("a forfeit counts as a win by a majority to nil; a disqualified entrant forfeits the rest and ranks last", () => {
    let bracket = createBracket(field(4), { format: "round_robin", groups: 1, meetings: 1, bestOf: 3 });
    bracket = beat(bracket, "p1", "p2");
    bracket = beat(bracket, "p1", "p3");
    const forfeit = matchBetween(bracket, "p2", "p3");
    bracket = applyUpdate(bracket, setResult(bracket, forfeit.id, { type: "forfeit", winner: forfeit.sides[0].entrant === "p3" ? 0 : 1 }));
    bracket = applyUpdate(bracket, disqualify(bracket, "p1"));
    expect(matchBetween(bracket, "p1", "p4")).toMatchObject({ status: "completed", result: { kind: "disqualification" } });
    const rows = groupStandings(bracket, 1);
    expect(rows.map((row) => row.entrant)).toEqual(["p4", "p3", "p2", "p1"]);
    expect(rows.find((row) => row.entrant === "p3")).toMatchObject({ wins: 1, gamesWon: 2, gamesLost: 2 });
    expect(rows.at(-1)).toMatchObject({ entrant: "p1", wins: 2, disqualified: true });
  });

  it("several groups: final placements go by tier (all group winners first)", () => {
    let bracket = createBracket(field(6), { format: "round_robin", groups: 2, meetings: 1 });
    for (const [a, b] of [
      ["p1", "p4"],
      ["p1", "p5"],
      ["p4", "p5"],
      ["p2", "p3"],
      ["p2", "p6"],
      ["p3", "p6"],
    ] as const)
      bracket = beat(bracket, a, b, [1, 0]);
    expect(bracket.groups).toEqual([
      ["p1", "p4", "p5"],
      ["p2", "p3", "p6"],
    ]);
    expect(finalStandings(bracket).placements.map((placement) => placement.entrant)).toEqual(["p1", "p2", "p3", "p4", "p5", "p6"]);
  });

  it("needs two entrants per group", () => {
    expect(() => createBracket(field(5), { format: "round_robin", groups: 3, meetings: 1 })).toThrow(/at least 6/);
    expect(() => createBracket(field(4), { format: "round_robin", groups: 1, meetings: 3 as 1 })).toThrow(/once or twice/);
  });
});
