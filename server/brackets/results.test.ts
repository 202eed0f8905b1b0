import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { getMatch } from "@/server/disputes/match-page";
import { SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { cancelEvent } from "@/server/registration/service";
import { PAY_PRIZES_TASK } from "./job-specs";
import type { StoredMatch } from "./repository";
import {
  applyCorrection,
  bracketHistory,
  callMatch,
  clearMatchResult,
  disqualifyEntrant,
  getBracket,
  openDispute,
  previewCorrection,
  reportGame,
  runReportDeadline,
  setMatchResult,
  startBracket,
  undoLastAction,
} from "./service";
import { bracketFixtures, queuedJobs, reporterOf, rowsOf, type Fixtures } from "./testing";

const { db } = await createTestDatabase();
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

async function started(
  count: number,
  format: "single_elimination" | "double_elimination" | "swiss" | "round_robin" = "single_elimination",
  settings = {},
) {
  const event = await f.openEvent({ format });
  const field = await f.soloEntries(event.id, count);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, ...settings },
    reportMinutes: 30,
  });
  return { event, field, bracketId };
}

const win = (winner: 0 | 1) => ({ type: "played" as const, winner });
const message = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return (error as Error).message;
  }
};

/** Engine state plus the decision fields: what "the same row" means for corrections and undo. */
const stateOf = (row: StoredMatch) => ({
  status: row.status,
  sides: row.sides,
  games: row.games,
  result: row.result,
  decidedBy: row.decidedBy,
  calledAt: row.calledAt,
});

