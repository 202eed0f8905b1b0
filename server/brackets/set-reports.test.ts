import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { raiseDispute } from "@/server/disputes/service";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createCaller } from "@/server/root";
import { fileStore } from "@/server/storage/provider";
import { createInnerContext } from "@/server/trpc";
import type { StoredMatch } from "./repository";
import { confirmSet, reportGame, reportSet, setProblem, startBracket } from "./service";
import { bracketFixtures, reporterOf, rowsOf, type Fixtures } from "./testing";

const { db } = await createTestDatabase();
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

async function started(count: number, bestOf = 3) {
  const event = await f.openEvent();
  await f.soloEntries(event.id, count);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf },
    reportMinutes: 30,
  });
  return { bracketId };
}

const rowOf = async (bracketId: string, id: string) => (await rowsOf(db, bracketId)).get(id)!;
const sidesOf = async (bracketId: string, match: StoredMatch) =>
  [await reporterOf(db, bracketId, match.sides[0].entrant!), await reporterOf(db, bracketId, match.sides[1].entrant!)] as const;
const message = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: Error) => error.message,
  );
const reportRows = (matchUuid: string) =>
  db.execute<{ game_number: number; side: number; winner_side: number }>(
    sql`select game_number, side, winner_side from match_reports where match_id = ${matchUuid} order by side, game_number`,
  );

describe("what a finished set is", () => {
  it.each([
    [1, [0], null],
    [1, [1], null],
    [1, [0, 1], "This match is a best of 1: at most 1 games."],
    [3, [0, 0], null],
    [3, [0, 1, 0], null],
    [3, [1, 0, 1], null],
    [3, [0, 1], "Nobody has won 2 games yet: report the set once it is over, or report game by game."],
    [3, [0, 0, 1], "The set was over after game 2: remove the games after it."],
    [5, [1, 1, 1], null],
    [5, [0, 1, 0, 1, 0], null],
    [5, [0, 1, 1, 0, 1], null],
    [5, [0, 0, 1, 1], "Nobody has won 3 games yet: report the set once it is over, or report game by game."],
    [5, [0, 0, 0, 1], "The set was over after game 3: remove the games after it."],
    [5, [0, 1, 0, 1, 0, 1], "This match is a best of 5: at most 5 games."],
    [3, [], "Choose the winner of each game."],
  ] as const)("best of %i: %j", (bestOf, winners, problem) => {
    expect(setProblem(bestOf, winners)).toBe(problem);
  });
});

