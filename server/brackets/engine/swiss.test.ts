import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { finalStandings } from "./placements";
import { applyUpdate } from "./progression";
import { disqualify, setResult } from "./results";
import { createRandom } from "./seeding";
import { nextSwissRound, swissStandings } from "./swiss";
import { field, playToEnd } from "./testing";
import { BracketError, type Bracket } from "./types";

const pairs = (bracket: Bracket, round: number) =>
  Object.values(bracket.matches)
    .filter((match) => match.stage === "swiss" && match.round === round)
    .map((match) => match.sides.map((side) => side.entrant ?? "BYE").join("-"));

function playRound(bracket: Bracket, round: number, winner: (match: { sides: { entrant: string | null }[] }) => 0 | 1 = () => 0): Bracket {
  let current = bracket;
  for (const match of Object.values(bracket.matches)) {
    if (match.stage !== "swiss" || match.round !== round || match.status !== "ready") continue;
    current = applyUpdate(current, setResult(current, match.id, { type: "played", winner: winner(match) }));
  }
  return current;
}

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as BracketError).code;
  }
};

describe("swiss", () => {
  it("round 1 pairs the top half against the bottom half; round 2 pairs by score", () => {
    let bracket = createBracket(field(8), { format: "swiss", rounds: 3 });
    expect(pairs(bracket, 1)).toEqual(["p1-p5", "p2-p6", "p3-p7", "p4-p8"]);
    expect(codeOf(() => nextSwissRound(bracket))).toBe("round_incomplete");
    bracket = playRound(bracket, 1);
    bracket = applyUpdate(bracket, nextSwissRound(bracket));
    expect(pairs(bracket, 2)).toEqual(["p1-p3", "p2-p4", "p5-p7", "p6-p8"]);
  });

  it("Buchholz breaks ties on wins", () => {
    let bracket = createBracket(field(4), { format: "swiss", rounds: 2 });
    bracket = playRound(bracket, 1); // p1 beats p3, p2 beats p4
    bracket = applyUpdate(bracket, nextSwissRound(bracket));
    expect(pairs(bracket, 2)).toEqual(["p1-p2", "p3-p4"]);
    bracket = playRound(bracket, 2, () => 1); // p2 beats p1, p4 beats p3
    const rows = swissStandings(bracket);
    // p1 and p2 have one win each; p1 played p3 (0 wins) and p2 (2), p2 played p4 (1) and p1 (1): 2 each, then seed.
    // p4 (played p2: 2, p3: 0) and p3 (played p1: 1, p4: 1) are level too: 2 each.
    expect(rows.map((row) => [row.entrant, row.wins, row.buchholz])).toEqual([
      ["p2", 2, 2],
      ["p1", 1, 2],
      ["p4", 1, 2],
      ["p3", 0, 2],
    ]);
    expect(finalStandings(bracket)).toMatchObject({ complete: true, champion: "p2" });
    expect(codeOf(() => nextSwissRound(bracket))).toBe("no_more_rounds");
  });

  it("an odd field gives the BYE to the lowest-ranked entrant without one, never twice", () => {
    let bracket = createBracket(field(7), { format: "swiss", rounds: 3 });
    expect(pairs(bracket, 1)).toEqual(["p1-p4", "p2-p5", "p3-p6", "p7-BYE"]);
    expect(bracket.matches["S-R1-M4"]).toMatchObject({ status: "bye", result: { kind: "walkover", winner: 0 } });
    bracket = playRound(bracket, 1, () => 1); // p4, p5, p6 win; p7 has the BYE win
    bracket = applyUpdate(bracket, nextSwissRound(bracket));
    // Lowest-ranked: p3 (no wins, seed 3 is the weakest loser of the three).
    expect(pairs(bracket, 2).at(-1)).toBe("p3-BYE");
  });

  it("three entrants, three rounds: everyone meets everyone once and has one BYE", () => {
    const end = playToEnd(createBracket(field(3), { format: "swiss", rounds: 3 }), createRandom(9));
    const all = [1, 2, 3].flatMap((round) => pairs(end, round));
    expect(all.filter((pair) => pair.endsWith("BYE")).sort()).toEqual(["p1-BYE", "p2-BYE", "p3-BYE"]);
    expect(
      all
        .filter((pair) => !pair.endsWith("BYE"))
        .map((pair) => pair.split("-").sort().join("-"))
        .sort(),
    ).toEqual(["p1-p2", "p1-p3", "p2-p3"]);
  });

  it("pairs as many rounds as the field guarantees (n/2) without a rematch, even when the search needs its fallback", () => {
    for (const count of [40, 41]) {
      const rounds = Math.floor(count / 2);
      const end = playToEnd(createBracket(field(count), { format: "swiss", rounds }), createRandom(count));
      const seen = new Set<string>();
      for (let round = 1; round <= rounds; round++) {
        for (const pair of pairs(end, round)) {
          const key = pair.split("-").sort().join("-");
          expect(seen.has(key), `rematch ${key}`).toBe(false);
          seen.add(key);
        }
      }
      expect(seen.size).toBe((Math.floor(count / 2) + (count % 2)) * rounds);
      expect(finalStandings(end).complete).toBe(true);
    }
  });

  it("disqualified entrants are not paired again", () => {
    let bracket = createBracket(field(6), { format: "swiss", rounds: 3 });
    bracket = applyUpdate(bracket, disqualify(bracket, "p2"));
    expect(bracket.matches["S-R1-M2"]).toMatchObject({ status: "completed", result: { kind: "disqualification", winner: 1 } });
    bracket = playRound(bracket, 1);
    bracket = applyUpdate(bracket, nextSwissRound(bracket));
    const round2 = pairs(bracket, 2);
    expect(round2.join()).not.toContain("p2");
    expect(round2.at(-1)).toMatch(/-BYE$/);
    expect(swissStandings(bracket).at(-1)!.entrant).toBe("p2");
  });

  it("a corrected result changes the standings but not the rounds already paired", () => {
    let bracket = playRound(createBracket(field(8), { format: "swiss", rounds: 3 }), 1);
    bracket = applyUpdate(bracket, nextSwissRound(bracket));
    const update = setResult(bracket, "S-R1-M1", { type: "played", winner: 1 });
    expect(update.reset).toEqual([]);
    expect(update.matches.map((match) => match.id)).toEqual(["S-R1-M1"]);
    bracket = applyUpdate(bracket, update);
    expect(pairs(bracket, 2)).toEqual(["p1-p3", "p2-p4", "p5-p7", "p6-p8"]);
    expect(swissStandings(bracket).find((row) => row.entrant === "p5")!.wins).toBe(1);
  });

  it("limits rounds to what the field allows", () => {
    expect(() => createBracket(field(8), { format: "swiss", rounds: 8 })).toThrow(/1 to 7 rounds/);
    expect(() => createBracket(field(8), { format: "swiss", rounds: 0 })).toThrow(BracketError);
  });
});
