import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { mayOverride } from "./games";
import type { StoredMatch } from "./repository";
import {
  callMatch,
  openDispute,
  recordGameByOrganizer,
  reportGame,
  resolveGameByAuthority,
  runReportDeadline,
  setMatchResult,
  sideOfUser,
  startBracket,
} from "./service";
import { bracketFixtures, queuedJobs, reporterOf, rowsOf, type Fixtures } from "./testing";

const { db } = await createTestDatabase();
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

async function started(count: number, bestOf = 1) {
  const event = await f.openEvent();
  const field = await f.soloEntries(event.id, count);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf },
    reportMinutes: 30,
  });
  return { event, field, bracketId };
}

const message = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return (error as Error).message;
  }
};

async function sidesOf(bracketId: string, match: StoredMatch) {
  return [await reporterOf(db, bracketId, match.sides[0].entrant!), await reporterOf(db, bracketId, match.sides[1].entrant!)] as const;
}

async function openDisputes(matchUuid: string) {
  return db.execute<{ id: string; game_number: number; status: string; opened_by: string | null }>(
    sql`select id, game_number, status, opened_by from match_disputes where match_id = ${matchUuid} order by created_at`,
  );
}

async function rowOf(bracketId: string, id: string) {
  return (await rowsOf(db, bracketId)).get(id)!;
}

/** Sets a match's report deadline into the past, as the clock would. */
async function passDeadline(match: StoredMatch): Promise<string> {
  const [row] = await db.execute<{ deadline: string }>(sql`
    update bracket_matches set report_deadline = now() - interval '1 minute' where id = ${match.uuid}
    returning to_json(report_deadline)#>>'{}' as deadline`);
  return row!.deadline;
}

describe("concurrent reports", () => {
  it("both sides reporting the same game at once end in one consistent state, 20 times over for each case", async () => {
    // 128 entrants: 64 first-round matches, best of 3, so a confirmed game 1 leaves the match in progress.
    const { bracketId } = await started(128, 3);
    const rows = [...(await rowsOf(db, bracketId)).values()].filter((row) => row.round === 1 && row.stage === "upper");
    expect(rows).toHaveLength(64);
    for (let i = 0; i < 40; i++) {
      const agree = i % 2 === 0;
      const match = rows[i]!;
      const [a, b] = await sidesOf(bracketId, match);
      const results = await Promise.all([
        reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 }),
        reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: agree ? 0 : 1 }),
      ]);
      const row = await rowOf(bracketId, match.id);
      const disputes = await openDisputes(match.uuid);
      if (agree) {
        expect(row).toMatchObject({ status: "in_progress", reportState: "none", games: [{ winner: 0, authority: "agreement" }] });
        expect(disputes).toHaveLength(0);
        // One call saw the other's report and confirmed; the other had found nothing to agree with yet.
        expect(results.map((result) => result.confirmed).sort()).toEqual([0, 1]);
      } else {
        expect(row).toMatchObject({ status: "ready", reportState: "disputed", games: [] });
        expect(disputes).toHaveLength(1);
        expect(disputes[0]).toMatchObject({ game_number: 1, status: "open", opened_by: null });
      }
      const [actions] = await db.execute<{ confirmed: number; opened: number }>(sql`
        select count(*) filter (where kind = 'report_confirmed')::int as confirmed, count(*) filter (where kind = 'dispute_opened')::int as opened
        from bracket_actions where bracket_id = ${bracketId} and match_id = ${match.id}`);
      expect(actions).toEqual(agree ? { confirmed: 1, opened: 0 } : { confirmed: 0, opened: 1 });
    }
  });
});