describe("reporting a set", () => {
  it("one side reports 2–1, the other confirms it: every game by agreement, the winner advances", async () => {
    const { bracketId } = await started(4);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    const first = await reportSet(db, a, { matchId: match.uuid, winners: [0, 1, 0] });
    expect(first).toMatchObject({ state: "awaiting", confirmed: 0 });
    expect((await reportRows(match.uuid)).map((r) => [r.game_number, r.side, r.winner_side])).toEqual([
      [1, 0, 0],
      [2, 0, 1],
      [3, 0, 0],
    ]);
    // The same set again (a retry) changes nothing and records no second action.
    const actions = async () =>
      (await db.execute<{ n: number }>(sql`select count(*)::int as n from bracket_actions where bracket_id = ${bracketId}`))[0]!.n;
    const before = await actions();
    expect(await reportSet(db, a, { matchId: match.uuid, winners: [0, 1, 0] })).toMatchObject({ unchanged: true, state: "awaiting" });
    expect(await actions()).toBe(before);

    const confirmed = await confirmSet(db, b, { matchId: match.uuid, winners: [0, 1, 0] });
    expect(confirmed).toMatchObject({ confirmed: 3, state: "none" });
    const row = await rowOf(bracketId, match.id);
    expect(row).toMatchObject({ status: "completed", result: { kind: "played", winner: 0 } });
    expect(row.games.map((g) => [g.winner, g.authority])).toEqual([
      [0, "agreement"],
      [1, "agreement"],
      [0, "agreement"],
    ]);
    const next = await rowOf(bracketId, "U-R2-M1");
    expect(next.sides[0].entrant).toBe(match.sides[0].entrant);
  });

  it("a second set replaces the first before it is confirmed; confirming what was replaced is refused", async () => {
    const { bracketId } = await started(4, 5);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    await reportSet(db, a, { matchId: match.uuid, winners: [0, 1, 0, 1, 0] });
    await reportSet(db, a, { matchId: match.uuid, winners: [0, 0, 0] });
    expect((await reportRows(match.uuid)).map((r) => r.winner_side)).toEqual([0, 0, 0]);
    expect(await codeOf(confirmSet(db, b, { matchId: match.uuid, winners: [0, 1, 0, 1, 0] }))).toBe("CONFLICT");
    expect((await rowOf(bracketId, match.id)).games).toEqual([]);
    await confirmSet(db, b, { matchId: match.uuid, winners: [0, 0, 0] });
    expect(await rowOf(bracketId, match.id)).toMatchObject({ status: "completed", result: { winner: 0 } });
  });

  it("a set mixes with game-by-game reports: confirmed games must match, the rest are reported", async () => {
    const { bracketId } = await started(4);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });
    await reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });
    expect(await message(reportSet(db, a, { matchId: match.uuid, winners: [0, 0] }))).toBe(
      "Game 1 is already confirmed the other way. If it is wrong, open a dispute.",
    );
    expect(await reportSet(db, a, { matchId: match.uuid, winners: [1, 0, 1] })).toMatchObject({ state: "awaiting" });
    // The other side reports game by game: game 2 agrees, game 3 agrees, and the match is decided.
    await reportGame(db, b, { matchId: match.uuid, gameNumber: 2, winnerSide: 0 });
    const last = await reportGame(db, b, { matchId: match.uuid, gameNumber: 3, winnerSide: 1 });
    expect(last.match).toMatchObject({ status: "completed", result: { winner: 1 } });
  });

  it("refuses sets that are not a finished best-of-N, with a clear message", async () => {
    const { bracketId } = await started(4);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    expect(await message(reportSet(db, a, { matchId: match.uuid, winners: [0, 1] }))).toMatch(/Nobody has won 2 games yet/);
    expect(await message(reportSet(db, a, { matchId: match.uuid, winners: [1, 1, 0] }))).toBe(
      "The set was over after game 2: remove the games after it.",
    );
    expect(await message(confirmSet(db, b, { matchId: match.uuid, winners: [0, 0] }))).toBe(
      "The other side has not reported a whole set to confirm.",
    );
    const caller = createCaller(createInnerContext({ db, user: a }));
    expect(await codeOf(caller.matches.reportSet({ matchId: match.uuid, winners: [0, 1] }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.matches.reportSet({ matchId: match.uuid, winners: [2 as 0] }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.matches.reportSet({ matchId: match.uuid, winners: [] }))).toBe("BAD_REQUEST");
  });

  it("disputing the reported set opens the dispute flow on its first game, and the set is not confirmed", async () => {
    const { bracketId } = await started(4);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    await reportSet(db, a, { matchId: match.uuid, winners: [0, 0] });
    await raiseDispute(db, fileStore(), b, {
      matchId: match.uuid,
      gameNumber: 1,
      reason: "wrong_winner",
      description: "We won the first game, not them.",
      evidenceIds: [],
    });
    const row = await rowOf(bracketId, match.id);
    expect(row).toMatchObject({ status: "ready", reportState: "disputed", games: [] });
    const [dispute] = await db.execute<{ status: string; opened_by: string }>(
      sql`select status, opened_by from match_disputes where match_id = ${match.uuid}`,
    );
    expect(dispute).toEqual({ status: "open", opened_by: b.id });
    // Confirming now records the agreement, but the open dispute holds the games for the organizer.
    expect(await confirmSet(db, b, { matchId: match.uuid, winners: [0, 0] })).toMatchObject({ state: "none", confirmed: 2 });
  });

  it("both sides reporting a set at the same moment end consistent: agreeing confirms, disagreeing disputes", async () => {
    const { bracketId } = await started(16);
    const rows = [...(await rowsOf(db, bracketId)).values()].filter((row) => row.round === 1 && row.stage === "upper");
    for (let i = 0; i < 8; i++) {
      const agree = i % 2 === 0;
      const match = rows[i]!;
      const [a, b] = await sidesOf(bracketId, match);
      await Promise.all([
        reportSet(db, a, { matchId: match.uuid, winners: [1, 0, 1] }),
        reportSet(db, b, { matchId: match.uuid, winners: agree ? [1, 0, 1] : [1, 1] }),
      ]);
      const row = await rowOf(bracketId, match.id);
      if (agree) expect(row).toMatchObject({ status: "completed", result: { winner: 1 } });
      else expect(row).toMatchObject({ status: "in_progress", reportState: "disputed", games: [{ winner: 1 }] });
    }
  });
});