describe("results and corrections", () => {
  it("a correction after two later rounds resets exactly the dependent matches, and tells their players", async () => {
    const { bracketId, field } = await started(8);
    let rows = await rowsOf(db, bracketId);
    const uuid = (id: string) => rows.get(id)!.uuid;
    for (const id of ["U-R1-M1", "U-R1-M2", "U-R1-M3", "U-R1-M4"])
      await setMatchResult(db, f.organizer, { matchId: uuid(id), outcome: win(0) });
    rows = await rowsOf(db, bracketId);
    await setMatchResult(db, f.organizer, { matchId: uuid("U-R2-M1"), outcome: win(0) });
    await setMatchResult(db, f.organizer, { matchId: uuid("U-R2-M2"), outcome: win(1) });
    rows = await rowsOf(db, bracketId);
    await setMatchResult(db, f.organizer, { matchId: uuid("U-R3-M1"), outcome: win(0) });
    const before = await rowsOf(db, bracketId);
    expect(before.get("U-R3-M1")!.status).toBe("completed");
    const [completed] = await db.execute<{ status: string }>(
      sql`select e.status from events e join brackets b on b.event_id = e.id where b.id = ${bracketId}`,
    );
    expect(completed!.status).toBe("completed");

    // Seed 1 beat seed 8 in round 1 (U-R1-M1); the correction gives it to seed 8.
    const preview = await previewCorrection(db, f.organizer, { matchId: uuid("U-R1-M1"), outcome: win(1) });
    expect(preview.reset.map((entry) => entry.matchId)).toEqual(["U-R2-M1", "U-R3-M1"]);
    expect(preview.reset[0]).toMatchObject({ label: "Match 5 · Semifinal", hadResult: true });
    expect(preview.reset[0]!.entrants.map((entrant) => entrant!.id)).toEqual([
      field[0]!.registrationId,
      before.get("U-R2-M1")!.sides[1].entrant,
    ]);
    // The preview changed nothing.
    expect([...(await rowsOf(db, bracketId)).values()].map(stateOf)).toEqual([...before.values()].map(stateOf));

    const applied = await applyCorrection(db, f.organizer, { matchId: uuid("U-R1-M1"), outcome: win(1) });
    expect(applied.reset).toEqual(["U-R2-M1", "U-R3-M1"]);
    const after = await rowsOf(db, bracketId);
    const changed = [...after.keys()].filter((id) => JSON.stringify(stateOf(after.get(id)!)) !== JSON.stringify(stateOf(before.get(id)!)));
    expect(changed.sort()).toEqual(["U-R1-M1", "U-R2-M1", "U-R3-M1"]);
    expect(after.get("U-R1-M1")).toMatchObject({ status: "completed", result: { kind: "played", winner: 1 }, decidedBy: "organizer" });
    expect(after.get("U-R2-M1")).toMatchObject({ status: "ready", games: [], result: null });
    expect(after.get("U-R2-M1")!.sides[0].entrant).toBe(field[7]!.registrationId);
    expect(after.get("U-R3-M1")).toMatchObject({ status: "pending", result: null });
    expect(after.get("U-R3-M1")!.sides[0].entrant).toBeNull();
    // The bracket is running again, and so is the event.
    const view = await getBracket(
      db,
      null,
      (await db.execute<{ event_id: string }>(sql`select event_id from brackets where id = ${bracketId}`))[0]!.event_id,
    );
    expect(view.bracket).toMatchObject({ status: "running", placements: null, payoutStatus: "not_due" });

    // Players of the reset matches are told: seed 1 (lost its place), seed 8 (gained it), the R2 opponent, and the finalists.
    const [action] = await db.execute<{ id: number }>(
      sql`select id from bracket_actions where bracket_id = ${bracketId} and kind = 'correction'`,
    );
    const told = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter((job) =>
      String(job.dedupeKey).startsWith(`bracket-action:${action!.id}:`),
    );
    const reached = new Set(
      [...before.get("U-R2-M1")!.sides, ...before.get("U-R3-M1")!.sides, ...after.get("U-R2-M1")!.sides].map((side) => side.entrant),
    );
    const userOf = new Map(field.map((entry) => [entry.registrationId, entry.player.id]));
    expect(told.map((job) => job.userId).sort()).toEqual(
      [...reached]
        .filter(Boolean)
        .map((id) => userOf.get(id!))
        .sort(),
    );
    expect(told[0]!.title).toBe("A result was corrected");
  });

  it("setResult refuses a decided match; forfeits and double forfeits advance as the engine says", async () => {
    const { bracketId } = await started(4);
    const rows = await rowsOf(db, bracketId);
    const m1 = rows.get("U-R1-M1")!;
    await setMatchResult(db, f.organizer, { matchId: m1.uuid, outcome: { type: "forfeit", winner: 1 } });
    expect(await message(setMatchResult(db, f.organizer, { matchId: m1.uuid, outcome: win(0) }))).toBe(
      "This match already has a result. Preview a correction to change it.",
    );
    await setMatchResult(db, f.organizer, { matchId: rows.get("U-R1-M2")!.uuid, outcome: { type: "double_forfeit" } });
    const after = await rowsOf(db, bracketId);
    expect(after.get("U-R1-M1")!.result).toEqual({ kind: "forfeit", winner: 1 });
    // The final is a walkover for the forfeit winner: the bracket is complete.
    expect(after.get("U-R2-M1")).toMatchObject({ status: "bye", result: { kind: "walkover", winner: 0 } });
    expect(after.get("U-R2-M1")!.sides[0].entrant).toBe(m1.sides[1].entrant);
    expect(await queuedJobs(db, PAY_PRIZES_TASK)).toContainEqual({ bracketId });
    expect(await message(setMatchResult(db, f.organizer, { matchId: after.get("U-R2-M1")!.uuid, outcome: win(0) }))).toBe(
      "This match already has a result. Preview a correction to change it.",
    );
  });

  it("cancelling the event closes its bracket: no result, report, correction, DQ or dispute changes it any more", async () => {
    const { event, field, bracketId } = await started(4);
    const rows = await rowsOf(db, bracketId);
    const m1 = rows.get("U-R1-M1")!;
    await setMatchResult(db, f.organizer, { matchId: m1.uuid, outcome: win(0) });
    const m2 = rows.get("U-R1-M2")!;
    const { disputeId } = await db.transaction((tx) => openDispute(tx, { matchId: m2.uuid, gameNumber: 1, openedBy: null }));
    await cancelEvent(db, f.organizer, event.id, "Venue flooded");
    const closed = "This event was cancelled: its bracket is closed and its results can no longer change.";
    // Nobody will decide the open dispute now: it is closed with the event.
    const [dispute] = await db.execute<{ status: string }>(sql`select status from match_disputes where id = ${disputeId}`);
    expect(dispute?.status).toBe("closed");
    const player = await reporterOf(db, bracketId, m2.sides[0].entrant!);
    expect(await message(setMatchResult(db, f.organizer, { matchId: m2.uuid, outcome: win(0) }))).toBe(closed);
    expect(await message(reportGame(db, player, { matchId: m2.uuid, gameNumber: 1, winnerSide: 0 }))).toBe(closed);
    expect(await message(previewCorrection(db, f.organizer, { matchId: m1.uuid, outcome: win(1) }))).toBe(closed);
    expect(await message(clearMatchResult(db, f.organizer, { matchId: m1.uuid }))).toBe(closed);
    expect(await message(callMatch(db, f.organizer, { matchId: m2.uuid }))).toBe(closed);
    expect(await message(disqualifyEntrant(db, f.organizer, { eventId: event.id, entrantId: field[0]!.registrationId }))).toBe(closed);
    expect(await message(undoLastAction(db, f.organizer, { eventId: event.id }))).toBe(closed);
    // Nothing moved, and the deadline job leaves the match alone.
    const after = await rowsOf(db, bracketId);
    for (const [id, row] of rows) if (id !== "U-R1-M1" && id !== "U-R2-M1") expect(stateOf(after.get(id)!)).toEqual(stateOf(row));
    expect(await runReportDeadline(db, { matchId: m2.uuid, deadline: new Date().toISOString() })).toBe("stale");
  });

  it("who may correct: the owning organizer and admins; not other organizers or players", async () => {
    const { bracketId } = await started(4);
    const rows = await rowsOf(db, bracketId);
    const matchId = rows.get("U-R1-M1")!.uuid;
    const player = await createUser(db);
    const as = (user: typeof player | null) => createCaller(createInnerContext({ db, user }));
    const correction = { matchId, outcome: win(0) };
    expect(await codeOf(as(player).brackets.applyCorrection(correction))).toBe("FORBIDDEN");
    expect(await codeOf(as(f.otherOrganizer).brackets.applyCorrection(correction))).toBe("FORBIDDEN");
    expect(await codeOf(as(f.otherOrganizer).brackets.previewCorrection(correction))).toBe("FORBIDDEN");
    expect(await codeOf(as(null).brackets.setResult(correction))).toBe("UNAUTHORIZED");
    expect(await codeOf(as(f.admin).brackets.applyCorrection(correction))).toBe("OK");
    expect(await codeOf(as(f.organizer).brackets.applyCorrection({ matchId, outcome: win(1) }))).toBe("OK");
    expect(await codeOf(as(f.organizer).brackets.setResult({ matchId: crypto.randomUUID(), outcome: win(1) }))).toBe("NOT_FOUND");
  });

  it("clearing a result withdraws what it passed on", async () => {
    const { bracketId } = await started(4);
    const rows = await rowsOf(db, bracketId);
    await setMatchResult(db, f.organizer, { matchId: rows.get("U-R1-M1")!.uuid, outcome: win(0) });
    await clearMatchResult(db, f.organizer, { matchId: rows.get("U-R1-M1")!.uuid });
    const after = await rowsOf(db, bracketId);
    expect(after.get("U-R1-M1")).toMatchObject({ status: "ready", result: null, games: [], decidedBy: null });
    expect(after.get("U-R2-M1")!.sides[0].entrant).toBeNull();
    expect(await message(clearMatchResult(db, f.organizer, { matchId: rows.get("U-R1-M1")!.uuid }))).toBe(
      "This match has no result to clear.",
    );
  });
});

