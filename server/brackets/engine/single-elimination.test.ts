import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { finalStandings } from "./placements";
import { applyUpdate } from "./progression";
import { previewResult, setResult } from "./results";
import { createRandom } from "./seeding";
import { field, playToEnd } from "./testing";
import type { Bracket, MatchOutcome } from "./types";

const win = (winner: 0 | 1): MatchOutcome => ({ type: "played", winner });
const sides = (bracket: Bracket, id: string) => bracket.matches[id]!.sides.map((side) => side.entrant ?? (side.bye ? "BYE" : "?"));

function play(bracket: Bracket, ids: string[], winner: 0 | 1 = 0): Bracket {
  return ids.reduce((current, id) => applyUpdate(current, setResult(current, id, win(winner))), bracket);
}

describe("single elimination", () => {
  it("pads 5 entrants to 8: BYEs go to seeds 1-3 and advance them at once", () => {
    const bracket = createBracket(field(5), { format: "single_elimination", thirdPlace: false });
    expect(Object.keys(bracket.matches)).toEqual(["U-R1-M1", "U-R1-M2", "U-R1-M3", "U-R1-M4", "U-R2-M1", "U-R2-M2", "U-R3-M1"]);
    expect(sides(bracket, "U-R1-M1")).toEqual(["p1", "BYE"]);
    expect(sides(bracket, "U-R1-M2")).toEqual(["p4", "p5"]);
    expect(sides(bracket, "U-R1-M3")).toEqual(["p2", "BYE"]);
    expect(sides(bracket, "U-R1-M4")).toEqual(["p3", "BYE"]);
    expect(bracket.matches["U-R1-M1"]).toMatchObject({ status: "bye", result: { kind: "walkover", winner: 0 } });
    expect(bracket.matches["U-R1-M2"]!.status).toBe("ready");
    expect(sides(bracket, "U-R2-M1")).toEqual(["p1", "?"]);
    expect(bracket.matches["U-R2-M2"]).toMatchObject({ status: "ready", sides: [{ entrant: "p2" }, { entrant: "p3" }] });
    expect(bracket.matches["U-R2-M1"]!.nextWin).toEqual({ match: "U-R3-M1", side: 0 });
  });

  it("the third-place match takes the semifinal losers; placements 1, 2, 3, 4, 5, 5, 5, 5", () => {
    let bracket = createBracket(field(8), { format: "single_elimination", thirdPlace: true });
    bracket = play(bracket, ["U-R1-M1", "U-R1-M2", "U-R1-M3", "U-R1-M4", "U-R2-M1", "U-R2-M2"]);
    expect(sides(bracket, "TP")).toEqual(["p4", "p3"]);
    expect(sides(bracket, "U-R3-M1")).toEqual(["p1", "p2"]);
    bracket = play(bracket, ["TP", "U-R3-M1"], 1);
    const standings = finalStandings(bracket);
    expect(standings.champion).toBe("p2");
    expect(standings.placements).toEqual([
      { entrant: "p2", place: 1 },
      { entrant: "p1", place: 2 },
      { entrant: "p3", place: 3 },
      { entrant: "p4", place: 4 },
      { entrant: "p8", place: 5 },
      { entrant: "p5", place: 5 },
      { entrant: "p7", place: 5 },
      { entrant: "p6", place: 5 },
    ]);
  });

  it("without a third-place match both semifinal losers are third", () => {
    const bracket = playToEnd(createBracket(field(16), { format: "single_elimination", thirdPlace: false }), createRandom(7));
    const places = finalStandings(bracket).placements.map((placement) => placement.place);
    expect(places).toEqual([1, 2, 3, 3, 5, 5, 5, 5, 9, 9, 9, 9, 9, 9, 9, 9]);
  });

  it("standings are incomplete until the final is decided", () => {
    const bracket = play(createBracket(field(4), { format: "single_elimination", thirdPlace: false }), ["U-R1-M1", "U-R1-M2"]);
    expect(finalStandings(bracket)).toEqual({ complete: false, champion: null, placements: [] });
  });

  describe("a correction after two later rounds", () => {
    it("8 entrants: resets the semifinal and final the old winner reached, and the third-place match, nothing else", () => {
      let bracket = createBracket(field(8), { format: "single_elimination", thirdPlace: true });
      bracket = play(bracket, ["U-R1-M1", "U-R1-M2", "U-R1-M3", "U-R1-M4", "U-R2-M1", "U-R2-M2", "U-R3-M1", "TP"]);
      expect(finalStandings(bracket).champion).toBe("p1");

      // The organizer finds that p8, not p1, won the first match.
      expect(previewResult(bracket, "U-R1-M1", win(1))).toEqual(["U-R2-M1", "U-R3-M1", "TP"]);
      const update = setResult(bracket, "U-R1-M1", win(1));
      expect(update.reset).toEqual(["U-R2-M1", "U-R3-M1", "TP"]);
      expect(update.matches.map((match) => match.id).sort()).toEqual(["TP", "U-R1-M1", "U-R2-M1", "U-R3-M1"]);
      bracket = applyUpdate(bracket, update);
      expect(bracket.matches["U-R2-M1"]).toMatchObject({ status: "ready", result: null, games: [] });
      expect(sides(bracket, "U-R2-M1")).toEqual(["p8", "p4"]);
      // The other semifinal's winner and loser are kept where they are.
      expect(sides(bracket, "U-R3-M1")).toEqual(["?", "p2"]);
      expect(sides(bracket, "TP")).toEqual(["?", "p3"]);
      expect(bracket.matches["U-R2-M2"]!.result).toEqual({ kind: "played", winner: 0 });
      expect(finalStandings(bracket).complete).toBe(false);
    });

    it("16 entrants: only the path of the corrected match is reset", () => {
      let bracket = createBracket(field(16), { format: "single_elimination", thirdPlace: false });
      const firstThreeRounds = Object.keys(bracket.matches).filter((id) => /^U-R[123]-/.test(id));
      bracket = play(bracket, firstThreeRounds);
      expect(previewResult(bracket, "U-R1-M3", win(1))).toEqual(["U-R2-M2", "U-R3-M1", "U-R4-M1"]);
      // Same winner, different games: nothing downstream changes.
      expect(previewResult(bracket, "U-R1-M3", { type: "played", winner: 0, games: [{ winner: 0 }] })).toEqual([]);
    });
  });
});
