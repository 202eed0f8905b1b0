import { describe, expect, it } from "vitest";
import { bestOfFor, gamesToWin, validateBestOf } from "./best-of";
import { createBracket } from "./create";
import { field } from "./testing";
import { BracketError, type BestOf } from "./types";

describe("best-of", () => {
  it("a side needs a majority", () => {
    expect([1, 3, 5, 7].map(gamesToWin)).toEqual([1, 2, 3, 4]);
  });

  it("resolves a round key before a name before the default", () => {
    const bestOf: BestOf = { default: 3, overrides: { finals: 5, semifinals: 1, "upper:2": 7 } };
    expect(bestOfFor(bestOf, "upper:1")).toBe(3);
    expect(bestOfFor(bestOf, "upper:3", ["finals", "upper_final"])).toBe(5);
    expect(bestOfFor(bestOf, "upper:2", ["semifinals"])).toBe(7);
    expect(bestOfFor(bestOf, null, ["semifinals"])).toBe(1);
    expect(bestOfFor(undefined, "upper:1")).toBe(1);
    expect(bestOfFor(5, "swiss:1")).toBe(5);
  });

  it("accepts only odd numbers and known overrides", () => {
    expect(() => validateBestOf(2)).toThrow(BracketError);
    expect(() => validateBestOf({ default: 3, overrides: { finals: 4 } })).toThrow(/finals/);
    expect(() => validateBestOf({ default: 3, overrides: { quarterfinals: 3 } as never })).toThrow(/Unknown/);
    expect(() => validateBestOf({ default: 3, overrides: { "lower:0": 3 } as never })).toThrow(/Unknown/);
    expect(() => validateBestOf({ default: 1, overrides: { "group:2": 3, "swiss:4": 5, lower_final: 3 } })).not.toThrow();
  });

  it("is stored on every match when a bracket is created", () => {
    const single = createBracket(field(8), {
      format: "single_elimination",
      thirdPlace: true,
      bestOf: { default: 3, overrides: { finals: 5, third_place: 1, "upper:1": 1 } },
    });
    const bestOf = (id: string) => single.matches[id]!.bestOf;
    expect([bestOf("U-R1-M1"), bestOf("U-R2-M1"), bestOf("U-R3-M1"), bestOf("TP")]).toEqual([1, 3, 5, 1]);

    const double = createBracket(field(8), {
      format: "double_elimination",
      grandFinal: "reset",
      bestOf: { default: 1, overrides: { finals: 5, upper_final: 3, lower_final: 3, "lower:1": 3 } },
    });
    const de = (id: string) => double.matches[id]!.bestOf;
    expect([de("U-R1-M1"), de("U-R3-M1"), de("L-R1-M1"), de("L-R2-M1"), de("L-R4-M1"), de("GF-1"), de("GF-2")]).toEqual([
      1, 3, 3, 1, 3, 5, 5,
    ]);

    const groups = createBracket(field(4), {
      format: "round_robin",
      groups: 1,
      meetings: 1,
      bestOf: { default: 1, overrides: { "group:3": 3 } },
    });
    expect(groups.matches["G1-R3-M1"]!.bestOf).toBe(3);
    expect(groups.matches["G1-R1-M1"]!.bestOf).toBe(1);
  });
});
