import { describe, expect, it } from "vitest";
import { applyUpdate, createBracket, setResult, type Bracket } from "@/server/brackets/engine";
import { field } from "@/server/brackets/engine/testing";
import { currentRounds } from "./current-round";
import { highlightRules } from "./highlight";

function win(bracket: Bracket, id: string): Bracket {
  return applyUpdate(bracket, setResult(bracket, id, { type: "played", winner: 0 }));
}

describe("currentRounds", () => {
  it("starts at round 1 of the upper bracket, and the lower bracket waits for losers", () => {
    const bracket = createBracket(field(8), { format: "double_elimination", grandFinal: "reset" });
    expect(currentRounds(bracket)).toEqual({ upper: 1 });
  });

  it("moves on when a round is decided, per stage", () => {
    let bracket = createBracket(field(8), { format: "double_elimination", grandFinal: "reset" });
    for (const id of ["U-R1-M1", "U-R1-M2", "U-R1-M3", "U-R1-M4"]) bracket = win(bracket, id);
    expect(currentRounds(bracket)).toEqual({ upper: 2, lower: 1 });
  });

  it("skips BYE matches and has nothing current once complete", () => {
    let bracket = createBracket(field(3), { format: "single_elimination", thirdPlace: false });
    expect(currentRounds(bracket)).toEqual({ upper: 1 });
    bracket = win(bracket, "U-R1-M2");
    expect(currentRounds(bracket)).toEqual({ upper: 2 });
    bracket = win(bracket, "U-R2-M1");
    expect(currentRounds(bracket)).toEqual({});
  });

  it("tracks each round robin group on its own", () => {
    let bracket = createBracket(field(8), { format: "round_robin", groups: 2, meetings: 1 });
    for (const id of ["G1-R1-M1", "G1-R1-M2"]) bracket = win(bracket, id);
    expect(currentRounds(bracket)).toEqual({ "group:1": 2, "group:2": 1 });
  });
});

describe("highlightRules", () => {
  it("dims everything without the followed entrant and lights up its rows and lines", () => {
    const rules = highlightRules("s1", ["e3"], "follow");
    expect(rules).toContain('[data-hl="s1"] [data-eks]:not([data-eks~="e3"]){opacity:.35}');
    expect(rules).toContain('[data-hl="s1"] [data-ek="e3"]');
    expect(rules).toContain('[data-hl="s1"] path[data-eks~="e3"]');
  });

  it("follows both entrants of a focused match", () => {
    expect(highlightRules("s1", ["e1", "e2"], "follow")).toContain(':not([data-eks~="e1"]):not([data-eks~="e2"])');
  });

  it("marks without dimming, and writes nothing for nobody", () => {
    expect(highlightRules("s1", ["e0"], "mark")).not.toContain("opacity");
    expect(highlightRules("s1", [], "follow")).toBe("");
  });
});
