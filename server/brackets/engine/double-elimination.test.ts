import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { dropMasks } from "./double-elimination";
import { finalStandings } from "./placements";
import { applyUpdate } from "./progression";
import { disqualify, previewResult, setResult } from "./results";
import { createRandom } from "./seeding";
import { field, playToEnd } from "./testing";
import type { Bracket, GrandFinal, Match, MatchOutcome } from "./types";

const win = (winner: 0 | 1): MatchOutcome => ({ type: "played", winner });
const de = (count: number, grandFinal: GrandFinal = "reset") => createBracket(field(count), { format: "double_elimination", grandFinal });
const describeMatch = (match: Match) =>
  `${match.id} ${match.sides.map((side) => side.entrant ?? (side.bye ? "BYE" : "?")).join(" v ")} ${match.status}${
    match.result?.winner != null ? ` ${match.sides[match.result.winner].entrant}` : ""
  }`;

function play(bracket: Bracket, ...steps: [string, 0 | 1][]): Bracket {
  return steps.reduce((current, [id, winner]) => applyUpdate(current, setResult(current, id, win(winner))), bracket);
}

describe("double elimination", () => {
  it("a scripted 4-entrant bracket with a bracket reset", () => {
    let bracket = de(4);
    bracket = play(bracket, ["U-R1-M1", 0], ["U-R1-M2", 1], ["L-R1-M1", 1], ["U-R2-M1", 0], ["L-R2-M1", 0]);
    // p2 lost to p3 in the upper bracket, beat p4 and p3 in the lower bracket.
    bracket = play(bracket, ["GF-1", 1]);
    expect(describeMatch(bracket.matches["GF-2"]!)).toBe("GF-2 p1 v p2 ready");
    bracket = play(bracket, ["GF-2", 0]);
    expect(Object.values(bracket.matches).map(describeMatch)).toEqual([
      "U-R1-M1 p1 v p4 completed p1",
      "U-R1-M2 p2 v p3 completed p3",
      "U-R2-M1 p1 v p3 completed p1",
      "L-R1-M1 p4 v p2 completed p2",
      "L-R2-M1 p2 v p3 completed p2",
      "GF-1 p1 v p2 completed p2",
      "GF-2 p1 v p2 completed p1",
    ]);
    expect(finalStandings(bracket)).toEqual({
      complete: true,
      champion: "p1",
      placements: [
        { entrant: "p1", place: 1 },
        { entrant: "p2", place: 2 },
        { entrant: "p3", place: 3 },
        { entrant: "p4", place: 4 },
      ],
    });
  });

  it("the reset is skipped when the upper finalist wins the first final, and comes back if that is corrected", () => {
    let bracket = play(de(4), ["U-R1-M1", 0], ["U-R1-M2", 0], ["L-R1-M1", 0], ["U-R2-M1", 0], ["L-R2-M1", 0], ["GF-1", 0]);
    expect(describeMatch(bracket.matches["GF-2"]!)).toBe("GF-2 ? v ? skipped");
    expect(finalStandings(bracket).champion).toBe("p1");
    expect(Object.values(bracket.matches).filter((match) => match.result?.kind === "played")).toHaveLength(6);

    const update = setResult(bracket, "GF-1", win(1));
    expect(update.reset).toEqual(["GF-2"]);
    bracket = applyUpdate(bracket, update);
    expect(describeMatch(bracket.matches["GF-2"]!)).toBe("GF-2 p1 v p4 ready");
    expect(finalStandings(bracket).complete).toBe(false);
    bracket = play(bracket, ["GF-2", 1]);
    expect(finalStandings(bracket).champion).toBe("p4");
    // And back: correcting GF-1 to the upper finalist again makes the played reset unnecessary.
    expect(previewResult(bracket, "GF-1", win(0))).toEqual(["GF-2"]);
  });

  it("'single' crowns the winner of one final; 'none' has no final: the upper winner is champion, the lower winner second", () => {
    let single = play(de(4, "single"), ["U-R1-M1", 0], ["U-R1-M2", 0], ["L-R1-M1", 0], ["U-R2-M1", 0], ["L-R2-M1", 0], ["GF-1", 1]);
    expect(single.matches["GF-2"]).toBeUndefined();
    expect(finalStandings(single).champion).toBe("p4");
    single = play(de(2, "single"), ["U-R1-M1", 1]);
    expect(describeMatch(single.matches["GF-1"]!)).toBe("GF-1 p2 v p1 ready");

    const none = play(de(4, "none"), ["U-R1-M1", 0], ["U-R1-M2", 0], ["L-R1-M1", 0], ["U-R2-M1", 1], ["L-R2-M1", 1]);
    expect(Object.keys(none.matches)).not.toContain("GF-1");
    expect(finalStandings(none).placements).toEqual([
      { entrant: "p2", place: 1 },
      { entrant: "p1", place: 2 },
      { entrant: "p4", place: 3 },
      { entrant: "p3", place: 4 },
    ]);
  });

  it("8 entrants: losers drop in reverse order into lower round 2; placements 1, 2, 3, 4, 5, 5, 7, 7", () => {
    const bracket = de(8);
    const from = (id: string) =>
      bracket.matches[id]!.sides.map((side) => (side.source?.kind === "match" ? `${side.source.take} ${side.source.match}` : "seed"));
    expect(from("L-R1-M1")).toEqual(["loser U-R1-M1", "loser U-R1-M2"]);
    expect(from("L-R1-M2")).toEqual(["loser U-R1-M3", "loser U-R1-M4"]);
    expect(from("L-R2-M1")).toEqual(["winner L-R1-M1", "loser U-R2-M2"]);
    expect(from("L-R2-M2")).toEqual(["winner L-R1-M2", "loser U-R2-M1"]);
    expect(from("L-R3-M1")).toEqual(["winner L-R2-M1", "winner L-R2-M2"]);
    expect(from("L-R4-M1")).toEqual(["winner L-R3-M1", "loser U-R3-M1"]);
    expect(from("GF-1")).toEqual(["winner U-R3-M1", "winner L-R4-M1"]);
    const end = playToEnd(bracket, createRandom(11));
    expect(finalStandings(end).placements.map((placement) => placement.place)).toEqual([1, 2, 3, 4, 5, 5, 7, 7]);
  });

  it("BYEs in the lower bracket: a side fed by a BYE match is empty, its opponent walks over", () => {
    let bracket = de(5);
    expect(describeMatch(bracket.matches["L-R1-M1"]!)).toBe("L-R1-M1 BYE v ? pending");
    expect(describeMatch(bracket.matches["L-R1-M2"]!)).toBe("L-R1-M2 BYE v BYE skipped");
    expect(describeMatch(bracket.matches["L-R2-M2"]!)).toBe("L-R2-M2 BYE v ? pending");
    bracket = play(bracket, ["U-R1-M2", 1], ["U-R2-M2", 0]);
    expect(describeMatch(bracket.matches["L-R1-M1"]!)).toBe("L-R1-M1 BYE v p4 bye p4");
    expect(describeMatch(bracket.matches["L-R2-M1"]!)).toBe("L-R2-M1 p4 v p3 ready");
    bracket = play(bracket, ["U-R2-M1", 0]);
    expect(describeMatch(bracket.matches["L-R2-M2"]!)).toBe("L-R2-M2 BYE v p5 bye p5");
    const end = playToEnd(bracket, createRandom(5));
    expect(Object.values(end.matches).filter((match) => match.result?.kind === "played").length).toBeGreaterThanOrEqual(8);
    expect(finalStandings(end).complete).toBe(true);
  });

  it("a correction after two later rounds resets exactly the matches fed by the old winner and loser", () => {
    let bracket = de(8);
    bracket = play(
      bracket,
      ...["U-R1-M1", "U-R1-M2", "U-R1-M3", "U-R1-M4", "U-R2-M1", "U-R2-M2", "L-R1-M1", "L-R1-M2", "L-R2-M1", "L-R2-M2"].map(
        (id) => [id, 0] as [string, 0],
      ),
    );
    // p8, not p1, won the first match: p8 takes p1's upper path, p1 takes p8's lower path.
    const update = setResult(bracket, "U-R1-M1", win(1));
    expect([...update.reset].sort()).toEqual(["L-R1-M1", "L-R2-M1", "L-R2-M2", "L-R3-M1", "U-R2-M1", "U-R3-M1"]);
    bracket = applyUpdate(bracket, update);
    expect(describeMatch(bracket.matches["U-R2-M1"]!)).toBe("U-R2-M1 p8 v p4 ready");
    expect(describeMatch(bracket.matches["L-R1-M1"]!)).toBe("L-R1-M1 p1 v p5 ready");
    expect(describeMatch(bracket.matches["U-R3-M1"]!)).toBe("U-R3-M1 ? v p2 pending");
    expect(describeMatch(bracket.matches["L-R2-M1"]!)).toBe("L-R2-M1 ? v p3 pending");
    expect(describeMatch(bracket.matches["L-R2-M2"]!)).toBe("L-R2-M2 p7 v ? pending");
    expect(describeMatch(bracket.matches["L-R3-M1"]!)).toBe("L-R3-M1 ? v ? pending");
    // Untouched: the other upper matches and the other lower first-round match.
    for (const id of ["U-R1-M2", "U-R1-M3", "U-R1-M4", "U-R2-M2", "L-R1-M2"]) expect(bracket.matches[id]!.status).toBe("completed");
  });

  it("a disqualified entrant leaves both brackets: every later match they reach is a forfeit win", () => {
    let bracket = play(de(8), ["U-R1-M1", 0], ["U-R1-M2", 0], ["U-R1-M3", 0], ["U-R1-M4", 0]);
    bracket = applyUpdate(bracket, disqualify(bracket, "p3"));
    // p3 was waiting for the upper semifinal against p2: p2 advances, p3 drops and forfeits there too.
    expect(describeMatch(bracket.matches["U-R2-M2"]!)).toBe("U-R2-M2 p2 v p3 completed p2");
    expect(bracket.matches["U-R2-M2"]!.result!.kind).toBe("disqualification");
    expect(describeMatch(bracket.matches["L-R2-M1"]!)).toBe("L-R2-M1 ? v p3 pending");
    bracket = play(bracket, ["L-R1-M1", 1]);
    expect(describeMatch(bracket.matches["L-R2-M1"]!)).toBe("L-R2-M1 p5 v p3 completed p5");
    expect(describeMatch(bracket.matches["L-R3-M1"]!)).toBe("L-R3-M1 p5 v ? pending");
    const end = playToEnd(bracket, createRandom(1));
    const withP3 = Object.values(end.matches).filter((match) => match.sides.some((side) => side.entrant === "p3"));
    expect(withP3.map((match) => match.id)).toEqual(["U-R1-M4", "U-R2-M2", "L-R2-M1"]);
    expect(finalStandings(end).placements.find((placement) => placement.entrant === "p3")!.place).toBe(5);
  });

  describe("drop pattern", () => {
    /** The earliest lower round where two entrants could meet who may already have met in the upper bracket. */
    function firstPossibleRematch(k: number): number {
      const bracket = de(2 ** k, "single");
      // For each lower side: the upper matches its possible occupants lost (round, index).
      const origins = new Map<string, [number, number][]>();
      const originsOf = (match: Match): [number, number][][] =>
        match.sides.map((side) => {
          const source = side.source!;
          if (source.kind !== "match") return [];
          const feeder = bracket.matches[source.match]!;
          if (source.take === "loser") return [[feeder.round, feeder.position - 1]];
          return origins.get(feeder.id)!;
        });
      const lower = Object.values(bracket.matches).filter((match) => match.stage === "lower");
      for (const match of lower) {
        const [a, b] = originsOf(match);
        origins.set(match.id, [...a!, ...b!]);
        const clash = a!.some(([ra, ia]) =>
          b!.some(([rb, ib]) => ra !== rb && (ra < rb ? ia >> (rb - ra) === ib : ib >> (ra - rb) === ia)),
        );
        if (clash) return match.round;
      }
      return Infinity;
    }

    it("keeps upper-bracket rematches out of the lower bracket for as long as the size allows", () => {
      const expected: Record<number, number> = { 2: 2, 3: 3, 4: 4, 5: 5, 6: 7, 7: 8, 8: 9 };
      for (const [k, round] of Object.entries(expected)) expect(firstPossibleRematch(Number(k)), `size ${2 ** Number(k)}`).toBe(round);
    });

    it("starts with the reversed order and keeps every mask inside its round", () => {
      for (let k = 2; k <= 14; k++) {
        const masks = dropMasks(k);
        expect(masks).toHaveLength(k);
        if (k >= 3) expect(masks[1]).toBe(2 ** (k - 2) - 1);
        masks.forEach((mask, t) => {
          if (t > 0) expect(mask).toBeLessThan(Math.max(1, 2 ** (k - t - 1)));
        });
      }
    });
  });
});
