/**
 * One public name per match: over generated brackets of every format, labels are unique within a
 * bracket, numbered 1..N, independent of the order the matches are read in, and stable while a
 * bracket grows (Swiss rounds paired later never renumber earlier matches).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { matchLabelIn, matchNames } from "./labels";
import { createRandom } from "./seeding";
import { field, playToEnd } from "./testing";
import type { Bracket, BracketSettings } from "./types";

const formats: BracketSettings[] = [
  { format: "single_elimination", thirdPlace: true },
  { format: "single_elimination", thirdPlace: false },
  { format: "double_elimination", grandFinal: "reset" },
  { format: "double_elimination", grandFinal: "none" },
  { format: "round_robin", groups: 1, meetings: 1 },
  { format: "round_robin", groups: 3, meetings: 1 },
  { format: "swiss", rounds: 4 },
  { format: "groups_playoffs", groups: 2, meetings: 1, advance: 2, playoff: { format: "double_elimination", grandFinal: "reset" } },
];

function expectWellNumbered(bracket: Bracket) {
  const names = matchNames(Object.values(bracket.matches));
  const all = [...names.values()];
  expect(all).toHaveLength(Object.keys(bracket.matches).length);
  expect(all.map((name) => name.number).sort((a, b) => a - b)).toEqual(all.map((_, i) => i + 1));
  expect(new Set(all.map((name) => name.label)).size).toBe(all.length);
  for (const name of all) expect(name.label).toBe(`Match ${name.number} · ${name.round}`);
  return names;
}

describe("match labels", () => {
  it.each(formats.map((settings) => [settings.format, settings] as const))(
    "%s: unique, numbered 1..N, the same whatever order the matches are read in, stable as the bracket is played",
    (_, settings) => {
      fc.assert(
        fc.property(fc.integer({ min: 8, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (count, seed) => {
          const start = createBracket(field(count), settings);
          const names = expectWellNumbered(start);
          const shuffled = Object.values(start.matches).sort(() => createRandom(seed)() - 0.5);
          expect(matchNames(shuffled)).toEqual(names);
          const end = playToEnd(start, createRandom(seed));
          const later = expectWellNumbered(end);
          for (const [id, name] of names) expect(later.get(id)).toEqual(name);
        }),
        { numRuns: 10 },
      );
    },
  );

  it("names rounds as start.gg and Challonge do", () => {
    const double = createBracket(field(8), { format: "double_elimination", grandFinal: "reset" });
    const label = (id: string) => matchLabelIn(Object.values(double.matches), id);
    expect(label("U-R1-M1")).toBe("Match 1 · Upper quarterfinal");
    expect(label("U-R2-M2")).toBe("Match 6 · Upper semifinal");
    expect(label("U-R3-M1")).toBe("Match 7 · Upper final");
    expect(label("L-R1-M1")).toBe("Match 8 · Lower round 1");
    expect(label("GF-1")).toMatch(/^Match \d+ · Grand final$/);
    expect(label("GF-2")).toMatch(/^Match \d+ · Grand final reset$/);
    const single = createBracket(field(16), { format: "single_elimination", thirdPlace: true });
    const names = matchNames(Object.values(single.matches));
    expect(names.get("U-R1-M1")!.label).toBe("Match 1 · Round 1");
    expect(names.get("U-R4-M1")!.label).toBe("Match 15 · Final");
    expect(names.get("TP")!.label).toBe("Match 16 · Third-place match");
    const groups = createBracket(field(9), { format: "round_robin", groups: 3, meetings: 1 });
    expect(matchNames(Object.values(groups.matches)).get("G2-R1-M1")!.round).toBe("Group B round 1");
  });
});