describe("undo", () => {
  it("restores the rows exactly as before, twice in a row; refuses with nothing left", async () => {
    const { event, bracketId } = await started(8);
    const rows = await rowsOf(db, bracketId);
    await callMatch(db, f.organizer, { matchId: rows.get("U-R1-M1")!.uuid });
    const before = await rowsOf(db, bracketId);
    await setMatchResult(db, f.organizer, {
      matchId: rows.get("U-R1-M1")!.uuid,
      outcome: { type: "played", winner: 1, games: [{ winner: 1 }] },
    });
    const middle = await rowsOf(db, bracketId);
    await setMatchResult(db, f.organizer, { matchId: rows.get("U-R1-M2")!.uuid, outcome: { type: "forfeit", winner: 0 } });

    expect((await bracketHistory(db, f.organizer, { eventId: event.id, limit: 10 })).undoable).toMatchObject({ kind: "forfeit" });
    const first = await undoLastAction(db, f.organizer, { eventId: event.id });
    expect(first.undid.kind).toBe("forfeit");
    expect([...(await rowsOf(db, bracketId)).values()].map(stateOf)).toEqual([...middle.values()].map(stateOf));
    const second = await undoLastAction(db, f.organizer, { eventId: event.id });
    expect(second.undid.kind).toBe("result");
    const restored = await rowsOf(db, bracketId);
    expect([...restored.values()].map(stateOf)).toEqual([...before.values()].map(stateOf));
    expect(restored.get("U-R1-M1")!.reportDeadline).toBe(before.get("U-R1-M1")!.reportDeadline);
    // The call and the start are not undone.
    expect(await message(undoLastAction(db, f.organizer, { eventId: event.id }))).toBe("There is nothing to undo.");
    const [header] = await db.execute<{ version: number; open_matches: number }>(
      sql`select version, open_matches from brackets where id = ${bracketId}`,
    );
    expect(header).toEqual({ version: 6, open_matches: 7 });
  });

  it("is refused when a later action depends on the last organizer action", async () => {
    const { event, bracketId } = await started(4);
    const rows = await rowsOf(db, bracketId);
    await setMatchResult(db, f.organizer, { matchId: rows.get("U-R1-M1")!.uuid, outcome: win(0) });
    // Then the players of the other match confirm it by reporting.
    const m2 = rows.get("U-R1-M2")!;
    for (const side of [0, 1] as const) {
      await reportGame(db, await reporterOf(db, bracketId, m2.sides[side].entrant!), { matchId: m2.uuid, gameNumber: 1, winnerSide: 0 });
    }
    const before = await rowsOf(db, bracketId);
    expect(await message(undoLastAction(db, f.organizer, { eventId: event.id }))).toBe(
      "The last organizer action (result) can no longer be undone: a later report confirmed depends on it. Correct the result instead.",
    );
    expect([...(await rowsOf(db, bracketId)).values()].map(stateOf)).toEqual([...before.values()].map(stateOf));
    const history = await bracketHistory(db, f.organizer, { eventId: event.id, limit: 10 });
    expect(history.undoable).toBeNull();
    expect(history.actions.map((action) => action.kind)).toEqual(["report_confirmed", "report", "result", "start"]);
  });

  it("undoing the final result reopens a completed bracket and its event", async () => {
    const { event, bracketId } = await started(2);
    const [final] = [...(await rowsOf(db, bracketId)).values()];
    await setMatchResult(db, f.organizer, { matchId: final!.uuid, outcome: win(0) });
    expect((await getBracket(db, null, event.id)).bracket).toMatchObject({ status: "completed", payoutStatus: "pending" });
    expect((await db.select({ status: events.status }).from(events).where(eq(events.id, event.id)))[0]!.status).toBe("completed");
    await undoLastAction(db, f.organizer, { eventId: event.id });
    expect((await getBracket(db, null, event.id)).bracket).toMatchObject({ status: "running", payoutStatus: "not_due", placements: null });
    expect((await db.select({ status: events.status }).from(events).where(eq(events.id, event.id)))[0]!.status).toBe("live");
  });
});

