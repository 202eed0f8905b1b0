import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";
import { startBracket } from "@/server/brackets/service";
import { getMatch } from "./match-page";
import { bracketFixtures, reporterOf, rowsOf, type Fixtures } from "@/server/brackets/testing";
import { createCaller } from "@/server/root";
import { uploadEvidence } from "@/server/storage/evidence-uploads";
import { samples, temporaryFileStore } from "@/server/storage/testing";
import { createInnerContext } from "@/server/trpc";

const { db } = await createTestDatabase();
const store = await temporaryFileStore("trail-privacy");
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

const as = (user: SessionUser | null) => createCaller(createInnerContext({ db, user }));

const description = "They swapped in a smurf account for the last round.";
const answer = "That account is mine, I only renamed it.";
const note = "The account was renamed before the event; side 1 keeps the game.";

/** A 4-entrant bracket's first match with a dispute raised by side 1 (with a screenshot), answered by side 0, and decided. */
async function decidedDispute() {
  const event = await f.openEvent();
  await f.soloEntries(event.id, 4);
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf: 1 },
    reportMinutes: 30,
  });
  const rows = await rowsOf(db, bracketId);
  const match = rows.get("U-R1-M1")!;
  const a = await reporterOf(db, bracketId, match.sides[0].entrant!);
  const b = await reporterOf(db, bracketId, match.sides[1].entrant!);
  const otherPlayer = await reporterOf(db, bracketId, rows.get("U-R1-M2")!.sides[0].entrant!);
  const screenshot = (await uploadEvidence(db, store, { uploaderId: b.id, stream: samples.png, declaredName: "smurf-proof.png" }))
    .evidenceId;
  const { disputeId } = await as(b).disputes.raise({
    matchId: match.uuid,
    gameNumber: 1,
    reason: "cheating",
    description,
    evidenceIds: [screenshot],
  });
  await as(a).disputes.respond({ disputeId, body: answer, evidenceIds: [] });
  await as(f.organizer).disputes.resolve({ disputeId, winnerSide: 1, explanation: note });
  return { match, a, b, otherPlayer, disputeId, screenshot };
}

/** Everything the match page says about its disputes: the list and the trail. */
const disputePart = (page: Awaited<ReturnType<typeof getMatch>>) => JSON.stringify({ disputes: page.disputes, audit: page.audit });

describe("the match page's disputes and audit trail, per viewer", () => {
  let setup: Awaited<ReturnType<typeof decidedDispute>>;
  let spectator: SessionUser;
  beforeAll(async () => {
    setup = await decidedDispute();
    spectator = await createUser(db);
  });

  const outsiders: Record<string, () => SessionUser | null> = {
    "signed out": () => null,
    "a player of another match": () => setup.otherPlayer,
    "a signed-in spectator": () => spectator,
  };
  const insiders: Record<string, () => SessionUser> = {
    "a player of the match": () => setup.a,
    "the raiser": () => setup.b,
    "the organizer": () => f.organizer,
    "an admin": () => f.admin,
  };

  it.each(Object.keys(outsiders))("%s: sees that game 1 was disputed and decided for side 1, and nothing of what was said", async (who) => {
    const page = await getMatch(db, outsiders[who]!(), setup.match.uuid);
    const text = disputePart(page);
    for (const secret of ["cheating", description, answer, note, setup.b.name, setup.a.name, "smurf-proof", setup.screenshot]) {
      expect(text, `must not see ${secret}`).not.toContain(secret);
    }
    expect(page.audit.map((entry) => entry.kind).filter((kind) => kind.startsWith("dispute"))).toEqual([
      "dispute_opened",
      "dispute_resolved",
    ]);
    expect(page.audit.find((entry) => entry.kind === "dispute_opened")).toMatchObject({
      actorName: null,
      actorHidden: true,
      detail: { gameNumber: 1, disputeId: setup.disputeId },
    });
    expect(page.audit.find((entry) => entry.kind === "dispute_resolved")).toMatchObject({
      actorName: f.organizer.name,
      detail: { gameNumber: 1, winnerSide: 1 },
    });
    expect(page.disputes).toEqual([
      {
        id: setup.disputeId,
        gameNumber: 1,
        status: "resolved",
        side: null,
        reason: null,
        createdAt: expect.any(String),
        resolution: { winnerSide: 1, authority: "dispute" },
      },
    ]);
  });

  it.each(Object.keys(insiders))("%s: keeps seeing the reason, the raiser, the statements, the evidence step and the note", async (who) => {
    const page = await getMatch(db, insiders[who]!(), setup.match.uuid);
    expect(page.audit.find((entry) => entry.kind === "dispute_opened")).toMatchObject({
      actorName: setup.b.name,
      detail: { reason: "cheating" },
    });
    expect(page.audit.find((entry) => entry.kind === "dispute_resolved")).toMatchObject({ detail: { winnerSide: 1, note } });
    expect(page.audit.filter((entry) => entry.kind === "dispute_statement").map((entry) => entry.actorName)).toEqual([
      setup.b.name,
      setup.a.name,
    ]);
    expect(page.audit.find((entry) => entry.kind === "dispute_evidence")).toMatchObject({
      detail: { count: 1, contentTypes: ["image/png"] },
    });
    expect(page.disputes[0]).toMatchObject({ side: 1, reason: "cheating", resolution: { winnerSide: 1, authority: "dispute", note } });
  });

  it("a withdrawn dispute: outsiders see it was withdrawn, not by whom nor why", async () => {
    const event = await f.openEvent();
    await f.soloEntries(event.id, 4);
    const { bracketId } = await startBracket(db, f.organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf: 3 },
      reportMinutes: 30,
    });
    const match = (await rowsOf(db, bracketId)).get("U-R1-M1")!;
    const a = await reporterOf(db, bracketId, match.sides[0].entrant!);
    const b = await reporterOf(db, bracketId, match.sides[1].entrant!);
    for (const player of [a, b]) await as(player).matches.reportGame({ matchId: match.uuid, gameNumber: 1, winnerSide: 0 });
    const { disputeId } = await as(b).disputes.raise({
      matchId: match.uuid,
      gameNumber: 1,
      reason: "connection_issue",
      description: "My connection dropped.",
      evidenceIds: [],
    });
    await as(b).disputes.withdraw({ disputeId });

    const outside = await getMatch(db, null, match.uuid);
    for (const secret of ["connection_issue", "My connection dropped.", "Withdrawn by"]) expect(disputePart(outside)).not.toContain(secret);
    // b's report of game 1 stays public like every report; the steps of the dispute do not name b.
    const disputeSteps = outside.audit.filter((entry) => entry.kind.startsWith("dispute") || entry.detail.disputeId);
    expect(disputeSteps.map((entry) => entry.kind)).toEqual(["dispute_opened", "report", "dispute_withdrawn"]);
    expect(JSON.stringify(disputeSteps)).not.toContain(b.name);
    expect(outside.audit.find((entry) => entry.kind === "dispute_withdrawn")).toMatchObject({
      actorName: null,
      actorHidden: true,
      detail: { gameNumber: 1, disputeId },
    });
    expect(outside.disputes).toMatchObject([{ status: "withdrawn", side: null, reason: null }]);

    const inside = await getMatch(db, a, match.uuid);
    expect(inside.audit.find((entry) => entry.kind === "dispute_withdrawn")).toMatchObject({ actorName: b.name });
    expect(inside.disputes).toMatchObject([
      { status: "withdrawn", side: 1, reason: "connection_issue", resolution: { note: `Withdrawn by ${b.name}.` } },
    ]);
  });
});
