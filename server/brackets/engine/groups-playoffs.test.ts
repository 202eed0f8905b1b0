import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { playoffSlots } from "./groups-playoffs";
import { finalStandings } from "./placements";
import { applyUpdate } from "./progression";
import { disqualify, previewResult, setResult } from "./results";
import { groupStandings } from "./round-robin";
import { createRandom } from "./seeding";
import { field, playToEnd } from "./testing";
import type { Bracket, BracketSettings } from "./types";

const label = (slots: ReturnType<typeof playoffSlots>) =>
  slots.map((slot) => (slot ? `${"ABCDEFGH"[slot.group - 1]}${slot.rank}` : "BYE")).join(" ");
const sides = (bracket: Bracket, id: string) => bracket.matches[id]!.sides.map((side) => side.entrant ?? (side.bye ? "BYE" : "?"));

function matchBetween(bracket: Bracket, a: string, b: string) {
  return Object.values(bracket.matches).find((match) => {
    const ids = match.sides.map((side) => side.entrant);
    return match.stage.startsWith("group:") && ids.includes(a) && ids.includes(b);
  })!;
}

function beat(bracket: Bracket, winner: string, loser: string): Bracket {
  const match = matchBetween(bracket, winner, loser);
  return applyUpdate(bracket, setResult(bracket, match.id, { type: "played", winner: match.sides[0].entrant === winner ? 0 : 1 }));
}

/** Every group match won by the better seed. */
function playGroup(bracket: Bracket, group: number): Bracket {
  const members = bracket.groups[group - 1]!;
  let current = bracket;
  for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) current = beat(current, members[i]!, members[j]!);
  return current;
}

describe("groups into playoffs", () => {
  it("seeds across groups: winners first, then runners-up, never two of a group in the first round", () => {
    expect(label(playoffSlots(2, 2))).toBe("A1 B2 B1 A2");
    expect(label(playoffSlots(4, 2))).toBe("A1 D2 D1 A2 B1 C2 C1 B2");
    // Three groups: C1 v C2 would meet; C2 swaps with B2.
    expect(label(playoffSlots(3, 2))).toBe("A1 BYE A2 C2 B1 BYE C1 B2");
  });

  it("a group's ranks fill the playoff as soon as its last match is decided", () => {
    const settings: BracketSettings = {
      format: "groups_playoffs",
      groups: 2,
      meetings: 1,
      advance: 2,
      playoff: { format: "single_elimination", thirdPlace: false },
    };
    let bracket = createBracket(field(8), settings);
    expect(bracket.groups).toEqual([
      ["p1", "p4", "p5", "p8"],
      ["p2", "p3", "p6", "p7"],
    ]);
    expect(sides(bracket, "U-R1-M1")).toEqual(["?", "?"]);
    bracket = playGroup(bracket, 1);
    expect(sides(bracket, "U-R1-M1")).toEqual(["p1", "?"]);
    expect(sides(bracket, "U-R1-M2")).toEqual(["?", "p4"]);
    bracket = playGroup(bracket, 2);
    expect(sides(bracket, "U-R1-M1")).toEqual(["p1", "p3"]);
    expect(sides(bracket, "U-R1-M2")).toEqual(["p2", "p4"]);
    bracket = applyUpdate(bracket, setResult(bracket, "U-R1-M1", { type: "played", winner: 0 }));
    bracket = applyUpdate(bracket, setResult(bracket, "U-R1-M2", { type: "played", winner: 0 }));

    // A corrected group result that swaps A2 and A3 resets the playoff match A2 played and what it fed.
    const correction = matchBetween(bracket, "p4", "p5");
    const outcome = { type: "played", winner: correction.sides[0].entrant === "p5" ? 0 : 1 } as const;
    expect(previewResult(bracket, correction.id, outcome)).toEqual(["U-R1-M2", "U-R2-M1"]);
    bracket = applyUpdate(bracket, setResult(bracket, correction.id, outcome));
    expect(groupStandings(bracket, 1).map((row) => row.entrant)).toEqual(["p1", "p5", "p4", "p8"]);
    expect(sides(bracket, "U-R1-M2")).toEqual(["p2", "p5"]);
    expect(bracket.matches["U-R1-M2"]!.status).toBe("ready");
    expect(sides(bracket, "U-R2-M1")).toEqual(["p1", "?"]);

    const end = playToEnd(bracket, createRandom(4));
    const standings = finalStandings(end);
    expect(standings.complete).toBe(true);
    // The rest follow the playoff entrants by group tier: p4 and p6 (third in their groups), then p7 and p8 (level, by seed).
    expect(standings.placements.slice(4).map((placement) => placement.entrant)).toEqual(["p4", "p6", "p7", "p8"]);
    expect(standings.placements.slice(4).map((placement) => placement.place)).toEqual([5, 6, 7, 8]);
  });

  it("a disqualified group entrant ranks last and does not advance", () => {
    const settings: BracketSettings = {
      format: "groups_playoffs",
      groups: 2,
      meetings: 1,
      advance: 1,
      playoff: { format: "double_elimination", grandFinal: "reset" },
    };
    let bracket = createBracket(field(6), settings);
    bracket = playGroup(bracket, 1);
    expect(sides(bracket, "U-R1-M1")[0]).toBe("p1");
    bracket = applyUpdate(bracket, disqualify(bracket, "p1"));
    expect(groupStandings(bracket, 1).at(-1)!.entrant).toBe("p1");
    expect(sides(bracket, "U-R1-M1")[0]).toBe("p4");
  });

  it("rejects impossible settings", () => {
    const playoff = { format: "single_elimination", thirdPlace: false } as const;
    expect(() => createBracket(field(6), { format: "groups_playoffs", groups: 2, meetings: 1, advance: 4, playoff })).toThrow(
      /smallest group/,
    );
    expect(() => createBracket(field(6), { format: "groups_playoffs", groups: 1, meetings: 1, advance: 1, playoff })).toThrow(
      /two entrants/,
    );
  });
});
