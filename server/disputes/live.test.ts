/**
 * The organizer's dispute queue follows the organizer's own user topic: raising, answering,
 * withdrawing and resolving a dispute announce there (and on the match's topic), once committed,
 * with a payload that names nothing; another organizer hears nothing.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { startBracket } from "@/server/brackets/service";
import { bracketFixtures, reporterOf, rowsOf, type Fixtures } from "@/server/brackets/testing";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { DISPUTES_CHANGED } from "@/server/brackets/access";

const { db } = await createTestDatabase();
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

const as = (user: SessionUser) => createCaller(createInnerContext({ db, user }));

async function payloadsOf(topic: string): Promise<unknown[]> {
  const rows = await db.execute<{ payload: unknown }>(sql`select payload from live_events where topic = ${topic} order by seq`);
  return rows.map((row) => row.payload);
}

/** What `change` announced on the organizer's topic, on the other organizer's, and on the match's. */
async function announcedBy(matchUuid: string, change: () => Promise<unknown>) {
  const topics = [`user:${f.organizer.id}`, `user:${f.otherOrganizer.id}`, `match:${matchUuid}`];
  const before = await Promise.all(topics.map(payloadsOf));
  await change();
  const after = await Promise.all(topics.map(payloadsOf));
  const [organizer, other, match] = after.map((payloads, i) => payloads.slice(before[i]!.length));
  // What was heard, once each: resolving a dispute also changes its match, whose change announces too.
  const once = (payloads: unknown[]) => [...new Set(payloads.map((payload) => JSON.stringify(payload)))].map((json) => JSON.parse(json));
  return { organizer: once(organizer!), other: once(other!), match: match!.length > 0 };
}

describe("dispute changes reach the organizer's queue", () => {
  it("raised, answered, resolved and withdrawn: each announced on the organizer's topic, not another organizer's", async () => {
    const event = await f.openEvent();
    await f.soloEntries(event.id, 4);
    const { bracketId } = await startBracket(db, f.organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1, bestOf: 3 },
      reportMinutes: 30,
    });
    const match = (await rowsOf(db, bracketId)).get("U-R1-M1")!;
    const [a, b] = [await reporterOf(db, bracketId, match.sides[0].entrant!), await reporterOf(db, bracketId, match.sides[1].entrant!)];
    const raise = { matchId: match.uuid, reason: "wrong_winner" as const, description: "They reported the wrong winner.", evidenceIds: [] };
    const heard = { organizer: [DISPUTES_CHANGED], other: [], match: true };

    let disputeId = "";
    expect(
      await announcedBy(match.uuid, async () => {
        disputeId = (await as(a).disputes.raise({ ...raise, gameNumber: 1 })).disputeId;
      }),
    ).toEqual(heard);
    expect(
      await announcedBy(match.uuid, () => as(b).disputes.respond({ disputeId, body: "I won that game fairly.", evidenceIds: [] })),
    ).toEqual(heard);
    expect(
      await announcedBy(match.uuid, () =>
        as(f.organizer).disputes.resolve({ disputeId, winnerSide: 1, explanation: "The replay shows side 2 won." }),
      ),
    ).toEqual(heard);

    const second = (await as(b).disputes.raise({ ...raise, gameNumber: 2 })).disputeId;
    expect(await announcedBy(match.uuid, () => as(b).disputes.withdraw({ disputeId: second }))).toEqual(heard);
  });

  it("a dispute that ends without a decision on it (the organizer sets the match's result from the console) leaves the queue too", async () => {
    const event = await f.openEvent();
    await f.soloEntries(event.id, 4);
    const { bracketId } = await startBracket(db, f.organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    });
    const match = (await rowsOf(db, bracketId)).get("U-R1-M1")!;
    const a = await reporterOf(db, bracketId, match.sides[0].entrant!);
    await as(a).disputes.raise({
      matchId: match.uuid,
      gameNumber: 1,
      reason: "cheating",
      description: "A second account.",
      evidenceIds: [],
    });
    const heard = await announcedBy(match.uuid, () =>
      as(f.organizer).brackets.setResult({ matchId: match.uuid, outcome: { type: "played", winner: 0 } }),
    );
    expect(heard.organizer).toContainEqual(DISPUTES_CHANGED);
    expect(heard.other).toEqual([]);
    const [open] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from match_disputes where match_id = ${match.uuid} and status = 'open'`,
    );
    expect(open!.n).toBe(0);
  });
});
