import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { finalStandings } from "./placements";
import { applyUpdate, occupantOf, outputOf } from "./progression";
import { clearResult, disqualify, previewResult, recordGame, reinstate, setResult } from "./results";
import { createRandom } from "./seeding";
import { field, playToEnd } from "./testing";
import { BracketError, type Bracket, type BracketSettings, type Match, type MatchOutcome } from "./types";

const se8: BracketSettings = { format: "single_elimination", thirdPlace: false, bestOf: 3 };
const win = (winner: 0 | 1): MatchOutcome => ({ type: "played", winner });

function apply(bracket: Bracket, ...steps: [string, MatchOutcome][]): Bracket {
  return steps.reduce((current, [id, outcome]) => applyUpdate(current, setResult(current, id, outcome)), bracket);
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof BracketError) return error.code;
    throw error;
  }
  return undefined;
}

/** Every side fed by another match holds exactly what that match gives out, and statuses agree with sides. */
function expectConsistent(bracket: Bracket) {
  const disqualified = new Set(bracket.disqualified);
  for (const match of Object.values(bracket.matches)) {
    const skippedReset = match.playedIf !== null && match.status === "skipped";
    match.sides.forEach((side, index) => {
      const source = side.source;
      if (source?.kind !== "match" || skippedReset) return;
      const expected = outputOf(bracket.matches[source.match]!, source.take);
      expect(occupantOf(side), `${match.id} side ${index} from ${source.take} of ${source.match}`).toBe(expected);
    });
    const [a, b] = match.sides.map(occupantOf);
    switch (match.status) {
      case "pending":
        expect(a === undefined || b === undefined, `${match.id} pending`).toBe(true);
        break;
      case "ready":
      case "in_progress":
        expect(typeof a === "string" && typeof b === "string" && !disqualified.has(a) && !disqualified.has(b), `${match.id} ready`).toBe(
          true,
        );
        expect(match.result).toBeNull();
        break;
      case "bye":
        expect((a === null) !== (b === null), `${match.id} bye`).toBe(true);
        break;
      case "completed":
        expect(match.result).not.toBeNull();
        expect(typeof a === "string" && typeof b === "string", `${match.id} completed between two entrants`).toBe(true);
        break;
      case "skipped":
        expect(match.result?.kind).toBe("not_played");
        break;
    }
  }
}

describe("reporting games", () => {
  it("decides a best-of-3 when a side wins its second game, and shows the dots before", () => {
    let bracket = createBracket(field(8), se8);
    bracket = applyUpdate(bracket, recordGame(bracket, "U-R1-M1", { winner: 1, score: [11, 13] }));
    expect(bracket.matches["U-R1-M1"]).toMatchObject({ status: "in_progress", games: [{ winner: 1, score: [11, 13] }], result: null });
    bracket = applyUpdate(bracket, recordGame(bracket, "U-R1-M1", { winner: 0 }));
    expect(bracket.matches["U-R1-M1"]!.status).toBe("in_progress");
    const update = recordGame(bracket, "U-R1-M1", { winner: 0 });
    bracket = applyUpdate(bracket, update);
    expect(bracket.matches["U-R1-M1"]).toMatchObject({ status: "completed", result: { kind: "played", winner: 0 } });
    expect(bracket.matches["U-R2-M1"]!.sides[0].entrant).toBe("p1");
    expect(update.matches.map((match) => match.id)).toEqual(["U-R1-M1", "U-R2-M1"]);
    expect(update.reset).toEqual([]);
    expect(codeOf(() => recordGame(bracket, "U-R1-M1", { winner: 1 }))).toBe("invalid_result");
  });

  it("rejects results that do not fit the best-of", () => {
    const bracket = createBracket(field(8), se8);
    const bad = (games: { winner: 0 | 1 }[], winner: 0 | 1 = 0) =>
      codeOf(() => setResult(bracket, "U-R1-M1", { type: "played", winner, games }));
    expect(bad([{ winner: 0 }])).toBe("invalid_result");
    expect(bad([{ winner: 0 }, { winner: 0 }, { winner: 0 }])).toBe("invalid_result");
    expect(bad([{ winner: 0 }, { winner: 0 }, { winner: 1 }])).toBe("invalid_result");
    expect(bad([{ winner: 1 }, { winner: 1 }])).toBe("invalid_result");
    expect(bad([{ winner: 1 }, { winner: 0 }, { winner: 0 }])).toBeUndefined();
    expect(codeOf(() => setResult(bracket, "U-R1-M1", { type: "played", winner: 2 as 0 }))).toBe("invalid_result");
    expect(codeOf(() => recordGame(bracket, "U-R1-M1", { winner: 0, score: [-1, 3] }))).toBe("invalid_result");
  });

  it("refuses matches that are not playable", () => {
    const bracket = createBracket(field(5), se8);
    expect(codeOf(() => setResult(bracket, "U-R2-M1", win(0)))).toBe("match_not_ready");
    expect(codeOf(() => setResult(bracket, "U-R1-M1", win(0)))).toBe("automatic_result");
    expect(codeOf(() => setResult(bracket, "U-R9-M1", win(0)))).toBe("match_not_found");
  });
});