describe("who reports", () => {
  it("only the two sides; in team events only the captain", async () => {
    const { bracketId } = await started(4);
    const match = await rowOf(bracketId, "U-R1-M1");
    const other = await rowOf(bracketId, "U-R1-M2");
    const [outsider] = await sidesOf(bracketId, other);
    const stranger = await createUser(db);
    expect(await message(reportGame(db, outsider, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 }))).toBe(
      "Only the two sides of this match can report its games.",
    );
    expect(await codeOf(reportGame(db, f.organizer, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 }))).toBe("FORBIDDEN");
    expect(
      await codeOf(
        createCaller(createInnerContext({ db, user: null })).matches.reportGame({ matchId: match.uuid, gameNumber: 1, winnerSide: 0 }),
      ),
    ).toBe("UNAUTHORIZED");
    expect(
      await codeOf(
        createCaller(createInnerContext({ db, user: stranger })).matches.reportGame({ matchId: match.uuid, gameNumber: 1, winnerSide: 0 }),
      ),
    ).toBe("FORBIDDEN");

    const event = await f.openEvent({ participantType: "team", teamSize: 2 });
    const red = await f.teamEntry(event.id, 3);
    const blue = await f.teamEntry(event.id, 2);
    const teams = await startBracket(db, f.organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    });
    const final = await rowOf(teams.bracketId, "U-R1-M1");
    expect(await message(reportGame(db, red.members[1]!, { matchId: final.uuid, gameNumber: 1, winnerSide: 0 }))).toBe(
      "Only your team's captain can report results.",
    );
    expect(await sideOfUser(db, final.uuid, red.members[2]!.id)).toEqual({ side: 0, captain: false });
    expect(await sideOfUser(db, final.uuid, blue.captain.id)).toEqual({ side: 1, captain: true });
    await reportGame(db, red.captain, { matchId: final.uuid, gameNumber: 1, winnerSide: 1 });
    const settled = await reportGame(db, blue.captain, { matchId: final.uuid, gameNumber: 1, winnerSide: 1 });
    expect(settled.match).toMatchObject({ status: "completed", result: { kind: "played", winner: 1 } });
  });

  it("a side may change its report until the game is confirmed; reports made ahead confirm in order", async () => {
    const { bracketId } = await started(4, 3);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 2, winnerSide: 1 });
    await reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    expect((await openDisputes(match.uuid)).map((d) => d.status)).toEqual(["open"]);
    // Side 0 corrects its report: the sides agree, the dispute is withdrawn, and game 2 waits for side 1.
    let settled = await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    expect(settled).toMatchObject({ confirmed: 1, state: "awaiting" });
    expect((await openDisputes(match.uuid)).map((d) => d.status)).toEqual(["withdrawn"]);
    settled = await reportGame(db, b, { matchId: match.uuid, gameNumber: 2, winnerSide: 1 });
    expect(settled).toMatchObject({ confirmed: 1, state: "none" });
    expect((await rowOf(bracketId, match.id)).games.map((game) => game.winner)).toEqual([0, 1]);
    expect(await message(reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 }))).toBe(
      "Game 1 is already confirmed. If it is wrong, open a dispute.",
    );
    expect(await message(reportGame(db, a, { matchId: match.uuid, gameNumber: 4, winnerSide: 1 }))).toBe("This match is a best of 3.");
  });
});

