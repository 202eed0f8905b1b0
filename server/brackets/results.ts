/**
 * The organizer's decisions on a running bracket: results, forfeits, per-game decisions,
 * clearing, corrections (previewed first), disqualification, undo, calling a match and
 * announcements. Each is one transaction under the bracket's header lock (see changes.ts).
 */
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import type { BracketActionKind, StoredGame } from "@/db/schema/brackets";
import type { SessionUser } from "@/server/accounts/roles";
import { Invalid } from "@/server/errors";
import { announce } from "@/server/live/announce";
import {
  assertManager,
  bracketIdOfEvent,
  bracketNotFound,
  engine,
  eventRef,
  lockForChange,
  lockMatchForChange,
  matchRef,
  type EventRef,
} from "./access";
import { applyChange, isPlayable, type RowOverride } from "./changes";
import { clearResult, disqualify, previewResult, reinstate, setResult, type Match, type MatchOutcome, type Side } from "./engine";
import { enqueueJobs } from "@/server/jobs/queue";
import { notificationJobs } from "@/server/notifications/service";
import { NOTIFY_PARTICIPANTS_TASK } from "./job-specs";
import { loadForMatch, loadWhole, runEngine } from "./operation";
import { loadDownstream, playersOf, readEntrants, recordAction, type BracketHeader, type StoredMatch } from "./repository";
import { resolveGameByAuthority } from "./reports";
import { labelsOfBracket, matchLabel, matchSummary } from "./summary";

/** The match, its bracket locked, if `actor` runs the event; `depth` steps downstream read (null: all). */
async function organizerMatch(tx: DbOrTx, actor: SessionUser, matchUuid: string, depth: number | null = 2) {
  const { ref, header } = await lockMatchForChange(tx, matchUuid);
  assertManager(actor, ref);
  return { ref, loaded: await loadForMatch(tx, header, ref.matchId, depth) };
}

const kindOfOutcome = (outcome: MatchOutcome): BracketActionKind =>
  outcome.type === "forfeit" ? "forfeit" : outcome.type === "double_forfeit" ? "double_forfeit" : "result";

/** Games the organizer entered carry the organizer's authority. */
function organizerOutcome(outcome: MatchOutcome): MatchOutcome {
  if (outcome.type !== "played" || !outcome.games) return outcome;
  return { ...outcome, games: outcome.games.map((game): StoredGame => ({ ...game, authority: "organizer" })) };
}

/**
 * Decides an undecided match (ready or in progress): a winner (with its games, optional), a
 * forfeit or a double forfeit. The winner advances (and the loser drops) at once. A decided match
 * is changed with a correction instead, after its preview.
 */
export async function setMatchResult(db: Db, actor: SessionUser, input: { matchId: string; outcome: MatchOutcome }) {
  return db.transaction(async (tx) => {
    const { loaded } = await organizerMatch(tx, actor, input.matchId);
    const match = loaded.match;
    if (match.result) {
      throw new Invalid("This match already has a result. Preview a correction to change it.");
    }
    const update = await runEngine(tx, loaded, (bracket) => setResult(bracket, match.id, organizerOutcome(input.outcome)));
    const result = await applyChange(tx, {
      header: loaded.header,
      loaded: loaded.rows,
      matches: update.matches,
      reset: update.reset,
      overrides: new Map([[match.id, { decidedBy: "organizer" }]]),
      action: { kind: kindOfOutcome(input.outcome), actorId: actor.id, matchId: match.id, detail: { outcome: input.outcome } },
    });
    return { version: result.version, completed: result.completed, matches: result.changed.map(matchSummary) };
  });
}

/** The organizer decides the next game of a match (and the match, when it gives a side its majority). */
export async function recordGameByOrganizer(
  db: Db,
  actor: SessionUser,
  input: { matchId: string; winnerSide: Side; score?: [number, number] },
) {
  return db.transaction(async (tx) => {
    const ref = await matchRef(tx, input.matchId);
    assertManager(actor, ref);
    return resolveGameByAuthority(tx, input.matchId, "next", input.winnerSide, "organizer", { actorId: actor.id, score: input.score });
  });
}

