import { describe, expect, it } from "vitest";
import { groupName, lowerRoundName, ordinal, roundOf, sourceLabel, upperRoundName } from "./round-names";

describe("round names", () => {
  it("counts single elimination rounds down from the final", () => {
    const names = [1, 2, 3, 4, 5, 6].map((round) => upperRoundName(round, 6, false));
    expect(names).toEqual(["Round of 64", "Round of 32", "Round of 16", "Quarterfinals", "Semifinals", "Final"]);
  });

  it("names a two-round bracket Semifinals and Final, and a one-round bracket Final", () => {
    expect([upperRoundName(1, 2, false), upperRoundName(2, 2, false)]).toEqual(["Semifinals", "Final"]);
    expect(upperRoundName(1, 1, false)).toBe("Final");
  });

  it("calls the last upper round of double elimination the upper final", () => {
    expect(upperRoundName(3, 3, true)).toBe("Upper final");
    expect(upperRoundName(2, 3, true)).toBe("Semifinals");
  });

  it("numbers the lower bracket and names its last round", () => {
    expect([1, 2, 3, 4].map((round) => lowerRoundName(round, 4))).toEqual(["Round 1", "Round 2", "Round 3", "Lower final"]);
  });

  it("says which round of how many", () => {
    expect(roundOf(2, 5)).toBe("Round 2 of 5");
  });

  it("letters groups, then numbers them", () => {
    expect([groupName(1), groupName(2), groupName(26), groupName(27)]).toEqual(["Group A", "Group B", "Group Z", "Group 27"]);
  });

  it("writes ordinals", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "101st",
      "111th",
    ]);
  });

  it("describes sides that are not known yet", () => {
    const numbers: Record<string, number> = { "U-R1-M2": 2 };
    const numberOf = (id: string) => numbers[id];
    expect(sourceLabel({ kind: "match", match: "U-R1-M2", take: "winner" }, numberOf)).toBe("Winner of 2");
    expect(sourceLabel({ kind: "match", match: "U-R1-M2", take: "loser" }, numberOf)).toBe("Loser of 2");
    expect(sourceLabel({ kind: "match", match: "X", take: "loser" }, numberOf)).toBe("Loser of an earlier match");
    expect(sourceLabel({ kind: "group", group: 2, rank: 1 }, numberOf)).toBe("1st in Group B");
    expect(sourceLabel(null, numberOf)).toBe("To be decided");
  });
});
