/**
 * Starting a bracket from the checked-in field: seeding (previewed and re-ordered by the organizer
 * first), the engine's bracket, and every row written in one transaction with bulk statements, so
 * a 16,384-entrant bracket starts in about a second. Report deadlines and the players' first-match
 * notifications are fanned out by a job after commit.
 */
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { brackets } from "@/db/schema/brackets";
import type { EventFormat } from "@/lib/event-values";
import type { SessionUser } from "@/server/accounts/roles";
import { Invalid } from "@/server/errors";
import { assertMoneyAction } from "@/server/events/money-lifecycle";
import { prizePool } from "@/server/events/phase";
import { fundOrganizerPrize } from "@/server/events/prize-funding";
import { lockOwnEvent } from "@/server/events/service";
import { markEventLive } from "@/server/events/status";
import { closeRegistrationForStart } from "@/server/registration/exits";
import { announce } from "@/server/live/announce";
import {
  checkedInCount,
  checkedInEntries,
  confirmedFeesPaid,
  participantUserIds,
  type CheckedInEntry,
} from "@/server/registration/participants";
import { assertManager, engine, eventRef } from "./access";
import { isPlayable } from "./changes";
import {
  bracketSizeProblem,
  createBracket,
  seedByRating,
  seedByRegistration,
  seedManually,
  seedRandomly,
  type BracketSettings,
  type EliminationSettings,
  type Entrant,
  matchNames,
} from "./engine";
import { enqueueJobs } from "@/server/jobs/queue";
import { notificationJobs } from "@/server/notifications/service";
import { BRACKET_STARTED_TASK, deadlineJob } from "./job-specs";
import { type EntrantPlayerRow, insertEntrantRows, insertMatches } from "./bulk-insert";
import { loadAllMatches, readEntrants, recordAction, type StoredMatch } from "./repository";
import type { BracketOptions, SeedingInput } from "./schemas";

export interface SeededEntry {
  seed: number;
  registrationId: string;
  name: string;
  teamId: string | null;
  players: number;
}

/** Seeds for the checked-in field by the chosen method; `randomSeed` makes a random draw reproducible. */
export function seedField(entries: readonly CheckedInEntry[], input: SeedingInput): { entrants: Entrant[]; randomSeed: string | null } {
  const ids = entries.map((entry) => entry.registrationId);
  switch (input.seeding) {
    case "registration":
      return { entrants: seedByRegistration(ids), randomSeed: null };
    case "random": {
      const randomSeed = input.randomSeed ?? crypto.randomUUID();
      return { entrants: seedRandomly(ids, randomSeed), randomSeed };
    }
    case "rating": {
      // No rating is stored yet: the organizer's ratings if given, else the seeds they imported (1 = best).
      const players = entries.map((entry) => {
        const rating = input.ratings?.[entry.registrationId];
        return { id: entry.registrationId, rating: rating ?? (entry.seed !== null ? -entry.seed : null) };
      });
      return { entrants: seedByRating(players), randomSeed: null };
    }
    case "manual": {
      const order = input.order ?? [];
      const known = new Set(ids);
      const unknown = order.filter((id) => !known.has(id));
      if (unknown.length > 0)
        throw new Invalid(`${unknown.length} of the listed entries are not checked in any more. Preview the seeding again.`, {
          field: "order",
        });
      const listed = new Set(order);
      if (listed.size !== order.length) throw new Invalid("An entry is listed twice.", { field: "order" });
      const missing = ids.length - listed.size;
      if (missing > 0)
        throw new Invalid(
          `${missing} checked-in ${missing === 1 ? "entry is" : "entries are"} missing from the order. Preview the seeding again.`,
          { field: "order" },
        );
      return { entrants: seedManually(order), randomSeed: null };
    }
  }
}

function assertStartable(status: string) {
  if (status === "draft") throw new Invalid("Publish the event before starting its bracket.");
  if (status === "cancelled") throw new Invalid("This event was cancelled.");
  if (status === "completed") throw new Invalid("This event is over.");
}