describe("authority", () => {
  it("ranks organizer > dispute > agreement > deadline", () => {
    expect(mayOverride("deadline", "agreement")).toBe(true);
    expect(mayOverride("agreement", "deadline")).toBe(false);
    expect(mayOverride("agreement", "agreement")).toBe(false);
    expect(mayOverride("agreement", "dispute")).toBe(true);
    expect(mayOverride("dispute", "dispute")).toBe(true);
    expect(mayOverride("organizer", "dispute")).toBe(false);
    expect(mayOverride(undefined, "dispute")).toBe(false);
    expect(mayOverride("dispute", "organizer")).toBe(true);
  });

  it("an organizer decision is not overwritten by a late report, a deadline job or a dispute resolution", async () => {
    const { bracketId } = await started(8, 3);
    // Whole match decided by the organizer.
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });
    const deadline = await passDeadline(match);
    await setMatchResult(db, f.organizer, { matchId: match.uuid, outcome: { type: "played", winner: 0 } });
    const decided = await rowOf(bracketId, match.id);
    expect(await message(reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 }))).toBe("This match is already decided.");
    expect(await runReportDeadline(db, { matchId: match.uuid, deadline })).toBe("stale");
    const resolution = await db.transaction((tx) => resolveGameByAuthority(tx, match.uuid, 1, 1, "dispute"));
    expect(resolution).toMatchObject({ outcome: "kept", reason: "The organizer decided this match." });
    expect(await rowOf(bracketId, match.id)).toEqual(decided);

    // One game decided by the organizer, then the players report it the other way.
    const second = await rowOf(bracketId, "U-R1-M2");
    const [c, d] = await sidesOf(bracketId, second);
    await recordGameByOrganizer(db, f.organizer, { matchId: second.uuid, winnerSide: 0 });
    expect(await message(reportGame(db, c, { matchId: second.uuid, gameNumber: 1, winnerSide: 1 }))).toBe(
      "Game 1 is already confirmed. If it is wrong, open a dispute.",
    );
    const dispute = await db.transaction((tx) =>
      openDispute(tx, { matchId: second.uuid, gameNumber: 1, openedBy: d.id, side: 1, reason: "wrong_winner" }),
    );
    const kept = await db.transaction((tx) => resolveGameByAuthority(tx, second.uuid, 1, 1, "dispute", { actorId: f.organizer.id }));
    expect(kept).toMatchObject({ outcome: "kept", reason: "Game 1 was decided by organizer, which dispute cannot override." });
    expect((await rowOf(bracketId, second.id)).games).toEqual([{ winner: 0, authority: "organizer" }]);
    expect((await openDisputes(second.uuid)).map((row) => [row.id, row.status])).toEqual([[dispute.disputeId, "open"]]);
  });

  it("a dispute resolution outranks agreement and the deadline, and corrects the game", async () => {
    const { bracketId } = await started(4, 3);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    for (const player of [a, b]) await reportGame(db, player, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 2, winnerSide: 0 });
    const deadline = await passDeadline(match);
    expect(await runReportDeadline(db, { matchId: match.uuid, deadline })).toBe("none");
    let row = await rowOf(bracketId, match.id);
    expect(row).toMatchObject({
      status: "completed",
      result: { kind: "played", winner: 0 },
      games: [{ authority: "agreement" }, { authority: "deadline" }],
    });
    expect((await rowOf(bracketId, "U-R2-M1")).sides[0].entrant).toBe(match.sides[0].entrant);

    // Side 1 disputes game 2 (decided at the deadline); the dispute gives it to side 1.
    const { disputeId } = await db.transaction((tx) =>
      openDispute(tx, { matchId: match.uuid, gameNumber: 2, openedBy: b.id, side: 1, reason: "wrong_winner" }),
    );
    const decision = await db.transaction((tx) =>
      resolveGameByAuthority(tx, match.uuid, 2, 1, "dispute", { actorId: f.organizer.id, note: "Video shows side 1 won." }),
    );
    expect(decision.outcome).toBe("corrected");
    row = await rowOf(bracketId, match.id);
    expect(row).toMatchObject({
      status: "in_progress",
      result: null,
      games: [
        { winner: 0, authority: "agreement" },
        { winner: 1, authority: "dispute" },
      ],
    });
    expect((await rowOf(bracketId, "U-R2-M1")).sides[0].entrant).toBeNull();
    const [dispute] = await db.execute<{ status: string; resolution: unknown }>(
      sql`select status, resolution from match_disputes where id = ${disputeId}`,
    );
    expect(dispute).toEqual({ status: "resolved", resolution: { winnerSide: 1, authority: "dispute", note: "Video shows side 1 won." } });
    // Agreement cannot take it back.
    expect((await db.transaction((tx) => resolveGameByAuthority(tx, match.uuid, 2, 0, "agreement"))).outcome).toBe("kept");
  });
  it("a dispute on a game already confirmed holds the match until the organizer decides it", async () => {
    const { bracketId } = await started(4, 3);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    for (const player of [a, b]) await reportGame(db, player, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    const { disputeId } = await db.transaction((tx) =>
      openDispute(tx, { matchId: match.uuid, gameNumber: 1, openedBy: b.id, side: 1, reason: "cheating" }),
    );
    // Both report game 2 for side 0: that would win the match, but game 1 is under dispute.
    for (const player of [a, b]) await reportGame(db, player, { matchId: match.uuid, gameNumber: 2, winnerSide: 0 });
    let row = await rowOf(bracketId, match.id);
    expect(row).toMatchObject({ status: "in_progress", result: null, reportState: "disputed" });
    expect(row.games).toHaveLength(1);
    expect((await openDisputes(match.uuid)).map((d) => [d.id, d.status])).toEqual([[disputeId, "open"]]);
    const deadline = await passDeadline(match);
    await runReportDeadline(db, { matchId: match.uuid, deadline });
    expect((await rowOf(bracketId, match.id)).games).toHaveLength(1);

    // The organizer upholds game 1; the waiting reports of game 2 then count on the next report.
    await db.transaction((tx) =>
      resolveGameByAuthority(tx, match.uuid, 1, 0, "dispute", { actorId: f.organizer.id, note: "No evidence of cheating." }),
    );
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 2, winnerSide: 0 });
    row = await rowOf(bracketId, match.id);
    expect(row).toMatchObject({ status: "completed", result: { kind: "played", winner: 0 } });
  });
});

