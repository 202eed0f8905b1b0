import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { bracketSizeProblem, MAX_BRACKET_MATCHES, plannedMatches } from "./limits";
import { field } from "./testing";
import { BracketError, type BracketSettings } from "./types";

const errorOf = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (error) {
    return error as BracketError;
  }
};

describe("bracket size limits", () => {
  it("counts exactly the matches the engine creates, for every format and option", () => {
    const elimination: BracketSettings[] = [
      { format: "single_elimination", thirdPlace: false },
      { format: "single_elimination", thirdPlace: true },
      { format: "double_elimination", grandFinal: "none" },
      { format: "double_elimination", grandFinal: "single" },
      { format: "double_elimination", grandFinal: "reset" },
    ];
    for (let n = 2; n <= 40; n++) {
      const settings: BracketSettings[] = [...elimination];
      for (const meetings of [1, 2] as const) {
        for (let groups = 1; groups * 2 <= n && groups <= 5; groups++) {
          settings.push({ format: "round_robin", groups, meetings });
          const smallest = Math.floor(n / groups);
          for (const advance of [1, 2, 3].filter((a) => a <= smallest && groups * a >= 2)) {
            settings.push({
              format: "groups_playoffs",
              groups,
              meetings,
              advance,
              playoff: { format: "single_elimination", thirdPlace: true },
            });
            settings.push({
              format: "groups_playoffs",
              groups,
              meetings,
              advance,
              playoff: { format: "double_elimination", grandFinal: "reset" },
            });
          }
        }
      }
      for (const s of settings)
        expect([n, s, plannedMatches(n, s)]).toEqual([n, s, Object.keys(createBracket(field(n), s).matches).length]);
      // Swiss: round 1 is created with the bracket; every later round has as many matches (BYE included).
      const swiss = createBracket(field(n), { format: "swiss", rounds: 1 });
      expect(plannedMatches(n, { format: "swiss", rounds: 1 })).toBe(Object.keys(swiss.matches).length);
    }
  });

  it("keeps the largest benchmarked brackets allowed", () => {
    expect(bracketSizeProblem(16_384, { format: "single_elimination", thirdPlace: true })).toBeNull();
    expect(bracketSizeProblem(4_096, { format: "double_elimination", grandFinal: "reset" })).toBeNull();
    expect(bracketSizeProblem(16_384, { format: "double_elimination", grandFinal: "reset" })).toBeNull();
    expect(bracketSizeProblem(4_096, { format: "swiss", rounds: 12 })).toBeNull();
    expect(bracketSizeProblem(1_024, { format: "round_robin", groups: 32, meetings: 2 })).toBeNull();
    expect(bracketSizeProblem(1_024, { format: "round_robin", groups: 16, meetings: 1 })).toBeNull();
  });

  it("refuses an oversized round robin in the organizer's words, naming the groups setting and what fits", () => {
    const problem = bracketSizeProblem(4_096, { format: "round_robin", groups: 1, meetings: 2 });
    expect(problem).toEqual({
      setting: "groups",
      message:
        "A round robin of 4,096 entrants in 1 group, each pair meeting twice, would create 16,773,120 matches in groups of up to 4,096; " +
        "a group may have at most 64 entrants and a bracket at most 32,768 matches. Split the entrants into at least 456 groups (of at most 9).",
    });
    // The advice is right: that many groups fit.
    expect(bracketSizeProblem(4_096, { format: "round_robin", groups: 456, meetings: 2 })).toBeNull();
    expect(bracketSizeProblem(4_096, { format: "round_robin", groups: 455, meetings: 2 })).not.toBeNull();
    // Groups small enough, matches too many.
    expect(bracketSizeProblem(16_384, { format: "round_robin", groups: 512, meetings: 2 })?.message).toBe(
      "A round robin of 16,384 entrants in 512 groups, each pair meeting twice, would create 507,904 matches; a bracket may have at most 32,768. " +
        "Even 512 groups would be too many: use fewer entrants or an elimination format.",
    );
  });

  it("refuses oversized fields, Swiss fields and Swiss schedules, and playoffs too large", () => {
    expect(bracketSizeProblem(16_385, { format: "single_elimination", thirdPlace: false })).toEqual({
      setting: null,
      message: "A bracket may have at most 16,384 entrants; 16,385 have checked in.",
    });
    expect(bracketSizeProblem(4_097, { format: "swiss", rounds: 5 })?.message).toMatch(/^A Swiss bracket may have at most 4,096 entrants/);
    expect(bracketSizeProblem(64, { format: "swiss", rounds: 21 })).toEqual({
      setting: "rounds",
      message: "A Swiss may have at most 20 rounds.",
    });
    expect(bracketSizeProblem(4_096, { format: "swiss", rounds: 20 })).toEqual({
      setting: "rounds",
      message:
        "A Swiss of 4,096 entrants over 20 rounds would create 40,960 matches; a bracket may have at most 32,768. Play at most 16 rounds.",
    });
    const playoffs: BracketSettings = {
      format: "groups_playoffs",
      groups: 256,
      meetings: 1,
      advance: 16,
      playoff: { format: "double_elimination", grandFinal: "reset" },
    };
    expect(bracketSizeProblem(4_096, playoffs)).toMatchObject({ setting: "advance" });
    expect(plannedMatches(4_096, playoffs)).toBeGreaterThan(MAX_BRACKET_MATCHES);
  });

  it("createBracket refuses before generating anything, fast, even for a field it could never build", () => {
    // A group just over the size limit is cheap to build, but refused all the same.
    expect(errorOf(() => createBracket(field(65), { format: "round_robin", groups: 1, meetings: 1 }))?.code).toBe("too_large");
    expect(errorOf(() => createBracket(field(64), { format: "round_robin", groups: 1, meetings: 1 }))).toBeNull();
    // The production crash (16,773,120 matches; without the check this runs the worker out of memory).
    const started = performance.now();
    const error = errorOf(() => createBracket(field(4_096), { format: "round_robin", groups: 1, meetings: 2 }));
    expect(error).toBeInstanceOf(BracketError);
    expect(error!.code).toBe("too_large");
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(
      errorOf(() =>
        createBracket(field(8), {
          format: "single_elimination",
          thirdPlace: false,
          bestOf: { default: 1, overrides: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`upper:${i + 1}`, 3])) },
        }),
      )?.code,
    ).toBe("invalid_settings");
  });
});