async function existingBracket(db: DbOrTx, eventId: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from brackets where event_id = ${eventId}`);
  return rows.length > 0;
}

function tooFew(count: number) {
  return new Invalid(
    `At least two checked-in entries are needed to start the bracket; ${count === 0 ? "none has" : count === 1 ? "only one has" : `${count} have`} checked in.`,
  );
}

/** The seeded field the organizer sees (and re-orders) before starting. */
export async function previewSeeding(db: Db, actor: SessionUser, eventId: string, input: SeedingInput) {
  const event = await eventRef(db, eventId);
  assertManager(actor, event);
  assertStartable(event.status);
  if (await existingBracket(db, eventId)) throw new Invalid("The bracket has already been started.");
  const entries = await checkedInEntries(db, eventId);
  if (entries.length < 2) throw tooFew(entries.length);
  const { entrants, randomSeed } = engine(() => seedField(entries, input));
  const byId = new Map(entries.map((entry) => [entry.registrationId, entry]));
  return {
    seeding: input.seeding,
    randomSeed,
    entries: entrants.map((entrant): SeededEntry => {
      const entry = byId.get(entrant.id)!;
      return {
        seed: entrant.seed,
        registrationId: entry.registrationId,
        name: entry.name,
        teamId: entry.teamId,
        players: entry.playerIds.length,
      };
    }),
  };
}

/** Engine settings: the format is the event's; the options are the organizer's. */
export function bracketSettings(format: EventFormat, options: BracketOptions, entrants: number): BracketSettings {
  const bestOf = options.bestOf;
  switch (format) {
    case "single_elimination":
      return { format, thirdPlace: options.thirdPlace, bestOf };
    case "double_elimination":
      return { format, grandFinal: options.grandFinal, bestOf };
    case "swiss":
      return { format, rounds: options.swissRounds ?? Math.max(1, Math.ceil(Math.log2(entrants))), bestOf };
    case "round_robin": {
      if (!options.playoff) return { format, groups: options.groups, meetings: options.meetings, bestOf };
      const playoff: EliminationSettings =
        options.playoff.format === "single_elimination"
          ? { format: "single_elimination", thirdPlace: options.playoff.thirdPlace }
          : { format: "double_elimination", grandFinal: options.playoff.grandFinal };
      return {
        format: "groups_playoffs",
        groups: options.groups,
        meetings: options.meetings,
        advance: options.playoff.advance,
        playoff,
        bestOf,
      };
    }
  }
}

/** The organizer's field for each engine setting a size limit names (the form shows it there). */
const settingField = { groups: "settings.groups", rounds: "settings.swissRounds", advance: "settings.playoff.advance" } as const;

/** Refuses a bracket larger than one may be (limits.ts), in words, from the count alone. */
function assertBracketFits(format: EventFormat, options: BracketOptions, entrants: number): void {
  const problem = bracketSizeProblem(entrants, bracketSettings(format, options, entrants));
  if (!problem) return;
  if (problem.setting) throw new Invalid(problem.message, { field: settingField[problem.setting] });
  throw new Invalid(problem.message);
}

export interface StartInput extends SeedingInput {
  settings: BracketOptions;
  reportMinutes: number;
}

/**
 * Creates the bracket from the checked-in field in one transaction: header, every match row (bulk),
 * who plays for whom, report deadlines for the first playable matches, the 'start' record; the
 * event goes live. Refused when the event is a draft, cancelled or over, already started, has
 * fewer than two checked-in entries, or would be larger than a bracket may be.
 */
export async function startBracket(db: Db, actor: SessionUser, eventId: string, input: StartInput) {
  // Before any lock or write: counting the field is enough to refuse a bracket that is too large.
  const ref = await eventRef(db, eventId);
  assertManager(actor, ref);
  assertBracketFits(ref.format, input.settings, await checkedInCount(db, eventId));
  return db.transaction(async (tx) => {
    // Locking the event row makes two starts at once queue; the second finds the bracket.
    const event = await lockOwnEvent(tx, actor, eventId);
    assertMoneyAction("start_bracket", event);
    if (await existingBracket(tx, eventId)) throw new Invalid("The bracket has already been started.");
    // The start closes registration and check-in (money lifecycle): the event is live first, so a
    // seat given back below is offered to nobody; unpaid checkouts and waitlist places end and
    // no-shows are dropped with the refund the event's policy gives.
    await markEventLive(tx, eventId);
    await closeRegistrationForStart(tx, event);
    const entries = await checkedInEntries(tx, eventId);
    if (entries.length < 2) throw tooFew(entries.length);
    // Again under the lock: entries may have checked in since the count above.
    assertBracketFits(event.format, input.settings, entries.length);
    // The organizer's prize goes into the escrow and the prize pool is fixed: from here the escrow
    // only pays out, at completion.
    await fundOrganizerPrize(tx, event);
    const pool = prizePool(event, await confirmedFeesPaid(tx, eventId));
    const { entrants, randomSeed } = engine(() => seedField(entries, input));
    const settings = bracketSettings(event.format, input.settings, entries.length);
    const created = engine(() => createBracket(entrants, settings));

    const now = new Date();
    const deadline = new Date(now.getTime() + input.reportMinutes * 60_000).toISOString();
    const rows: StoredMatch[] = [];
    let openMatches = 0;
    let ordinal = 0;
    for (const match of Object.values(created.matches)) {
      const playable = isPlayable(match.status);
      if (playable || match.status === "pending") openMatches++;
      rows.push({
        ...match,
        uuid: crypto.randomUUID(),
        ordinal: ++ordinal,
        decidedBy: null,
        reportState: "none",
        resets: 0,
        calledAt: null,
        reportDeadline: playable ? deadline : null,
      });
    }

    const [header] = await tx
      .insert(brackets)
      .values({
        eventId,
        format: settings.format,
        settings,
        entrantCount: entrants.length,
        groups: created.groups,
        openMatches,
        reportMinutes: input.reportMinutes,
        startedBy: actor.id,
        prizePool: pool,
      })
      .returning({ id: brackets.id });
    const bracketId = header!.id;
    await insertMatches(tx, bracketId, rows);
    await insertEntrantRows(tx, bracketId, entrantRows(entries, entrants));
    await recordAction(tx, bracketId, {
      kind: "start",
      actorId: actor.id,
      matchId: null,
      detail: { seeding: input.seeding, randomSeed, entrants: entrants.length, matches: rows.length, settings },
    });
    await announce(tx, `event:${eventId}`, { kind: "bracket.started", bracketId });
    await announce(tx, `bracket:${bracketId}`, { kind: "started", version: 1 });
    // The first report deadlines and the players' notifications are queued by a job after commit:
    // 8,192 deadline jobs would double the time a 16,384-entrant start holds its transaction.
    await enqueueJobs(tx, [{ task: BRACKET_STARTED_TASK, payload: { bracketId }, jobKey: `${BRACKET_STARTED_TASK}:${bracketId}` }]);
    return { bracketId, entrants: entrants.length, matches: rows.length, randomSeed };
  });
}

/** One row per player of every entrant, with the entrant's seed, name and team. */
function entrantRows(entries: readonly CheckedInEntry[], entrants: readonly Entrant[]): EntrantPlayerRow[] {
  const seedOf = new Map(entrants.map((entrant) => [entrant.id, entrant.seed]));
  const rows: EntrantPlayerRow[] = [];
  for (const entry of entries) {
    const base = {
      entrantId: entry.registrationId,
      registrationId: entry.registrationId,
      seed: seedOf.get(entry.registrationId)!,
      name: entry.name,
      teamId: entry.teamId,
    };
    for (const userId of entry.playerIds) rows.push({ ...base, userId, captain: userId === entry.captainId });
    // A team whose captain is not on the frozen roster still needs someone to report: the captain.
    if (!entry.playerIds.includes(entry.captainId)) rows.push({ ...base, userId: entry.captainId, captain: true });
  }
  return rows;
}

/**
 * The job after a bracket starts: the report deadline of every playable match (as the rows say
 * now, so a match called or decided meanwhile is not given a stale deadline), then every player
 * hears where they play first. Notifications go in batches, each its own transaction; dedupe
 * keys make a retried job send nothing twice.
 */
export async function afterBracketStart(db: Db, bracketId: string): Promise<number> {
  const [header] = await db.execute<{ event_id: string; name: string }>(
    sql`select b.event_id, e.name from brackets b join event_directory e on e.id = b.event_id where b.id = ${bracketId}`,
  );
  if (!header) return 0;
  const [matches, entrants, players] = [
    await loadAllMatches(db, bracketId),
    await readEntrants(db, bracketId),
    await db.execute<{ entrant_id: string; user_id: string }>(
      sql`select entrant_id, user_id from bracket_entrants where bracket_id = ${bracketId}`,
    ),
  ];
  const deadlines = [...matches.values()]
    .filter((match) => isPlayable(match.status) && match.reportDeadline)
    .map((match) => deadlineJob(match.uuid, match.reportDeadline!));
  await db.transaction((tx) => enqueueJobs(tx, deadlines));
  const names = new Map(entrants.map((entrant) => [entrant.id, entrant.name]));
  const first = new Map<string, StoredMatch>();
  const order = (match: StoredMatch) => (isPlayable(match.status) ? 0 : 1) * 1e6 + match.round;
  for (const match of matches.values()) {
    if (match.status !== "pending" && !isPlayable(match.status)) continue;
    for (const side of match.sides) {
      if (!side.entrant) continue;
      const known = first.get(side.entrant);
      if (!known || order(match) < order(known)) first.set(side.entrant, match);
    }
  }
  const labels = matchNames(matches.values());
  const matchLabel = (match: StoredMatch) => labels.get(match.id)?.label ?? "Your match";
  const notices = players.map((player) => {
    const match = first.get(player.entrant_id);
    const opponent = match?.sides.find((side) => side.entrant && side.entrant !== player.entrant_id)?.entrant;
    const body = !match
      ? "The bracket has started."
      : isPlayable(match.status) && opponent
        ? `${matchLabel(match)} against ${names.get(opponent) ?? "your opponent"} is ready to play.`
        : `${matchLabel(match)}: waiting for your opponent to be decided.`;
    return {
      userId: player.user_id,
      dedupeKey: `bracket:${bracketId}:start:${player.user_id}`,
      title: `${header.name} has started`,
      body: `Your first match: ${body}`,
      link: match ? `/matches/${match.uuid}` : `/events/${header.event_id}`,
    };
  });
  for (let start = 0; start < notices.length; start += 2_000) {
    await db.transaction((tx) => enqueueJobs(tx, notificationJobs(notices.slice(start, start + 2_000))));
  }
  return notices.length;
}

/** The announcement job: every participant of the event gets the organizer's message. */
export async function notifyParticipants(
  db: Db,
  payload: { eventId: string; key: string; title: string; body: string; link: string },
): Promise<number> {
  const userIds = await participantUserIds(db, payload.eventId);
  for (let start = 0; start < userIds.length; start += 2_000) {
    const chunk = userIds.slice(start, start + 2_000).map((userId) => ({
      userId,
      dedupeKey: `announcement:${payload.key}:${userId}`,
      title: payload.title,
      body: payload.body,
      link: payload.link,
    }));
    await db.transaction((tx) => enqueueJobs(tx, notificationJobs(chunk)));
  }
  return userIds.length;
}
