/**
 * Each match's audit trail holds exactly its own actions. An action elsewhere that changed the
 * match (a winner moved here, a correction or undo that reset it, a disqualification) shows only
 * as an `elsewhere` entry that names where it happened and carries none of its sides or games.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { startBracket } from "@/server/brackets/service";
import { matchNames } from "@/server/brackets/engine";
import { bracketFixtures, queuedJobs, reporterOf, rowsOf } from "@/server/brackets/testing";
import { SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { labelsOfBracket } from "@/server/brackets/summary";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { getMatch } from "./match-page";

const { db } = await createTestDatabase();
const as = (user: SessionUser | null) => createCaller(createInnerContext({ db, user }));

let bracketId: string;
let rows: Awaited<ReturnType<typeof rowsOf>>;
let organizer: SessionUser;
let eventId: string;

beforeAll(async () => {
  const f = await bracketFixtures(db);
  organizer = f.organizer;
  const event = await f.openEvent();
  eventId = event.id;
  await f.soloEntries(event.id, 8);
  ({ bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf: 1 },
    reportMinutes: 30,
  }));
  rows = await rowsOf(db, bracketId);
  const side = async (id: string, i: 0 | 1) => reporterOf(db, bracketId, rows.get(id)!.sides[i].entrant!);
  const m = (id: string) => rows.get(id)!.uuid;

  // Match U-R1-M1: both players report game 1 for side 0 (report, then report_confirmed).
  await as(await side("U-R1-M1", 0)).matches.reportGame({ matchId: m("U-R1-M1"), gameNumber: 1, winnerSide: 0 });
  await as(await side("U-R1-M1", 1)).matches.reportGame({ matchId: m("U-R1-M1"), gameNumber: 1, winnerSide: 0 });
  // U-R1-M2: the organizer sets the result; U-R1-M3: a dispute raised and resolved.
  await as(organizer).brackets.setResult({ matchId: m("U-R1-M2"), outcome: { type: "played", winner: 1 } });
  const { disputeId } = await as(await side("U-R1-M3", 1)).disputes.raise({
    matchId: m("U-R1-M3"),
    gameNumber: 1,
    reason: "cheating",
    description: "They used a second account.",
    evidenceIds: [],
  });
  await as(organizer).disputes.resolve({ disputeId, winnerSide: 1, explanation: "Side 1 keeps the game." });
  // A correction of U-R1-M1 resets U-R2-M1, then the organizer undoes it.
  await as(organizer).brackets.applyCorrection({ matchId: m("U-R1-M1"), outcome: { type: "played", winner: 1 } });
  await as(organizer).brackets.undo({ eventId: event.id });
  // The entrant of U-R1-M4's side 0 is disqualified.
  await as(organizer).brackets.disqualify({ eventId: event.id, entrantId: rows.get("U-R1-M4")!.sides[0].entrant! });
});

/** The match's own bracket actions, straight from the table: its own, and the undo of one of its own. */
async function ownActionIds(matchId: string): Promise<number[]> {
  const found = await db.execute<{ id: number }>(sql`
    select a.id from bracket_actions a left join bracket_actions undone on a.kind = 'undo' and undone.id = (a.detail->>'undid')::bigint
    where a.bracket_id = ${bracketId} and (a.match_id = ${matchId} or undone.match_id = ${matchId}) order by a.id`);
  return found.map((row) => Number(row.id));
}

const matchIds = ["U-R1-M1", "U-R1-M2", "U-R1-M3", "U-R1-M4", "U-R2-M1", "U-R2-M2", "U-R3-M1"];

describe("a match's audit trail", () => {
  it.each(matchIds)("%s holds exactly its own actions", async (id) => {
    const page = await getMatch(db, organizer, rows.get(id)!.uuid);
    const own = page.audit
      .filter((entry) => !String(entry.id).includes(":") && entry.kind !== "elsewhere")
      .map((entry) => Number(entry.id));
    expect(own).toEqual(await ownActionIds(id));
  });

  it("shows actions elsewhere only as entries naming the other match, with none of its sides or games", async () => {
    const labels = await labelsOfBracket(db, bracketId);
    const page = await getMatch(db, organizer, rows.get("U-R2-M1")!.uuid);
    const elsewhere = page.audit.filter((entry) => entry.kind === "elsewhere");
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const entry of elsewhere) {
      expect(entry.actedOn).toBe(false);
      expect(entry.detail).not.toHaveProperty("winnerSide");
      expect(entry.detail).not.toHaveProperty("outcome");
      expect(entry.detail).not.toHaveProperty("gameNumber");
    }
    const origins = new Set(elsewhere.map((entry) => entry.detail.originLabel));
    expect(origins).toEqual(new Set([labels.get("U-R1-M1")!.label, labels.get("U-R1-M2")!.label]));
    // The correction of U-R1-M1 reset this match: said as such.
    expect(elsewhere.some((entry) => entry.detail.originKind === "correction" && entry.detail.reset === true)).toBe(true);
  });

  it("an unplayed match shows no result of another match as its own", async () => {
    const page = await getMatch(db, organizer, rows.get("U-R3-M1")!.uuid);
    expect(page.audit.filter((entry) => entry.kind !== "elsewhere")).toEqual([]);
  });

  it("a disqualification shows in the entrant's match as an elsewhere entry naming the entrant", async () => {
    const page = await getMatch(db, organizer, rows.get("U-R1-M4")!.uuid);
    const dq = page.audit.find((entry) => entry.kind === "elsewhere" && entry.detail.originKind === "dq");
    expect(dq?.detail.entrantName).toEqual(expect.any(String));
  });
});

describe("one match, one name", () => {
  it("the bracket card, the match page, the console history and the match-ready notification name a match alike", async () => {
    const uuid = rows.get("U-R2-M1")!.uuid;
    const page = await getMatch(db, organizer, uuid);
    expect(page.label).toBe("Match 5 · Semifinal");
    // The bracket card names matches with the same engine function over the public bracket.
    const bracket = (await as(null).brackets.get({ eventId })).bracket!;
    const card = matchNames(bracket.matches.map((match) => ({ ...match, id: match.matchId })));
    expect(card.get("U-R2-M1")!.label).toBe(page.label);
    const ready = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter(
      (job) => job.link === `/matches/${uuid}` && job.title === "Your match is ready",
    );
    expect(ready.length).toBeGreaterThan(0);
    for (const job of ready) expect(String(job.body)).toContain(page.label);
    const history = await as(organizer).brackets.history({ eventId, limit: 50 });
    const setResult = history.actions.find((action) => action.kind === "result")!;
    expect(setResult.matchLabel).toBe((await getMatch(db, organizer, rows.get("U-R1-M2")!.uuid)).label);
  });
});