/** Takes a match back to ready (no games), withdrawing whatever it had passed on. */
export async function clearMatchResult(db: Db, actor: SessionUser, input: { matchId: string }) {
  return db.transaction(async (tx) => {
    const { ref, loaded } = await organizerMatch(tx, actor, input.matchId);
    const match = loaded.match;
    if (!match.result && match.games.length === 0) throw new Invalid("This match has no result to clear.");
    const update = await runEngine(tx, loaded, (bracket) => clearResult(bracket, match.id));
    const result = await applyChange(tx, {
      header: loaded.header,
      loaded: loaded.rows,
      matches: update.matches,
      reset: update.reset,
      action: { kind: "clear", actorId: actor.id, matchId: match.id, detail: {} },
      resetNotice: {
        title: "A result was withdrawn",
        body: `The organizer cleared the result of ${await matchLabel(tx, match)} in ${ref.name}, so a match of yours was reset.`,
      },
    });
    return { version: result.version, matches: result.changed.map(matchSummary) };
  });
}

function entrantNames(entrants: { id: string; name: string }[]) {
  const names = new Map(entrants.map((entrant) => [entrant.id, entrant.name]));
  return (id: string | null) => (id ? { id, name: names.get(id) ?? "Unknown" } : null);
}

/**
 * Exactly what a correction would reset: the later matches that lose a participant or a result
 * they already had, with the entrants who would lose their place or result there.
 */
export async function previewCorrection(db: Db, actor: SessionUser, input: { matchId: string; outcome: MatchOutcome }) {
  const ref = await matchRef(db, input.matchId);
  assertManager(actor, ref);
  return db.transaction(async (tx) => {
    const header = await lockForChange(tx, ref.bracketId, ref);
    const { bracket, rows, match } = await loadForMatch(tx, header, ref.matchId, null);
    const reset = engine(() => previewResult(bracket, match.id, organizerOutcome(input.outcome)));
    const named = entrantNames(await readEntrants(tx, header.id));
    const labels = await labelsOfBracket(tx, header.id);
    return {
      match: { ...matchSummary(match), label: labels.get(match.id)?.label ?? "" },
      reset: reset.map((id) => {
        const row = rows.get(id)!;
        return {
          id: row.uuid,
          matchId: row.id,
          label: labels.get(row.id)?.label ?? "",
          status: row.status,
          hadResult: row.result !== null || row.games.length > 0,
          /** Who is in the match now and would lose this place (or the result played here). */
          entrants: row.sides.map((side) => named(side.entrant)).filter((entrant) => entrant !== null),
        };
      }),
    };
  });
}

/** Applies a correction (any outcome, on a decided match too) and tells the players of reset matches. */
export async function applyCorrection(db: Db, actor: SessionUser, input: { matchId: string; outcome: MatchOutcome }) {
  return db.transaction(async (tx) => {
    const { ref, loaded } = await organizerMatch(tx, actor, input.matchId, null);
    const { match, bracket, header, rows } = loaded;
    const update = engine(() => setResult(bracket, match.id, organizerOutcome(input.outcome)));
    const result = await applyChange(tx, {
      header,
      loaded: rows,
      matches: update.matches,
      reset: update.reset,
      overrides: new Map([[match.id, { decidedBy: "organizer" }]]),
      action: { kind: "correction", actorId: actor.id, matchId: match.id, detail: { outcome: input.outcome } },
      resetNotice: {
        title: "A result was corrected",
        body: `The organizer corrected ${await matchLabel(tx, match)} in ${ref.name}, so a match of yours was reset. Check the bracket for your next match.`,
      },
    });
    return { version: result.version, reset: update.reset, matches: result.changed.map(matchSummary) };
  });
}

