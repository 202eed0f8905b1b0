import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createCaller } from "@/server/root";
import { fieldErrorsOf } from "@/server/errors";
import { createInnerContext } from "@/server/trpc";
import { canSubscribe } from "@/server/live/topics";
import { SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { createBracket, seedByRegistration } from "./engine";
import { BRACKET_STARTED_TASK, REPORT_DEADLINE_TASK } from "./job-specs";
import { disqualifyEntrant, getBracket, afterBracketStart, previewSeeding, setMatchResult, startBracket } from "./service";
import { bracketFixtures, queuedJobs, rowsOf, type Fixtures } from "./testing";
import type { StartInput } from "./start";

const { db } = await createTestDatabase();
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

const options = (overrides: Partial<StartInput> = {}): StartInput => ({
  seeding: "registration",
  settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
  reportMinutes: 30,
  ...overrides,
});

const message = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("starting a bracket", () => {
  it("seeds only the checked-in confirmed entries, writes exactly the engine's rows, and goes live", async () => {
    const event = await f.openEvent();
    const field = await f.soloEntries(event.id, 6);
    await f.soloEntries(event.id, 2, { checkedIn: false });
    await f.soloEntries(event.id, 1, { status: "withdrawn" });

    const preview = await previewSeeding(db, f.organizer, event.id, { seeding: "registration" });
    expect(preview.entries.map((entry) => entry.registrationId)).toEqual(field.map((entry) => entry.registrationId));
    expect(preview.entries.map((entry) => entry.seed)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(preview.entries[0]).toMatchObject({ name: field[0]!.player.name, teamId: null, players: 1 });

    const started = await startBracket(db, f.organizer, event.id, options());
    const expected = createBracket(seedByRegistration(field.map((entry) => entry.registrationId)), {
      format: "single_elimination",
      thirdPlace: false,
    });
    const rows = await rowsOf(db, started.bracketId);
    expect(started).toMatchObject({ entrants: 6, matches: 7 });
    expect([...rows.keys()].sort()).toEqual(Object.keys(expected.matches).sort());
    for (const [id, match] of Object.entries(expected.matches)) {
      const row = rows.get(id)!;
      expect({ status: row.status, sides: row.sides, result: row.result, nextWin: row.nextWin, games: row.games }).toEqual({
        status: match.status,
        sides: match.sides,
        result: match.result,
        nextWin: match.nextWin,
        games: match.games,
      });
      expect(row.reportDeadline !== null).toBe(match.status === "ready");
    }
    const [header] = await db.execute<{ open_matches: number; version: number; status: string; entrant_count: number }>(
      sql`select open_matches, version, status, entrant_count from brackets where id = ${started.bracketId}`,
    );
    expect(header).toEqual({ open_matches: 5, version: 1, status: "running", entrant_count: 6 });
    const view = await getBracket(db, null, event.id);
    expect(view.bracket!.entrants.map((entrant) => [entrant.seed, entrant.name])).toEqual(
      field.map((entry, i) => [i + 1, entry.player.name]),
    );
    const [live] = await db.select({ status: events.status }).from(events).where(eq(events.id, event.id));
    expect(live!.status).toBe("live");

    const deadlines = async () =>
      (await queuedJobs(db, REPORT_DEADLINE_TASK)).filter((job) => [...rows.values()].some((row) => row.uuid === job.matchId));
    expect(await deadlines()).toEqual([]);
    expect(await queuedJobs(db, BRACKET_STARTED_TASK)).toContainEqual({ bracketId: started.bracketId });

    // The job after the start queues the report deadlines and tells every player where they play first.
    expect(await afterBracketStart(db, started.bracketId)).toBe(6);
    const ready = [...rows.values()].filter((row) => row.status === "ready");
    expect((await deadlines()).map((job) => job.matchId).sort()).toEqual(ready.map((row) => row.uuid).sort());
    expect(await afterBracketStart(db, started.bracketId)).toBe(6);
    expect(await deadlines()).toHaveLength(ready.length);
    const notices = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter((job) =>
      String(job.dedupeKey).startsWith(`bracket:${started.bracketId}:start:`),
    );
    // Queued twice (the job ran twice); delivered once per dedupe key.
    expect(new Set(notices.map((job) => job.dedupeKey)).size).toBe(6);
    const top = notices.find((job) => job.userId === field[0]!.player.id)!;
    expect(top.body).toBe("Your first match: Match 5 · Semifinal: waiting for your opponent to be decided.");
    const fifth = notices.find((job) => job.userId === field[4]!.player.id)!;
    expect(fifth.body).toBe(`Your first match: Match 2 · Quarterfinal against ${field[3]!.player.name} is ready to play.`);

    expect(await message(startBracket(db, f.organizer, event.id, options()))).toBe("The bracket has already been started.");
    expect(await message(previewSeeding(db, f.organizer, event.id, { seeding: "registration" }))).toBe(
      "The bracket has already been started.",
    );
  });

  it("refuses players, other organizers, drafts, cancelled events and fields under two", async () => {
    const event = await f.openEvent();
    await f.soloEntries(event.id, 1);
    const player = await createUser(db);
    const asPlayer = createCaller(createInnerContext({ db, user: player }));
    const asOther = createCaller(createInnerContext({ db, user: f.otherOrganizer }));
    expect(await codeOf(asPlayer.brackets.start({ eventId: event.id }))).toBe("FORBIDDEN");
    expect(await codeOf(asOther.brackets.start({ eventId: event.id }))).toBe("FORBIDDEN");
    expect(await message(startBracket(db, f.organizer, event.id, options()))).toBe(
      "At least two checked-in entries are needed to start the bracket; only one has checked in.",
    );
    // Nobody can enter a draft: refused for being one, whatever its field.
    const draft = await f.openEvent({ status: "draft" });
    expect(await message(startBracket(db, f.organizer, draft.id, options()))).toBe("Publish the event before starting its bracket.");
    const cancelled = await f.openEvent({ status: "cancelled" });
    expect(await message(startBracket(db, f.organizer, cancelled.id, options()))).toBe("This event was cancelled.");
    // Nothing was written by the refusals.
    const [count] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from brackets where event_id in (${event.id}, ${draft.id}, ${cancelled.id})`,
    );
    expect(count!.n).toBe(0);
  });

  it("a bracket larger than a bracket may be is refused in words, at the groups field, before anything is written", async () => {
    const asOrganizer = createCaller(createInnerContext({ db, user: f.organizer }));
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => error as TRPCError,
      );
    const nothingWritten = async (eventId: string) => {
      const [row] = await db.execute<{ brackets: number; matches: number; status: string }>(sql`
        select (select count(*)::int from brackets where event_id = ${eventId}) as brackets,
          (select count(*)::int from bracket_matches m join brackets b on b.id = m.bracket_id where b.event_id = ${eventId}) as matches,
          (select status::text from events where id = ${eventId}) as status`);
      expect(row).toEqual({ brackets: 0, matches: 0, status: "published" });
    };

    // One group of 65: just over the group size.
    const small = await f.openEvent({ format: "round_robin" });
    await f.soloEntries(small.id, 65);
    const tooBigGroup = await refusal(asOrganizer.brackets.start({ eventId: small.id }));
    expect(tooBigGroup).toBeInstanceOf(TRPCError);
    expect(tooBigGroup!.code).toBe("BAD_REQUEST");
    expect(tooBigGroup!.message).toBe(
      "A round robin of 65 entrants in 1 group would create 2,080 matches in groups of up to 65; a group may have at most 64 entrants and a bracket at most 32,768 matches. " +
        "Split the entrants into at least 2 groups (of at most 33).",
    );
    expect(fieldErrorsOf(tooBigGroup!.cause)).toEqual({ "settings.groups": [tooBigGroup!.message] });
    await nothingWritten(small.id);

    // The production crash: 4,096 entrants, each pair meeting twice (16,773,120 matches), refused at once.
    // Only the field's size matters here, so it is written raw (4,096 checkouts would take minutes).
    const crash = await f.openEvent({ format: "round_robin", capacity: 4_096 });
    await f.bulkSoloEntries(crash.id, 4_096);
    const started = performance.now();
    const refused = await refusal(asOrganizer.brackets.start({ eventId: crash.id, settings: { groups: 1, meetings: 2 } }));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(refused?.message).toMatch(
      /^A round robin of 4,096 entrants in 1 group, each pair meeting twice, would create 16,773,120 matches/,
    );
    await nothingWritten(crash.id);

    // The same field in groups the message suggests starts.
    const fits = await asOrganizer.brackets.start({ eventId: small.id, settings: { groups: 2 } });
    expect(fits.matches).toBe((32 * 31) / 2 + (33 * 32) / 2);
  }, 60_000);

  it("two starts at once make one bracket", async () => {
    const event = await f.openEvent();
    await f.soloEntries(event.id, 8);
    const outcomes = await Promise.allSettled([
      startBracket(db, f.organizer, event.id, options()),
      startBracket(db, f.admin, event.id, options()),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const [count] = await db.execute<{ n: number }>(sql`select count(*)::int as n from brackets where event_id = ${event.id}`);
    expect(count!.n).toBe(1);
  });

  it("random seeding is reproducible from the preview's seed; manual order must list the field exactly", async () => {
    const event = await f.openEvent();
    const field = await f.soloEntries(event.id, 5);
    const preview = await previewSeeding(db, f.organizer, event.id, { seeding: "random" });
    const again = await previewSeeding(db, f.organizer, event.id, { seeding: "random", randomSeed: preview.randomSeed! });
    expect(again.entries).toEqual(preview.entries);
    const ids = field.map((entry) => entry.registrationId);
    expect(await message(startBracket(db, f.organizer, event.id, options({ seeding: "manual", order: ids.slice(1) })))).toBe(
      "1 checked-in entry is missing from the order. Preview the seeding again.",
    );
    const reversed = [...ids].reverse();
    const started = await startBracket(db, f.organizer, event.id, options({ seeding: "manual", order: reversed }));
    const bracket = await getBracket(db, null, event.id);
    expect(bracket.bracket!.entrants.map((entrant) => entrant.id)).toEqual(reversed);
    expect(bracket.bracket!.id).toBe(started.bracketId);
  });

  it("double elimination persists 2n-1 matches with a reset final; a disqualified player leaves both brackets", async () => {
    const event = await f.openEvent({ format: "double_elimination" });
    const field = await f.soloEntries(event.id, 8);
    const started = await startBracket(db, f.organizer, event.id, options());
    let rows = await rowsOf(db, started.bracketId);
    expect(rows.size).toBe(15);
    // Seed 8 loses round 1 to seed 1 and drops to the lower bracket.
    const first = rows.get("U-R1-M1")!;
    expect(first.sides.map((side) => side.entrant)).toEqual([field[0]!.registrationId, field[7]!.registrationId]);
    await setMatchResult(db, f.organizer, { matchId: first.uuid, outcome: { type: "played", winner: 0 } });
    const dropped = field[7]!.registrationId;
    rows = await rowsOf(db, started.bracketId);
    expect(rows.get(first.nextLose!.match)!.sides[first.nextLose!.side].entrant).toBe(dropped);

    await disqualifyEntrant(db, f.organizer, { eventId: event.id, entrantId: dropped });
    rows = await rowsOf(db, started.bracketId);
    const lower = rows.get(first.nextLose!.match)!;
    // Their lower match is decided against them as soon as the opponent is known (or is already).
    const live = [...rows.values()].filter(
      (row) => ["ready", "in_progress"].includes(row.status) && row.sides.some((side) => side.entrant === dropped),
    );
    expect(live).toEqual([]);
    expect(lower.status === "pending" || lower.result?.kind === "disqualification").toBe(true);
    // The opponent of that lower match arrives and wins it by disqualification.
    await setMatchResult(db, f.organizer, { matchId: rows.get("U-R1-M2")!.uuid, outcome: { type: "played", winner: 0 } });
    rows = await rowsOf(db, started.bracketId);
    const decided = rows.get(lower.id)!;
    expect(decided.result).toEqual({ kind: "disqualification", winner: decided.sides[0].entrant === dropped ? 1 : 0 });
    const nextUp = rows.get(decided.nextWin!.match)!;
    expect(nextUp.sides.some((side) => side.entrant === dropped)).toBe(false);
    expect(
      [...rows.values()].some(
        (row) => row.stage !== "upper" && row.sides.some((side) => side.entrant === dropped) && row.result?.kind !== "disqualification",
      ),
    ).toBe(false);
    const [header] = await db.execute<{ disqualified: string[] }>(sql`select disqualified from brackets where id = ${started.bracketId}`);
    expect(header!.disqualified).toEqual([dropped]);
  });

  it("bracket and match topics are public unless the event is a draft", async () => {
    const event = await f.openEvent();
    await f.soloEntries(event.id, 2);
    const { bracketId } = await startBracket(db, f.organizer, event.id, options());
    const match = [...(await rowsOf(db, bracketId)).values()][0]!;
    expect(await canSubscribe(db, null, `bracket:${bracketId}`)).toBe(true);
    expect(await canSubscribe(db, null, `match:${match.uuid}`)).toBe(true);
    expect(await canSubscribe(db, null, `bracket:${crypto.randomUUID()}`)).toBe(true);
    await f.forceEventStatus(event.id, "draft");
    expect(await canSubscribe(db, null, `bracket:${bracketId}`)).toBe(false);
    expect(await canSubscribe(db, null, `match:${match.uuid}`)).toBe(false);
    expect(await canSubscribe(db, f.organizer, `match:${match.uuid}`)).toBe(true);
    expect(await codeOf(getBracket(db, null, event.id))).toBe("NOT_FOUND");
    await f.forceEventStatus(event.id, "live");
    const topics = await db.execute<{ payload: { kind: string } }>(
      sql`select payload from live_events where topic = ${`bracket:${bracketId}`} order by seq`,
    );
    expect(topics.map((row) => row.payload.kind)).toEqual(["started"]);
  });
});