describe("swiss and reads", () => {
  it("a finished Swiss round pairs the next one in the same transaction, and the bracket page shows Buchholz", async () => {
    const { event, bracketId } = await started(4, "swiss", { swissRounds: 2 });
    let rows = await rowsOf(db, bracketId);
    expect([...rows.keys()].sort()).toEqual(["S-R1-M1", "S-R1-M2"]);
    await setMatchResult(db, f.organizer, { matchId: rows.get("S-R1-M1")!.uuid, outcome: win(0) });
    await setMatchResult(db, f.organizer, { matchId: rows.get("S-R1-M2")!.uuid, outcome: win(0) });
    rows = await rowsOf(db, bracketId);
    expect([...rows.keys()].sort()).toEqual(["S-R1-M1", "S-R1-M2", "S-R2-M1", "S-R2-M2"]);
    expect(rows.get("S-R2-M1")!.status).toBe("ready");
    const view = await getBracket(db, null, event.id);
    expect(view.bracket!.standings.swiss!.map((row) => [row.wins, row.buchholz])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    // Undo of the result that paired round 2 removes round 2 again.
    await undoLastAction(db, f.organizer, { eventId: event.id });
    expect([...(await rowsOf(db, bracketId)).keys()].sort()).toEqual(["S-R1-M1", "S-R1-M2"]);
  });

  it("round robin groups into playoffs: a finished group seeds the playoff, and the page shows the group tables", async () => {
    const { event, field, bracketId } = await started(4, "round_robin", {
      groups: 2,
      playoff: { advance: 1, format: "single_elimination", thirdPlace: false, grandFinal: "reset" },
    });
    let rows = await rowsOf(db, bracketId);
    const groupMatches = [...rows.values()].filter((row) => row.stage.startsWith("group:"));
    expect(groupMatches).toHaveLength(2);
    expect(rows.get("U-R1-M1")!.status).toBe("pending");
    for (const match of groupMatches) await setMatchResult(db, f.organizer, { matchId: match.uuid, outcome: win(1) });
    rows = await rowsOf(db, bracketId);
    const final = rows.get("U-R1-M1")!;
    expect(final.status).toBe("ready");
    const winners = groupMatches.map((match) => match.sides[1].entrant);
    expect(final.sides.map((side) => side.entrant).sort()).toEqual([...winners].sort());
    const view = await getBracket(db, null, event.id);
    expect(view.bracket!.standings.groups!.map((table) => table.map((row) => [row.rank, row.wins]))).toEqual([
      [
        [1, 1],
        [2, 0],
      ],
      [
        [1, 1],
        [2, 0],
      ],
    ]);
    expect(view.bracket!.entrants).toHaveLength(field.length);
  });

  it("the match page shows dots, players, the audit trail, and reports only to the sides and the organizer", async () => {
    const { bracketId } = await started(4, "single_elimination", { bestOf: 3 });
    const rows = await rowsOf(db, bracketId);
    const m1 = rows.get("U-R1-M1")!;
    const [a, b] = [await reporterOf(db, bracketId, m1.sides[0].entrant!), await reporterOf(db, bracketId, m1.sides[1].entrant!)];
    await reportGame(db, a, { matchId: m1.uuid, gameNumber: 1, winnerSide: 0, score: [13, 7] });
    await reportGame(db, b, { matchId: m1.uuid, gameNumber: 1, winnerSide: 0, score: [13, 7] });
    await reportGame(db, a, { matchId: m1.uuid, gameNumber: 2, winnerSide: 1 });
    const spectator = await getMatch(db, null, m1.uuid);
    expect(spectator.games.map((game) => game.dots)).toEqual([
      ["won", "lost"],
      ["pending", "pending"],
      ["pending", "pending"],
    ]);
    expect(spectator.games[0]).toMatchObject({ winner: 0, score: [13, 7], authority: "agreement" });
    expect(spectator.reports).toEqual([]);
    expect(spectator.reportState).toBe("awaiting");
    expect(spectator.viewer).toEqual({ side: null, canReport: false, canManage: false });
    expect(spectator.sides[0]!.players).toEqual([{ userId: a.id, name: a.name, image: null, captain: true }]);
    expect(spectator.audit.map((action) => action.kind)).toEqual(["report", "report_confirmed", "report"]);
    const asSide = await getMatch(db, b, m1.uuid);
    expect(asSide.viewer).toEqual({ side: 1, canReport: true, canManage: false });
    expect(asSide.reports).toMatchObject([
      { gameNumber: 1, side: 0, winnerSide: 0, score: [13, 7], reporterName: a.name },
      { gameNumber: 1, side: 1, winnerSide: 0, reporterName: b.name },
      { gameNumber: 2, side: 0, winnerSide: 1, reporterName: a.name },
    ]);
    expect((await getMatch(db, f.organizer, m1.uuid)).reports).toHaveLength(3);
  });
});
