import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import type { SessionUser } from "@/server/accounts/roles";
import { reportGame, startBracket } from "@/server/brackets/service";
import { getMatch } from "./match-page";
import { bracketFixtures, queuedJobs, reporterOf, rowsOf, type Fixtures } from "@/server/brackets/testing";
import type { StoredMatch } from "@/server/brackets/repository";
import { DomainError, fieldErrorsOf } from "@/server/errors";
import { SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { createCaller } from "@/server/root";
import { canViewEvidence, describeEvidence } from "@/server/storage/evidence";
import { cleanUnattachedEvidence, uploadEvidence } from "@/server/storage/evidence-uploads";
import { samples, temporaryFileStore } from "@/server/storage/testing";
import { createInnerContext, trpcCodeOf } from "@/server/trpc";

const { db } = await createTestDatabase();
const store = await temporaryFileStore("disputes");
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

const as = (user: SessionUser | null) => createCaller(createInnerContext({ db, user }));

async function started(count: number, bestOf = 1) {
  const event = await f.openEvent();
  await f.soloEntries(event.id, count);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf },
    reportMinutes: 30,
  });
  const rows = await rowsOf(db, bracketId);
  return { event, bracketId, rows };
}

async function sidesOf(bracketId: string, match: StoredMatch) {
  return [await reporterOf(db, bracketId, match.sides[0].entrant!), await reporterOf(db, bracketId, match.sides[1].entrant!)] as const;
}

const upload = async (user: SessionUser, sample: keyof typeof samples = "png") =>
  (await uploadEvidence(db, store, { uploaderId: user.id, stream: samples[sample], declaredName: `${sample}-proof.${sample}` })).evidenceId;

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; fields: Record<string, string[]> | null }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { code: trpcCodeOf(error), message: error.message, fields: fieldErrorsOf(error) };
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, message: error.message, fields: fieldErrorsOf(error.cause) };
  }
  throw new Error("expected a failure");
}

const description = "They reported the wrong winner, see the screenshot.";

describe("who may raise and read", () => {
  it("a player on neither side cannot raise (FORBIDDEN) or read (NOT_FOUND); evidence must be the actor's own and exist", async () => {
    const { bracketId, rows } = await started(4);
    const match = rows.get("U-R1-M1")!;
    const [a, b] = await sidesOf(bracketId, match);
    const [outsider] = await sidesOf(bracketId, rows.get("U-R1-M2")!);
    const raise = { matchId: match.uuid, gameNumber: 1, reason: "wrong_winner" as const, description, evidenceIds: [] };

    expect(await codeOf(as(outsider).disputes.raise(raise))).toBe("FORBIDDEN");
    expect(await codeOf(as(null).disputes.raise(raise))).toBe("UNAUTHORIZED");

    // b's file attached by a.
    const theirs = await upload(b);
    const refused = await failure(as(a).disputes.raise({ ...raise, evidenceIds: [theirs] }));
    expect(refused).toMatchObject({ code: "BAD_REQUEST", fields: { evidenceIds: ["You can only attach files you uploaded yourself."] } });
    // A well-formed id of a's that names no stored file.
    const missing = `${a.id}_${crypto.randomUUID()}`;
    expect(await failure(as(a).disputes.raise({ ...raise, evidenceIds: [missing] }))).toMatchObject({
      code: "BAD_REQUEST",
      fields: { evidenceIds: ["One of the attached files could not be found. Upload it again."] },
    });
    expect(await failure(as(a).disputes.raise({ ...raise, evidenceIds: ["../../etc/passwd"] }))).toMatchObject({
      fields: { evidenceIds: [expect.any(String)] },
    });
    // Nothing half-written.
    const [counted] = await db.execute<{ n: number }>(sql`select count(*)::int as n from match_disputes where match_id = ${match.uuid}`);
    expect(counted!.n).toBe(0);

    const { disputeId, created } = await as(a).disputes.raise({ ...raise, evidenceIds: [await upload(a)] });
    expect(created).toBe(true);
    expect(await codeOf(as(outsider).disputes.get({ disputeId }))).toBe("NOT_FOUND");
    expect(await codeOf(as(await createUser(db)).disputes.get({ disputeId }))).toBe("NOT_FOUND");
    expect(await codeOf(as(f.otherOrganizer).disputes.get({ disputeId }))).toBe("NOT_FOUND");
    expect(await codeOf(as(outsider).disputes.respond({ disputeId, body: "Not my match", evidenceIds: [] }))).toBe("NOT_FOUND");
    for (const viewer of [a, b, f.organizer, f.admin]) expect(await codeOf(as(viewer).disputes.get({ disputeId }))).toBe("OK");
    expect(
      await codeOf(as(f.otherOrganizer).disputes.resolve({ disputeId, winnerSide: 1, explanation: "I am not this event's organizer." })),
    ).toBe("FORBIDDEN");
    expect(await codeOf(as(b).disputes.resolve({ disputeId, winnerSide: 1, explanation: "I would like to win this one." }))).toBe(
      "FORBIDDEN",
    );
  });

  it("a game the organizer decided cannot be disputed; a game that does not exist yet is a field error", async () => {
    const { bracketId, rows } = await started(4, 3);
    const match = rows.get("U-R1-M1")!;
    const [a] = await sidesOf(bracketId, match);
    await as(f.organizer).brackets.recordGame({ matchId: match.uuid, winnerSide: 1 });
    const base = { matchId: match.uuid, reason: "wrong_winner" as const, description, evidenceIds: [] };
    expect(await failure(as(a).disputes.raise({ ...base, gameNumber: 1 }))).toMatchObject({
      code: "BAD_REQUEST",
      message: "The organizer decided game 1, so it cannot be disputed. Contact the organizer if it is wrong.",
    });
    expect(await failure(as(a).disputes.raise({ ...base, gameNumber: 3 }))).toMatchObject({
      code: "BAD_REQUEST",
      fields: { gameNumber: ["Choose a game from 1 to 2."] },
    });
  });
});