describe("forfeits", () => {
  it("a forfeit advances the opponent; a double forfeit gives the next opponent a walkover", () => {
    let bracket = createBracket(field(8), se8);
    bracket = apply(bracket, ["U-R1-M1", { type: "forfeit", winner: 1 }], ["U-R1-M2", { type: "double_forfeit" }]);
    expect(bracket.matches["U-R1-M1"]).toMatchObject({ status: "completed", result: { kind: "forfeit", winner: 1 } });
    expect(bracket.matches["U-R2-M1"]).toMatchObject({
      status: "bye",
      result: { kind: "walkover", winner: 0 },
      sides: [{ entrant: "p8" }, { entrant: null, bye: true }],
    });
    expect(bracket.matches["U-R3-M1"]!.sides[0].entrant).toBe("p8");
    const end = playToEnd(bracket, createRandom(3));
    const places = new Map(finalStandings(end).placements.map((placement) => [placement.entrant, placement.place]));
    // Both double-forfeit entrants (seeds 4 and 5) go out in round 1: 5th with the other first-round losers.
    expect(places.get("p4")).toBe(5);
    expect(places.get("p5")).toBe(5);
  });

  it("a double forfeit in the final leaves no champion and first place empty", () => {
    let bracket = createBracket(field(4), { format: "single_elimination", thirdPlace: true });
    bracket = apply(bracket, ["U-R1-M1", win(0)], ["U-R1-M2", win(0)], ["TP", win(0)], ["U-R2-M1", { type: "double_forfeit" }]);
    const standings = finalStandings(bracket);
    expect(standings.complete).toBe(true);
    expect(standings.champion).toBeNull();
    expect(standings.placements).toEqual([
      { entrant: "p1", place: 2 },
      { entrant: "p2", place: 2 },
      { entrant: "p4", place: 3 },
      { entrant: "p3", place: 4 },
    ]);
  });
});

describe("clearing and previewing", () => {
  it("clearResult withdraws what the match passed on", () => {
    let bracket = apply(createBracket(field(8), se8), ["U-R1-M1", win(0)], ["U-R1-M2", win(1)], ["U-R2-M1", win(1)]);
    const update = clearResult(bracket, "U-R1-M1");
    bracket = applyUpdate(bracket, update);
    expect(update.reset).toEqual(["U-R2-M1", "U-R3-M1"]);
    expect(bracket.matches["U-R1-M1"]!.status).toBe("ready");
    expect(bracket.matches["U-R2-M1"]).toMatchObject({
      status: "pending",
      result: null,
      sides: [{ entrant: null, bye: false }, { entrant: "p5" }],
    });
    expect(bracket.matches["U-R3-M1"]!.sides[0].entrant).toBeNull();
  });

  it("previewResult lists the resets without changing the bracket", () => {
    const bracket = apply(createBracket(field(8), se8), ["U-R1-M1", win(0)], ["U-R1-M2", win(1)], ["U-R2-M1", win(1)]);
    const before = JSON.stringify(bracket);
    expect(previewResult(bracket, "U-R1-M1", win(1))).toEqual(["U-R2-M1", "U-R3-M1"]);
    expect(previewResult(bracket, "U-R1-M1", { type: "played", winner: 0, games: [{ winner: 1 }, { winner: 0 }, { winner: 0 }] })).toEqual(
      [],
    );
    expect(JSON.stringify(bracket)).toBe(before);
  });
});

