import { describe, expect, it } from "vitest";
import type { Match } from "@/server/brackets/engine/types";
import { dotsText, sideDots, sideOutcome, sideScore } from "./games";

function match(overrides: Partial<Match>): Match {
  return {
    id: "U-R1-M1",
    stage: "upper",
    round: 1,
    position: 1,
    bestOf: 3,
    sides: [
      { source: { kind: "seed", seed: 1 }, entrant: "a", bye: false },
      { source: { kind: "seed", seed: 2 }, entrant: "b", bye: false },
    ],
    nextWin: null,
    nextLose: null,
    playedIf: null,
    status: "ready",
    games: [],
    result: null,
    ...overrides,
  };
}

describe("game dots", () => {
  it("shows the games played and, while the match is open, the games still possible", () => {
    const open = match({ bestOf: 5, status: "in_progress", games: [{ winner: 0 }, { winner: 1 }] });
    expect(sideDots(open, 0)).toEqual(["won", "lost", "pending", "pending", "pending"]);
    expect(sideDots(open, 1)).toEqual(["lost", "won", "pending", "pending", "pending"]);
  });

  it("shows only the games played once the match is decided", () => {
    const done = match({ status: "completed", games: [{ winner: 1 }, { winner: 1 }], result: { kind: "played", winner: 1 } });
    expect(sideDots(done, 0)).toEqual(["lost", "lost"]);
  });

  it("shows nothing while the sides are unknown", () => {
    expect(sideDots(match({ status: "pending" }), 0)).toEqual([]);
  });

  it("reads the dots out in words", () => {
    expect(dotsText(["won", "lost", "pending"])).toBe("won game 1, lost game 2, game 3 not played yet");
    expect(dotsText([])).toBe("");
  });
});

describe("scores", () => {
  it("counts games won", () => {
    const done = match({
      status: "completed",
      games: [{ winner: 0 }, { winner: 1 }, { winner: 0 }],
      result: { kind: "played", winner: 0 },
    });
    expect(sideScore(done, 0)).toEqual({ text: "2", label: "2 games" });
    expect(sideScore(done, 1)).toEqual({ text: "1", label: "1 game" });
    expect(sideOutcome(done, 0)).toBe("won");
    expect(sideOutcome(done, 1)).toBe("lost");
  });

  it("shows nothing before the first game, and the running count in progress", () => {
    expect(sideScore(match({}), 0).text).toBe("");
    expect(sideScore(match({ status: "in_progress", games: [{ winner: 1 }] }), 0).text).toBe("0");
  });

  it("marks forfeits, double forfeits and disqualifications", () => {
    const forfeit = match({ status: "completed", result: { kind: "forfeit", winner: 1 } });
    expect([sideScore(forfeit, 0).text, sideScore(forfeit, 1).text]).toEqual(["FF", "W"]);
    const double = match({ status: "completed", result: { kind: "double_forfeit", winner: null } });
    expect([sideScore(double, 0).text, sideScore(double, 1).text]).toEqual(["FF", "FF"]);
    expect([sideOutcome(double, 0), sideOutcome(double, 1)]).toEqual(["lost", "lost"]);
    const dq = match({ status: "completed", result: { kind: "disqualification", winner: 0 } });
    expect([sideScore(dq, 0, ["b"]).text, sideScore(dq, 1, ["b"]).text]).toEqual(["W", "DQ"]);
  });

  it("leaves BYEs without a score or a loser", () => {
    const bye = match({
      status: "bye",
      sides: [
        { source: { kind: "seed", seed: 1 }, entrant: "a", bye: false },
        { source: { kind: "seed", seed: 4 }, entrant: null, bye: true },
      ],
      result: { kind: "walkover", winner: 0 },
    });
    expect(sideScore(bye, 0).text).toBe("");
    expect([sideOutcome(bye, 0), sideOutcome(bye, 1)]).toEqual(["won", null]);
  });
});