describe("attaching and the clean-up of uploads never attached", () => {
  it("an attached file survives the clean-up; one the clean-up took between the attach's store lookup and its transaction is refused, writing nothing", async () => {
    const { bracketId, rows } = await started(4);
    const match = rows.get("U-R1-M1")!;
    const [a] = await sidesOf(bracketId, match);
    const [kept, taken] = [await upload(a), await upload(a)];
    await db.execute(sql`update evidence_uploads set created_at = now() - interval '25 hours' where evidence_id in (${kept}, ${taken})`);
    const { disputeId } = await as(a).disputes.raise({
      matchId: match.uuid,
      gameNumber: 1,
      reason: "wrong_winner",
      description,
      evidenceIds: [kept],
    });

    // The clean-up deletes the row of `taken`; its file is deleted by a job that has not run yet.
    const removed = await cleanUnattachedEvidence(db);
    expect(removed).toContain(taken);
    expect(removed).not.toContain(kept);
    expect(await describeEvidence(store, taken)).not.toBeNull();
    expect(await failure(as(a).disputes.respond({ disputeId, body: "One more screenshot.", evidenceIds: [taken] }))).toMatchObject({
      code: "BAD_REQUEST",
      fields: { evidenceIds: ["One of the attached files could not be found. Upload it again."] },
    });
    const [counted] = await db.execute<{ statements: number; files: number }>(sql`
      select (select count(*)::int from dispute_statements where dispute_id = ${disputeId}) as statements,
        (select count(*)::int from dispute_evidence where dispute_id = ${disputeId}) as files`);
    expect(counted).toEqual({ statements: 1, files: 1 });
    expect(await describeEvidence(store, kept)).not.toBeNull();
  });
});