describe("disqualification", () => {
  it("decides the entrant's current match and every later one; reinstating undoes it", () => {
    let bracket = apply(createBracket(field(8), se8), ["U-R1-M1", win(0)]);
    const update = disqualify(bracket, "p1");
    expect(update.disqualified).toEqual(["p1"]);
    bracket = applyUpdate(bracket, update);
    expect(bracket.matches["U-R1-M1"]!.result).toEqual({ kind: "played", winner: 0 });
    expect(bracket.matches["U-R2-M1"]!.status).toBe("pending");
    bracket = apply(bracket, ["U-R1-M2", win(0)]);
    expect(bracket.matches["U-R2-M1"]).toMatchObject({ status: "completed", result: { kind: "disqualification", winner: 1 } });
    expect(bracket.matches["U-R3-M1"]!.sides[0].entrant).toBe("p4");
    expect(codeOf(() => setResult(bracket, "U-R2-M1", win(0)))).toBe("automatic_result");
    bracket = applyUpdate(bracket, reinstate(bracket, "p1"));
    expect(bracket.disqualified).toEqual([]);
    expect(bracket.matches["U-R2-M1"]!.status).toBe("ready");
    expect(bracket.matches["U-R3-M1"]!.sides[0].entrant).toBeNull();
    expect(codeOf(() => disqualify(bracket, "nobody"))).toBe("entrant_not_found");
  });
});

describe("storage", () => {
  it("a bracket is plain JSON: it survives a round trip and play continues from it", () => {
    const settings: BracketSettings = {
      format: "double_elimination",
      grandFinal: "reset",
      bestOf: { default: 3, overrides: { finals: 5 } },
    };
    const bracket = playToEnd(createBracket(field(13), settings), createRandom(2), { limit: 10 });
    const stored = JSON.parse(JSON.stringify(bracket)) as Bracket;
    expect(stored).toEqual(bracket);
    const end = playToEnd(stored, createRandom(3));
    expect(finalStandings(end).complete).toBe(true);
  });
});

const eliminationSettings = fc.constantFrom<BracketSettings>(
  { format: "single_elimination", thirdPlace: true, bestOf: 3 },
  { format: "single_elimination", thirdPlace: false },
  { format: "double_elimination", grandFinal: "reset", bestOf: { default: 1, overrides: { finals: 3 } } },
  { format: "double_elimination", grandFinal: "single" },
  { format: "double_elimination", grandFinal: "none" },
  { format: "groups_playoffs", groups: 2, meetings: 1, advance: 2, playoff: { format: "double_elimination", grandFinal: "reset" } },
  { format: "groups_playoffs", groups: 3, meetings: 1, advance: 2, playoff: { format: "single_elimination", thirdPlace: true } },
);

function outcomeOf(match: Match): MatchOutcome {
  const result = match.result!;
  if (result.kind === "double_forfeit") return { type: "double_forfeit" };
  if (result.kind === "forfeit") return { type: "forfeit", winner: result.winner! };
  return { type: "played", winner: result.winner!, games: match.games };
}

function sameState(a: Match, b: Match) {
  return {
    id: a.id,
    same:
      a.status === b.status &&
      JSON.stringify(a.result) === JSON.stringify(b.result) &&
      JSON.stringify(a.games) === JSON.stringify(b.games) &&
      occupantOf(a.sides[0]) === occupantOf(b.sides[0]) &&
      occupantOf(a.sides[1]) === occupantOf(b.sides[1]),
  };
}