describe("who may report and confirm a set", () => {
  it("each role in each phase of the match", async () => {
    const event = await f.openEvent({ participantType: "team", teamSize: 2 });
    const field = [await f.teamEntry(event.id, 2), await f.teamEntry(event.id, 2), await f.teamEntry(event.id, 2)];
    const { bracketId } = await startBracket(db, f.organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf: 1 },
      reportMinutes: 30,
    });
    const rows = [...(await rowsOf(db, bracketId)).values()];
    const teamOf = (entrant: string | null) => field.find((team) => team.registrationId === entrant);
    const ready = rows.find((row) => row.status === "ready")!;
    const pending = rows.find((row) => row.status === "pending" && row.sides.some((side) => teamOf(side.entrant)))!;
    const stranger = await createUser(db);
    const rolesIn = (match: StoredMatch) => {
      const side = teamOf(match.sides.find((s) => teamOf(s.entrant))!.entrant)!;
      const outsider = field.find((team) => !match.sides.some((s) => s.entrant === team.registrationId))!;
      return { teammate: side.members[1]!, "other entrant": outsider.captain, organizer: f.organizer, stranger, captain: side.captain };
    };
    const table: Record<string, Record<string, string>> = { pending: {}, ready: {}, decided: {} };
    for (const [role, user] of Object.entries(rolesIn(pending))) {
      table.pending![role] = await message(reportSet(db, user, { matchId: pending.uuid, winners: [0] }));
    }
    const opponent = teamOf(ready.sides[1].entrant)!.captain;
    const early = await message(confirmSet(db, opponent, { matchId: ready.uuid, winners: [0] }));
    for (const [role, user] of Object.entries(rolesIn(ready))) {
      table.ready![role] = await message(reportSet(db, user, { matchId: ready.uuid, winners: [0] }));
    }
    table.ready!["opponent confirms before any report"] = early;
    table.ready!["opponent confirms"] = await message(confirmSet(db, opponent, { matchId: ready.uuid, winners: [0] }));
    for (const [role, user] of Object.entries(rolesIn(ready))) {
      table.decided![role] = await message(reportSet(db, user, { matchId: ready.uuid, winners: [0] }));
    }
    table.decided!["opponent confirms"] = await message(confirmSet(db, opponent, { matchId: ready.uuid, winners: [0] }));
    const outsiders = {
      "other entrant": "Only the two sides of this match can report its games.",
      organizer: "Only the two sides of this match can report its games.",
      stranger: "Only the two sides of this match can report its games.",
    };
    const teammate = "Only your team's captain can report results.";
    expect(table).toEqual({
      pending: { teammate, ...outsiders, captain: "This match is not ready: both sides are not known yet." },
      ready: {
        teammate,
        ...outsiders,
        captain: "OK",
        "opponent confirms before any report": "The other side has not reported a whole set to confirm.",
        "opponent confirms": "OK",
      },
      decided: { teammate, ...outsiders, captain: "This match is already decided.", "opponent confirms": "This match is already decided." },
    });
  });
});
