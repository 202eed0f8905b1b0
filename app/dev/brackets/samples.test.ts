import { describe, expect, it } from "vitest";
import { currentRounds } from "@/app/_components/bracket/current-round";
import { buildSample, samples, type SampleKey } from "./samples";

describe("preview samples", () => {
  for (const key of Object.keys(samples) as SampleKey[]) {
    it(`builds ${key}`, () => {
      const sample = buildSample(key);
      expect(Object.keys(sample.bracket.matches).length).toBeGreaterThan(0);
      for (const entrant of sample.bracket.entrants) expect(sample.names[entrant.id]).toBeDefined();
    });
  }

  it("plays the reset in DE 8 and skips it in DE 4", () => {
    expect(buildSample("de8").bracket.matches["GF-2"]!.status).toBe("completed");
    expect(buildSample("de4").bracket.matches["GF-2"]!.status).toBe("skipped");
  });

  it("leaves the live samples mid-way", () => {
    expect(currentRounds(buildSample("de16").bracket).upper).toBeDefined();
    expect(currentRounds(buildSample("swiss").bracket).swiss).toBe(4);
    const swiss = buildSample("swiss").bracket;
    expect(Object.values(swiss.matches).filter((match) => match.status === "bye").length).toBeGreaterThanOrEqual(2);
    const gpo = buildSample("gpo").bracket;
    expect(gpo.matches["U-R1-M1"]!.sides.some((side) => side.entrant !== null)).toBe(true);
  });
});