describe("properties under forfeits, double forfeits, disqualifications and corrections", () => {
  it("every side always holds what its feeding match gives out", () => {
    fc.assert(
      fc.property(eliminationSettings, fc.integer({ min: 6, max: 40 }), fc.integer(), (settings, count, seed) => {
        const random = createRandom(seed);
        let bracket = createBracket(field(count), settings);
        // Disqualify two entrants part-way through.
        bracket = playToEnd(bracket, random, { forfeit: 0.1, doubleForfeit: 0.05, limit: Math.floor(count / 2) });
        bracket = applyUpdate(bracket, disqualify(bracket, `p${1 + Math.floor(random() * count)}`));
        expectConsistent(bracket);
        bracket = playToEnd(bracket, random, { forfeit: 0.1, doubleForfeit: 0.05, limit: count });
        bracket = applyUpdate(bracket, disqualify(bracket, `p${1 + Math.floor(random() * count)}`));
        expectConsistent(bracket);
        bracket = playToEnd(bracket, random, { forfeit: 0.1, doubleForfeit: 0.05 });
        expectConsistent(bracket);
        const standings = finalStandings(bracket);
        expect(standings.complete).toBe(true);
        expect(standings.placements).toHaveLength(count);
      }),
      { numRuns: 40 },
    );
  });

  it("a correction gives the same bracket as replaying every result it did not reset", () => {
    fc.assert(
      fc.property(
        eliminationSettings,
        fc.integer({ min: 2, max: 40 }),
        fc.integer(),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        (settings, wish, seed, share) => {
          const count = settings.format === "groups_playoffs" ? Math.max(wish, 2 * settings.groups) : wish;
          const random = createRandom(seed);
          const fresh = createBracket(field(count), settings);
          const played = playToEnd(fresh, random, { forfeit: 0.1, doubleForfeit: 0.05, limit: Math.ceil(share * 2 * count) });
          const decided = Object.values(played.matches).filter((match) => match.status === "completed");
          if (decided.length === 0) return;
          const target = decided[Math.floor(random() * decided.length)]!;
          const old = target.result!;
          const correction: MatchOutcome =
            old.winner === null
              ? win(random() < 0.5 ? 0 : 1)
              : random() < 0.8
                ? { type: "forfeit", winner: (1 - old.winner) as 0 | 1 }
                : { type: "double_forfeit" };

          const update = setResult(played, target.id, correction);
          const corrected = applyUpdate(played, update);
          expectConsistent(corrected);

          // The reset list is exactly the matches that lost a participant, games or a decision.
          const expectedReset = Object.values(played.matches)
            .filter((before) => before.id !== target.id)
            .filter((before) => {
              const after = corrected.matches[before.id]!;
              const lostSide = [0, 1].some((side) => {
                const old = occupantOf(before.sides[side as 0 | 1]);
                return old !== undefined && occupantOf(after.sides[side as 0 | 1]) !== old;
              });
              return lostSide || (before.result !== null && JSON.stringify(before.result) !== JSON.stringify(after.result));
            })
            .map((match) => match.id);
          expect([...update.reset].sort()).toEqual(expectedReset.sort());

          // Replaying the surviving results on a fresh bracket reaches the same state.
          let replay = fresh;
          for (const match of Object.values(played.matches)) {
            if (match.id === target.id) replay = applyUpdate(replay, setResult(replay, match.id, correction));
            else if (match.status === "completed" && match.result!.kind !== "disqualification" && !update.reset.includes(match.id)) {
              replay = applyUpdate(replay, setResult(replay, match.id, outcomeOf(match)));
            }
          }
          const differences = Object.values(replay.matches)
            .map((match) => sameState(match, corrected.matches[match.id]!))
            .filter((entry) => !entry.same);
          expect(differences).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