async function organizerBracket(tx: DbOrTx, actor: SessionUser, eventId: string) {
  const event = await eventRef(tx, eventId);
  assertManager(actor, event);
  const bracketId = await bracketIdOfEvent(tx, eventId);
  if (!bracketId) throw bracketNotFound();
  return { event, header: await lockForChange(tx, bracketId, event) };
}

/**
 * Disqualifies an entrant: results already decided stand; every match they are in or will reach is
 * a win for the opponent (in double elimination they leave both brackets).
 */
export async function disqualifyEntrant(db: Db, actor: SessionUser, input: { eventId: string; entrantId: string }) {
  return changeEligibility(db, actor, input, "dq");
}

export async function reinstateEntrant(db: Db, actor: SessionUser, input: { eventId: string; entrantId: string }) {
  return changeEligibility(db, actor, input, "reinstate");
}

/**
 * A player withdraws after the bracket started (the registration domain checked the entry is
 * theirs): a forfeit of every match they have left, recorded as a disqualification by them. Their
 * entry fee stays in the escrow. Withdrawing again answers as the first time did.
 */
export async function forfeitEntrant(db: Db, input: { eventId: string; entrantId: string; actorId: string }) {
  return db.transaction(async (tx) => {
    const event = await eventRef(tx, input.eventId);
    const bracketId = await bracketIdOfEvent(tx, input.eventId);
    if (!bracketId) throw bracketNotFound();
    const header = await lockForChange(tx, bracketId, event);
    if (header.disqualified.includes(input.entrantId)) return { version: header.version, matches: [] };
    const known = await tx.execute(
      sql`select 1 from bracket_entrants where bracket_id = ${bracketId} and entrant_id = ${input.entrantId} limit 1`,
    );
    if (known.length === 0) throw new Invalid("This entry is not in the bracket.");
    return eligibilityChange(tx, { event, header, entrantId: input.entrantId, actorId: input.actorId, kind: "dq", forfeit: true });
  });
}

async function changeEligibility(db: Db, actor: SessionUser, input: { eventId: string; entrantId: string }, kind: "dq" | "reinstate") {
  return db.transaction(async (tx) => {
    const { event, header } = await organizerBracket(tx, actor, input.eventId);
    return eligibilityChange(tx, { event, header, entrantId: input.entrantId, actorId: actor.id, kind, forfeit: false });
  });
}

interface EligibilityChange {
  event: EventRef;
  header: BracketHeader;
  entrantId: string;
  actorId: string;
  kind: "dq" | "reinstate";
  /** A player's own withdrawal after the start (a forfeit), not the organizer's decision. */
  forfeit: boolean;
}

/** A disqualification or reinstatement under the header lock, with its players told. */
async function eligibilityChange(tx: DbOrTx, { event, header, entrantId, actorId, kind, forfeit }: EligibilityChange) {
  const { rows, bracket } = await loadWhole(tx, header);
  if (kind === "dq" && header.disqualified.includes(entrantId)) throw new Invalid("This entrant is already disqualified.");
  if (kind === "reinstate" && !header.disqualified.includes(entrantId)) throw new Invalid("This entrant is not disqualified.");
  const update = engine(() => (kind === "dq" ? disqualify(bracket, entrantId) : reinstate(bracket, entrantId)));
  const players = await playersOf(tx, header.id, [entrantId]);
  const result = await applyChange(tx, {
    header,
    loaded: rows,
    matches: update.matches,
    reset: update.reset,
    disqualified: update.disqualified,
    action: { kind, actorId, matchId: null, detail: forfeit ? { entrantId, forfeit: true } : { entrantId } },
  });
  const words =
    kind === "reinstate"
      ? { title: `Reinstated in ${event.name}`, body: "The organizer reinstated your entry." }
      : forfeit
        ? {
            title: `You withdrew from ${event.name}`,
            body: "Your entry withdrew after the bracket started: your remaining matches go to your opponents, and the entry fee is not refunded.",
          }
        : {
            title: `Disqualified from ${event.name}`,
            body: "The organizer disqualified your entry; your remaining matches go to your opponents. Entry fees are not refunded once the bracket has started.",
          };
  await enqueueJobs(
    tx,
    notificationJobs(
      players.map((player) => ({
        userId: player.userId,
        dedupeKey: `bracket-action:${result.actionId}:${player.userId}`,
        ...words,
        link: `/events/${event.eventId}`,
        email: kind === "dq" ? { subject: words.title, text: words.body } : undefined,
      })),
    ),
  );
  return { version: result.version, matches: result.changed.map(matchSummary) };
}