describe("the full flow", () => {
  it("disagreeing reports → dispute → both sides' statements with evidence → the organizer resolves for side 1", async () => {
    const { bracketId, rows } = await started(4);
    const match = rows.get("U-R1-M1")!;
    const [a, b] = await sidesOf(bracketId, match);
    const [outsider] = await sidesOf(bracketId, rows.get("U-R1-M2")!);
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    await reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });
    const [opened] = await db.execute<{ id: string; opened_by: string | null }>(
      sql`select id, opened_by from match_disputes where match_id = ${match.uuid} and status = 'open'`,
    );
    expect(opened).toMatchObject({ opened_by: null });

    // Side 1 raises on the game: it joins the dispute the reports opened, as its opening statement.
    const screenshot = await upload(b, "png");
    const raised = await as(b).disputes.raise({
      matchId: match.uuid,
      gameNumber: 1,
      reason: "wrong_winner",
      description,
      evidenceIds: [screenshot],
    });
    expect(raised).toMatchObject({ disputeId: opened!.id, created: false });
    // Side 0 answers with a clip, then side 1 adds one more word.
    const clip = await upload(a, "mp4");
    await as(a).disputes.respond({ disputeId: raised.disputeId, body: "The clip shows I won the last round.", evidenceIds: [clip] });
    await as(b).disputes.respond({ disputeId: raised.disputeId, body: "The clip is from the warm-up.", evidenceIds: [] });
    // A file attaches once.
    expect(await failure(as(a).disputes.respond({ disputeId: raised.disputeId, body: "Again", evidenceIds: [clip] }))).toMatchObject({
      fields: { evidenceIds: ["One of the files is already attached to a dispute."] },
    });

    // Evidence: each side sees the other's, the organizer and admins see it, an unrelated player does not.
    for (const [viewer, visible] of [
      [a, true],
      [b, true],
      [f.organizer, true],
      [f.admin, true],
      [outsider, false],
      [f.otherOrganizer, false],
    ] as const) {
      expect(await canViewEvidence(db, viewer, screenshot), viewer.name).toBe(visible);
      expect(await canViewEvidence(db, viewer, clip)).toBe(visible);
    }
    // An uploaded file not attached to anything stays private to its uploader.
    const loose = await upload(a);
    expect(await canViewEvidence(db, a, loose)).toBe(true);
    expect(await canViewEvidence(db, b, loose)).toBe(false);
    expect(await canViewEvidence(db, f.admin, loose)).toBe(false);

    const resolved = await as(f.organizer).disputes.resolve({
      disputeId: raised.disputeId,
      winnerSide: 1,
      explanation: "The screenshot shows side 1 won; the clip is from the warm-up.",
    });
    expect(resolved).toMatchObject({
      status: "resolved",
      outcome: "decided",
      match: { status: "completed", result: { kind: "played", winner: 1 } },
    });
    const row = (await rowsOf(db, bracketId)).get(match.id)!;
    expect(row).toMatchObject({ result: { kind: "played", winner: 1 }, games: [{ winner: 1, authority: "dispute" }] });
    expect((await rowsOf(db, bracketId)).get("U-R2-M1")!.sides[0].entrant).toBe(match.sides[1].entrant);

    const dispute = await as(a).disputes.get({ disputeId: raised.disputeId });
    expect(dispute).toMatchObject({
      status: "resolved",
      reason: "wrong_winner",
      raisedBy: 1,
      resolution: { winnerSide: 1, authority: "dispute", note: "The screenshot shows side 1 won; the clip is from the warm-up." },
      reports: [
        { side: 0, winnerSide: 0 },
        { side: 1, winnerSide: 1 },
      ],
      viewer: { side: 0, canRespond: false, canWithdraw: false, canResolve: false },
    });
    expect(dispute.statements.map((s) => [s.kind, s.side, s.evidence.map((e) => [e.contentType, e.kind, e.url])])).toEqual([
      ["opening", 1, [["image/png", "image", `/api/evidence/${screenshot}`]]],
      ["answer", 0, [["video/mp4", "video", `/api/evidence/${clip}`]]],
      ["answer", 1, []],
      ["organizer_note", null, []],
    ]);
    expect(dispute.evidence.map((e) => [e.name, e.size])).toEqual([
      ["png-proof.png", samples.png.length],
      ["mp4-proof.mp4", samples.mp4.length],
    ]);

    // Both sides are told, with the explanation.
    const told = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter((job) =>
      String(job.dedupeKey).startsWith(`dispute:${raised.disputeId}:resolved:`),
    );
    expect(told.map((job) => job.userId).sort()).toEqual([a.id, b.id].sort());
    expect(String(told[0]!.body)).toContain("The screenshot shows side 1 won");
    // The raise told side 0 and the organizer; the answers told the other side.
    const statementJobs = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter((job) =>
      String(job.dedupeKey).startsWith(`dispute:${raised.disputeId}:statement:`),
    );
    expect(new Set(statementJobs.map((job) => job.userId))).toEqual(new Set([a.id, b.id, f.organizer.id]));

    // The match page's trail lists each step, oldest first (to the players; see trail-privacy.test.ts for everyone else).
    const page = await getMatch(db, a, match.uuid);
    const kinds = page.audit.map((entry) => entry.kind);
    expect(kinds).toEqual([
      "report",
      "dispute_opened",
      "dispute_statement",
      "dispute_evidence",
      "dispute_statement",
      "dispute_evidence",
      "dispute_statement",
      "dispute_resolved",
    ]);
    expect(page.audit.find((entry) => entry.kind === "dispute_evidence")!.detail).toMatchObject({ count: 1, contentTypes: ["image/png"] });
    expect(JSON.stringify(page.audit)).not.toContain("png-proof");
    expect(dispute.trail.map((entry) => entry.kind)).toEqual([
      "dispute_opened",
      "dispute_statement",
      "dispute_evidence",
      "dispute_statement",
      "dispute_evidence",
      "dispute_statement",
      "dispute_resolved",
    ]);

    // Authority: a late report changes nothing; the dispute takes no more statements.
    expect(await failure(reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 }))).toMatchObject({
      code: "BAD_REQUEST",
      message: "This match is already decided.",
    });
    expect((await rowsOf(db, bracketId)).get(match.id)!.result).toEqual({ kind: "played", winner: 1 });
    expect(await failure(as(a).disputes.respond({ disputeId: raised.disputeId, body: "But I won!", evidenceIds: [] }))).toMatchObject({
      code: "BAD_REQUEST",
      message: "This dispute was resolved: it takes no more statements.",
    });
    expect(
      await codeOf(
        as(f.organizer).disputes.resolve({ disputeId: raised.disputeId, winnerSide: 0, explanation: "Changed my mind about it." }),
      ),
    ).toBe("BAD_REQUEST");
  });

  it("a dispute on a confirmed game: only its raiser's side may withdraw it, and the match leaves the disputed state", async () => {
    const { bracketId, rows } = await started(4, 3);
    const match = rows.get("U-R1-M1")!;
    const [a, b] = await sidesOf(bracketId, match);
    for (const player of [a, b]) await reportGame(db, player, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    const { disputeId, created } = await as(b).disputes.raise({
      matchId: match.uuid,
      gameNumber: 1,
      reason: "connection_issue",
      description: "My connection dropped in the final round.",
      evidenceIds: [],
    });
    expect(created).toBe(true);
    // The other side raising the same game adds to the open dispute rather than opening a second.
    const again = await as(a).disputes.raise({
      matchId: match.uuid,
      gameNumber: 1,
      reason: "other",
      description: "It was a fair game, the connection was fine.",
      evidenceIds: [],
    });
    expect(again).toMatchObject({ disputeId, created: false });
    expect((await rowsOf(db, bracketId)).get(match.id)!.reportState).toBe("disputed");

    expect(await failure(as(a).disputes.withdraw({ disputeId }))).toMatchObject({
      code: "FORBIDDEN",
      message: "Only the side that raised this dispute can withdraw it.",
    });
    expect(await as(b).disputes.withdraw({ disputeId })).toEqual({ disputeId, status: "withdrawn" });
    expect((await rowsOf(db, bracketId)).get(match.id)!).toMatchObject({
      reportState: "none",
      games: [{ winner: 0, authority: "agreement" }],
    });
    expect(await codeOf(as(b).disputes.withdraw({ disputeId }))).toBe("BAD_REQUEST");
    const page = await getMatch(db, a, match.uuid);
    expect(page.audit.map((entry) => entry.kind).slice(-4)).toEqual([
      "dispute_statement",
      "dispute_statement",
      "report",
      "dispute_withdrawn",
    ]);
  });

  it("a dispute the reports opened cannot be withdrawn while they disagree", async () => {
    const { bracketId, rows } = await started(4);
    const match = rows.get("U-R1-M2")!;
    const [a, b] = await sidesOf(bracketId, match);
    await reportGame(db, a, { matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    await reportGame(db, b, { matchId: match.uuid, gameNumber: 1, winnerSide: 1 });
    const [opened] = await db.execute<{ id: string }>(sql`select id from match_disputes where match_id = ${match.uuid}`);
    expect(await failure(as(a).disputes.withdraw({ disputeId: opened!.id }))).toMatchObject({
      code: "BAD_REQUEST",
      message: "This dispute was opened because the reports disagree: change your report to settle it.",
    });
  });
});

describe("the organizer's queue", () => {
  it("lists open disputes oldest first, only of the organizer's events (admins: all)", async () => {
    const mine = await started(8);
    const raiseOn = async (rows: Map<string, StoredMatch>, bracketId: string, id: string) => {
      const [, b] = await sidesOf(bracketId, rows.get(id)!);
      return (
        await as(b).disputes.raise({
          matchId: rows.get(id)!.uuid,
          gameNumber: 1,
          reason: "opponent_no_show",
          description: "They never joined the lobby.",
          evidenceIds: [await upload(b)],
        })
      ).disputeId;
    };
    const first = await raiseOn(mine.rows, mine.bracketId, "U-R1-M3");
    const second = await raiseOn(mine.rows, mine.bracketId, "U-R1-M1");
    const third = await raiseOn(mine.rows, mine.bracketId, "U-R1-M2");
    // An event of the other organizer (started by an admin, then handed over).
    const theirs = await started(4);
    await db.update(events).set({ organizerId: f.otherOrganizer.id }).where(eq(events.id, theirs.event.id));
    const foreign = await raiseOn(theirs.rows, theirs.bracketId, "U-R1-M1");

    const queue = await as(f.organizer).disputes.queue({ eventId: mine.event.id });
    expect(queue.disputes.map((d) => d.id)).toEqual([first, second, third]);
    expect(queue.disputes[0]).toMatchObject({
      status: "open",
      event: { id: mine.event.id, name: mine.event.name },
      match: { label: "Match 3 · Quarterfinal" },
      gameNumber: 1,
      raisedBy: 1,
      reason: "opponent_no_show",
      evidenceCount: 1,
      sides: [expect.any(String), expect.any(String)],
    });
    expect(queue.disputes[0]!.ageSeconds).toBeGreaterThanOrEqual(0);
    const all = await as(f.organizer).disputes.queue({});
    expect(all.disputes.map((d) => d.id)).not.toContain(foreign);
    expect(all.disputes.map((d) => d.id)).toEqual(expect.arrayContaining([first, second, third]));
    const times = all.disputes.map((d) => new Date(d.createdAt).getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect((await as(f.otherOrganizer).disputes.queue({})).disputes.map((d) => d.id)).toEqual([foreign]);
    expect(await codeOf(as(f.otherOrganizer).disputes.queue({ eventId: mine.event.id }))).toBe("FORBIDDEN");
    expect((await as(f.admin).disputes.queue({})).disputes.map((d) => d.id)).toEqual(expect.arrayContaining([first, foreign]));

    // Pages follow the cursor.
    const page1 = await as(f.organizer).disputes.queue({ eventId: mine.event.id, limit: 2 });
    const page2 = await as(f.organizer).disputes.queue({ eventId: mine.event.id, limit: 2, cursor: page1.nextCursor! });
    expect([...page1.disputes, ...page2.disputes].map((d) => d.id)).toEqual([first, second, third]);
    expect(page2.nextCursor).toBeNull();

    // Resolved ones leave the open queue.
    await as(f.organizer).disputes.resolve({ disputeId: second, winnerSide: 1, explanation: "Side 0 did not show up in time." });
    expect((await as(f.organizer).disputes.queue({ eventId: mine.event.id })).disputes.map((d) => d.id)).toEqual([first, third]);
    expect((await as(f.organizer).disputes.queue({ eventId: mine.event.id, status: "resolved" })).disputes.map((d) => d.id)).toEqual([
      second,
    ]);
  });
});