describe("report deadlines", () => {
  it("a single report stands at the deadline", async () => {
    const { bracketId } = await started(4);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [, b] = await sidesOf(bracketId, match);
    await reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });
    expect((await rowOf(bracketId, match.id)).reportState).toBe("awaiting");
    // Not yet due: nothing happens.
    expect(await runReportDeadline(db, { matchId: match.uuid, deadline: match.reportDeadline! })).toBe("stale");
    const deadline = await passDeadline(match);
    expect(await runReportDeadline(db, { matchId: match.uuid, deadline })).toBe("none");
    const row = await rowOf(bracketId, match.id);
    expect(row).toMatchObject({
      status: "completed",
      result: { kind: "played", winner: 1 },
      games: [{ winner: 1, authority: "deadline" }],
    });
    // A second run of the same job changes nothing.
    expect(await runReportDeadline(db, { matchId: match.uuid, deadline })).toBe("stale");
  });

  it("no report leaves the match overdue for the organizer; calling it again starts a new deadline", async () => {
    const { event, bracketId } = await started(4);
    const match = await rowOf(bracketId, "U-R1-M2");
    const deadline = await passDeadline(match);
    expect(await runReportDeadline(db, { matchId: match.uuid, deadline })).toBe("overdue");
    const row = await rowOf(bracketId, match.id);
    expect(row).toMatchObject({ status: "ready", reportState: "overdue", result: null });
    const told = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter(
      (job) => job.userId === f.organizer.id && job.title === "A match is overdue",
    );
    expect(told.length).toBeGreaterThanOrEqual(1);
    const caller = createCaller(createInnerContext({ db, user: f.organizer }));
    expect((await caller.brackets.consoleMatches({ eventId: event.id, state: "overdue" })).matches.map((m) => m.id)).toEqual([match.uuid]);
    const called = await callMatch(db, f.organizer, { matchId: match.uuid });
    expect(called.reportState).toBe("none");
    expect(new Date(called.reportDeadline!).getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    // The old deadline's job is stale now.
    expect(await runReportDeadline(db, { matchId: match.uuid, deadline })).toBe("stale");
    expect((await caller.brackets.consoleMatches({ eventId: event.id, state: "overdue" })).total).toBe(0);
  });

  it("an open dispute holds the game past the deadline", async () => {
    const { event, bracketId } = await started(4);
    const match = await rowOf(bracketId, "U-R1-M1");
    const [a, b] = await sidesOf(bracketId, match);
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    await reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });
    const deadline = await passDeadline(match);
    expect(await runReportDeadline(db, { matchId: match.uuid, deadline })).toBe("disputed");
    expect((await rowOf(bracketId, match.id)).result).toBeNull();
    const caller = createCaller(createInnerContext({ db, user: f.organizer }));
    expect(
      (await caller.brackets.consoleMatches({ eventId: event.id, state: "disputed" })).matches.map((m) => [m.id, m.openDisputes]),
    ).toEqual([[match.uuid, 1]]);
    // The organizer decides the game: the dispute is resolved by the organizer.
    await recordGameByOrganizer(db, f.organizer, { matchId: match.uuid, winnerSide: 1 });
    expect((await openDisputes(match.uuid)).map((row) => row.status)).toEqual(["resolved"]);
    expect((await rowOf(bracketId, match.id)).result).toEqual({ kind: "played", winner: 1 });
  });
});