/** Organizer actions that undo can take back. */
// A dispute decision is not undone here (its dispute would stay resolved): the organizer corrects the result instead.
export const UNDOABLE: BracketActionKind[] = [
  "result",
  "record_game",
  "correction",
  "forfeit",
  "double_forfeit",
  "clear",
  "dq",
  "reinstate",
];
/** Actions that change no result and so do not stand in the way of an undo. */
export const HARMLESS: BracketActionKind[] = ["undo", "call", "announce", "report", "dispute_opened"];

interface Snapshot {
  header: { disqualified: string[] };
  matches: StoredMatch[];
  created?: string[];
  removed?: string[];
}

const sameEngineState = (a: Match, b: Match) =>
  a.status === b.status &&
  JSON.stringify([a.sides, a.games.map((g) => [g.winner, g.score ?? null]), a.result]) ===
    JSON.stringify([b.sides, b.games.map((g) => [g.winner, g.score ?? null]), b.result]);

/**
 * Restores the rows as they were before the organizer's last action that is not yet undone, if
 * nothing has happened since (only undos, calls, announcements, pending reports). Recorded as an
 * 'undo' action. Rows keep a fresh reporting epoch (reports made after the action no longer count),
 * and a playable match whose old deadline has passed gets a new one.
 */
export async function undoLastAction(db: Db, actor: SessionUser, input: { eventId: string }) {
  return db.transaction(async (tx) => {
    const { header } = await organizerBracket(tx, actor, input.eventId);
    const [last] = await tx.execute<{
      id: number;
      kind: BracketActionKind;
      created_at: string;
      actor_id: string | null;
      before: Snapshot;
      after: Snapshot;
    }>(sql`
      select id, kind, actor_id, created_at, before, after from bracket_actions
      where bracket_id = ${header.id} and undone_at is null and kind in (select unnest(${`{${UNDOABLE.join(",")}}`}::bracket_action_kind[]))
      order by id desc limit 1`);
    if (!last) throw new Invalid("There is nothing to undo.");
    const [later] = await tx.execute<{ kind: BracketActionKind }>(sql`
      select kind from bracket_actions where bracket_id = ${header.id} and id > ${last.id} and undone_at is null
        and kind not in (select unnest(${`{${HARMLESS.join(",")}}`}::bracket_action_kind[]))
      order by id limit 1`);
    if (later) {
      throw new Invalid(
        `The last organizer action (${last.kind.replace("_", " ")}) can no longer be undone: a later ${later.kind.replace(/_/g, " ")} depends on it. Correct the result instead.`,
      );
    }
    const touched = [...last.after.matches.map((row) => row.id), ...(last.before.created ?? []), ...(last.after.removed ?? [])];
    const current = await loadDownstream(tx, header.id, touched);
    for (const row of last.after.matches) {
      const now = current.get(row.id);
      if (!now || !sameEngineState(now, row)) {
        throw new Invalid("The bracket has changed since that action, so it can no longer be undone. Correct the result instead.");
      }
    }
    const created = new Set(last.before.created ?? []);
    const now = new Date();
    const overrides = new Map<string, RowOverride>();
    for (const row of last.before.matches) {
      const deadlinePassed = row.reportDeadline !== null && new Date(row.reportDeadline) <= now;
      overrides.set(row.id, {
        decidedBy: row.decidedBy,
        calledAt: row.calledAt,
        reportState: "none",
        reportDeadline:
          isPlayable(row.status) && !deadlinePassed
            ? row.reportDeadline
            : isPlayable(row.status)
              ? new Date(now.getTime() + header.reportMinutes * 60_000).toISOString()
              : null,
      });
    }
    const result = await applyChange(tx, {
      header,
      loaded: current,
      matches: last.before.matches.map(
        ({ uuid: _uuid, decidedBy: _d, reportState: _r, resets: _s, calledAt: _c, reportDeadline: _rd, ...match }) => match,
      ),
      remove: [...created],
      reset: last.before.matches.map((row) => row.id),
      disqualified: last.before.header.disqualified,
      overrides,
      action: { kind: "undo", actorId: actor.id, matchId: null, detail: { undid: last.id, kind: last.kind } },
      resetNotice: {
        title: "The organizer undid a result",
        body: "A result in your event was undone; a match of yours changed. Check the bracket.",
      },
    });
    await tx.execute(sql`update bracket_actions set undone_at = now(), undone_by = ${result.actionId} where id = ${last.id}`);
    return { version: result.version, undid: { id: last.id, kind: last.kind }, matches: result.changed.map(matchSummary) };
  });
}

/** Calls a playable match: both sides are told to play now, and the report deadline starts over. */
export async function callMatch(db: Db, actor: SessionUser, input: { matchId: string }) {
  return db.transaction(async (tx) => {
    const { ref, loaded } = await organizerMatch(tx, actor, input.matchId, 0);
    const { header, rows, match } = loaded;
    if (!isPlayable(match.status)) throw new Invalid("Only a match that is ready or in progress can be called.");
    const now = new Date();
    const result = await applyChange(tx, {
      header,
      loaded: rows,
      matches: [match],
      overrides: new Map([
        [
          match.id,
          {
            calledAt: now.toISOString(),
            reportDeadline: new Date(now.getTime() + header.reportMinutes * 60_000).toISOString(),
            reportState: match.reportState === "overdue" ? "none" : match.reportState,
          },
        ],
      ]),
      action: { kind: "call", actorId: actor.id, matchId: match.id, detail: {} },
      now,
    });
    const players = await playersOf(
      tx,
      header.id,
      match.sides.map((side) => side.entrant).filter((id): id is string => id !== null),
    );
    const label = await matchLabel(tx, match);
    await enqueueJobs(
      tx,
      notificationJobs(
        players.map((player) => ({
          userId: player.userId,
          dedupeKey: `bracket-action:${result.actionId}:${player.userId}`,
          title: "Your match has been called",
          body: `${label} in ${ref.name}: play now and report within ${header.reportMinutes} minutes.`,
          link: `/matches/${match.uuid}`,
        })),
      ),
    );
    return matchSummary(result.changed[0]!);
  });
}

/** A message from the organizer to everyone in the event, as a notification (fanned out by a job). */
export async function announceToParticipants(db: Db, actor: SessionUser, input: { eventId: string; message: string }) {
  return db.transaction(async (tx) => {
    const event = await eventRef(tx, input.eventId);
    assertManager(actor, event);
    if (event.status === "draft" || event.status === "cancelled") {
      throw new Invalid(
        event.status === "draft" ? "Publish the event before announcing to its participants." : "This event was cancelled.",
        { field: "message" },
      );
    }
    const key = crypto.randomUUID();
    await enqueueJobs(tx, [
      {
        task: NOTIFY_PARTICIPANTS_TASK,
        payload: {
          eventId: event.eventId,
          key,
          title: `Announcement: ${event.name}`,
          body: input.message,
          link: `/events/${event.eventId}`,
        },
      },
    ]);
    await announce(tx, `event:${event.eventId}`, { kind: "announcement", message: input.message, at: new Date().toISOString() });
    const bracketId = await bracketIdOfEvent(tx, event.eventId);
    if (bracketId)
      await recordAction(tx, bracketId, { kind: "announce", actorId: actor.id, matchId: null, detail: { message: input.message } });
    return { announced: true };
  });
}
