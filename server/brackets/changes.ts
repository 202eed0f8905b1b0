/**
 * The one way a running bracket changes: an engine update (or the rows an undo restores) becomes
 * the rows to write, with the reporting state derived beside the engine's fields; then, in the
 * caller's transaction, Swiss pairing when a round ends, completion, one write statement (rows,
 * header, audit record), live announcements, report deadlines and notifications.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { BracketActionKind, MatchReportState, ResultAuthority } from "@/db/schema/brackets";
import { markEventCompleted, reopenEvent } from "@/server/events/status";
import { announceDisputesEnded, engine, eventCancelled, paidAlready } from "./access";
import { announce } from "@/server/live/announce";
import type { NotifyInput } from "@/server/notifications/service";
import {
  applyUpdate,
  finalStandings,
  nextSwissRound,
  swissRoundsCreated,
  type Bracket,
  type Match,
  type MatchId,
  type MatchName,
  type Placement,
} from "./engine";
import { enqueueJobs, type JobSpec } from "@/server/jobs/queue";
import { notificationJobs } from "@/server/notifications/service";
import { syncMatchRooms } from "./chat";
import { deadlineJob, PAY_PRIZES_TASK } from "./job-specs";
import {
  engineBracket,
  headerState,
  loadAllMatches,
  readEntrants,
  writeChange,
  type BracketHeader,
  type HeaderState,
  type HeaderWrite,
  type StoredMatch,
} from "./repository";
import { labelsOfBracket, matchSummary } from "./summary";

export const isPlayable = (status: Match["status"]) => status === "ready" || status === "in_progress";
const isOpen = (status: Match["status"] | undefined) => status === "pending" || status === "ready" || status === "in_progress";
const occupant = (side: Match["sides"][number]) => side.entrant ?? (side.bye ? null : undefined);

/** Service fields a caller sets on a row, over the derived defaults. */
export interface RowOverride {
  decidedBy?: ResultAuthority | null;
  reportState?: MatchReportState;
  calledAt?: string | null;
  reportDeadline?: string | null;
}

export interface ChangeInput {
  header: BracketHeader;
  /** The rows as they were before (at least every row the update touches). */
  loaded: Map<MatchId, StoredMatch>;
  /** New engine versions of changed or created rows. */
  matches: readonly Match[];
  /** Matches the engine reports as reset (a correction's fallout). */
  reset?: readonly MatchId[];
  /** Rows to delete (undoing a Swiss pairing). */
  remove?: readonly MatchId[];
  disqualified?: string[];
  overrides?: Map<MatchId, RowOverride>;
  action: { kind: BracketActionKind; actorId: string | null; matchId: MatchId | null; detail?: Record<string, unknown> };
  /** Notify the players of reset matches (corrections), with this wording. */
  resetNotice?: { title: string; body: string };
  now?: Date;
}

export interface ChangeResult {
  version: number;
  actionId: number;
  /** After versions of every written row. */
  changed: StoredMatch[];
  completed: boolean;
}

function sameGamePrefix(before: StoredMatch["games"], after: StoredMatch["games"]): boolean {
  if (after.length < before.length) return false;
  return before.every(
    (game, i) => game.winner === after[i]!.winner && game.score?.[0] === after[i]!.score?.[0] && game.score?.[1] === after[i]!.score?.[1],
  );
}

/** The stored row for a new engine version: reporting state carried over, reset or started as needed. */
function deriveRow(
  before: StoredMatch | undefined,
  after: Match,
  now: Date,
  reportMinutes: number,
  override: RowOverride | undefined,
  ordinal = 0,
): StoredMatch {
  // A side that loses (or swaps) a known occupant; filling an undecided side is no change.
  const participantsChanged =
    before !== undefined &&
    ([0, 1] as const).some((i) => occupant(before.sides[i]) !== undefined && occupant(before.sides[i]) !== occupant(after.sides[i]));
  const gamesTaken = before !== undefined && !sameGamePrefix(before.games, after.games);
  const row: StoredMatch = {
    ...after,
    games: after.games,
    uuid: before?.uuid ?? crypto.randomUUID(),
    ordinal: before?.ordinal ?? ordinal,
    resets: before ? before.resets + (participantsChanged || gamesTaken ? 1 : 0) : 0,
    decidedBy: after.result && before?.result && before.decidedBy ? before.decidedBy : null,
    reportState: before?.reportState ?? "none",
    calledAt: before?.calledAt ?? null,
    reportDeadline: before?.reportDeadline ?? null,
  };
  if (isPlayable(after.status)) {
    if (!before || !isPlayable(before.status) || participantsChanged || gamesTaken) {
      row.calledAt = null;
      row.reportDeadline = new Date(now.getTime() + reportMinutes * 60_000).toISOString();
      row.reportState = "none";
    } else if (after.games.length !== before.games.length) {
      row.reportState = "none";
    }
  } else {
    row.reportDeadline = null;
    row.reportState = "none";
  }
  return { ...row, ...override };
}

async function fullBracket(
  tx: DbOrTx,
  header: BracketHeader,
  changed: readonly StoredMatch[],
  remove: readonly MatchId[],
): Promise<Bracket> {
  const [rows, entrants] = await Promise.all([loadAllMatches(tx, header.id), readEntrants(tx, header.id)]);
  for (const id of remove) rows.delete(id);
  const bracket = engineBracket(header, rows, entrants);
  return applyUpdate(bracket, { matches: [...changed], reset: [] });
}

export async function applyChange(tx: DbOrTx, input: ChangeInput): Promise<ChangeResult> {
  const { header, loaded } = input;
  if (header.payoutStatus === "paid") throw paidAlready();
  if (header.payoutStatus === "cancelled") throw eventCancelled();
  const now = input.now ?? new Date();
  const remove = input.remove ?? [];
  const changed = input.matches.map((match) =>
    deriveRow(loaded.get(match.id), match, now, header.reportMinutes, input.overrides?.get(match.id)),
  );
  const disqualified = input.disqualified ?? header.disqualified;
  const headerForEngine = { ...header, disqualified };

  let open = header.openMatches;
  for (const row of changed) open += Number(isOpen(row.status)) - Number(isOpen(loaded.get(row.id)?.status));
  for (const id of remove) open -= Number(isOpen(loaded.get(id)?.status));

  let full: Bracket | null = null;
  const settings = header.settings;
  if (open === 0 && settings.format === "swiss") {
    full = await fullBracket(tx, headerForEngine, changed, remove);
    if (swissRoundsCreated(full) < settings.rounds) {
      const last = Math.max(0, ...Object.values(full.matches).map((match) => (match as StoredMatch).ordinal ?? 0));
      // A round that cannot be paired without a rematch refuses the result that ended the previous one.
      const paired = engine(() => nextSwissRound(full!)).matches.map((match, i) =>
        deriveRow(undefined, match, now, header.reportMinutes, undefined, last + i + 1),
      );
      changed.push(...paired);
      for (const row of paired) open += Number(isOpen(row.status));
      full = applyUpdate(full, { matches: paired, reset: [] });
    }
  }

  const next: HeaderWrite = { ...headerState(header), disqualified, openMatches: open, version: header.version + 1 };
  let placements: Placement[] | undefined;
  const jobs: JobSpec[] = [];
  if (open === 0) {
    full ??= await fullBracket(tx, headerForEngine, changed, remove);
    placements = finalStandings(full).placements;
    next.placements = placements;
    next.status = "completed";
    next.completedAt = header.completedAt ?? now.toISOString();
    next.payoutStatus = "pending";
    if (header.status !== "completed") await markEventCompleted(tx, header.eventId);
    jobs.push({ task: PAY_PRIZES_TASK, payload: { bracketId: header.id }, jobKey: `${PAY_PRIZES_TASK}:${header.id}` });
  } else if (header.status === "completed") {
    next.status = "running";
    next.completedAt = null;
    next.payoutStatus = "not_due";
    next.placements = null;
    await reopenEvent(tx, header.eventId);
  }

  const created = changed.filter((row) => !loaded.has(row.id)).map((row) => row.id);
  const beforeRows = changed.filter((row) => loaded.has(row.id)).map((row) => loaded.get(row.id)!);
  const removedRows = remove.map((id) => loaded.get(id)).filter((row): row is StoredMatch => row !== undefined);
  const afterState: HeaderState = headerState({ ...header, ...next });
  const audience = noticeAudience(loaded, changed, input);
  const { actionId, players } = await writeChange(tx, header.id, {
    upsert: changed,
    remove,
    header: next,
    action: {
      ...input.action,
      detail: { ...input.action.detail, reset: input.reset ?? [] },
      touched: [...changed.map((row) => row.id), ...remove],
      before: { header: headerState(header), matches: [...beforeRows, ...removedRows], created },
      after: { header: afterState, matches: changed, removed: remove },
    },
    playersOf: audience.entrants,
  });

  // Rooms of matches whose players changed follow them.
  const moved = changed.filter((row) => {
    const before = loaded.get(row.id);
    return before !== undefined && row.sides.some((side, i) => side.entrant !== before.sides[i]?.entrant);
  });
  if (moved.length > 0) await syncMatchRooms(tx, header.id, header.eventId, moved);

  // Report deadlines for rows that got a new one (the job checks the deadline still stands).
  for (const row of changed) {
    if (row.reportDeadline && row.reportDeadline !== loaded.get(row.id)?.reportDeadline) {
      jobs.push(deadlineJob(row.uuid, row.reportDeadline));
    }
  }
  const labels = audience.ready.length > 0 ? await labelsOfBracket(tx, header.id) : new Map<MatchId, MatchName>();
  jobs.push(...notificationJobs(changeNotifications(audience, players, input, actionId, labels)));

  // A dispute ends with its match's state: decided, reset, or no longer playable.
  const disputeEnded = changed.filter((row) => {
    const before = loaded.get(row.id);
    return before?.reportState === "disputed" && (row.reportState !== "disputed" || row.resets !== before.resets);
  });
  // Independent statements of one transaction: sent together (postgres.js pipelines them).
  const version = next.version;
  await Promise.all([
    disputeEnded.length === 0
      ? null
      : tx.execute(sql`update match_disputes set status = 'closed', resolved_at = now()
          where status = 'open' and match_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(disputeEnded.map((row) => row.uuid))}::jsonb))`),
    disputeEnded.length === 0 ? null : announceDisputesEnded(tx, header.eventId),
    announce(tx, `bracket:${header.id}`, {
      kind: "matches",
      version,
      status: next.status,
      matches: changed.map(matchSummary),
      removed: remove,
    }),
    ...changed.map((row) => announce(tx, `match:${row.uuid}`, { kind: "match", version, match: matchSummary(row) })),
    ...removedRows.map((row) => announce(tx, `match:${row.uuid}`, { kind: "removed", version })),
    next.status !== header.status ? announce(tx, `event:${header.eventId}`, { kind: "bracket.status", status: next.status }) : null,
    enqueueJobs(tx, jobs),
  ]);
  return { version, actionId, changed, completed: next.status === "completed" };
}

interface Audience {
  /** Newly playable matches: their players hear "your match is ready". */
  ready: StoredMatch[];
  /** Reset matches (with a notice): their players before and after hear it. */
  reset: { before: StoredMatch | undefined; after: StoredMatch }[];
  entrants: string[];
}

const entrantsOf = (row: StoredMatch | undefined) =>
  row ? row.sides.map((side) => side.entrant).filter((id): id is string => id !== null) : [];

function noticeAudience(loaded: Map<MatchId, StoredMatch>, changed: readonly StoredMatch[], input: ChangeInput): Audience {
  const ready = changed.filter((row) => {
    const before = loaded.get(row.id);
    return isPlayable(row.status) && (!before || !isPlayable(before.status) || before.resets !== row.resets);
  });
  const resetIds = new Set(input.resetNotice ? (input.reset ?? []) : []);
  const reset = changed.filter((row) => resetIds.has(row.id)).map((after) => ({ before: loaded.get(after.id), after }));
  const entrants = new Set<string>();
  for (const row of ready) for (const id of entrantsOf(row)) entrants.add(id);
  for (const { before, after } of reset) for (const id of [...entrantsOf(after), ...entrantsOf(before)]) entrants.add(id);
  return { ready, reset, entrants: [...entrants] };
}

/** "Your match is ready" for newly playable matches; the reset notice for the players of reset matches. */
function changeNotifications(
  audience: Audience,
  players: { entrantId: string; userId: string }[],
  input: ChangeInput,
  actionId: number,
  labels: Map<MatchId, MatchName>,
): NotifyInput[] {
  const usersOf = new Map<string, string[]>();
  for (const player of players) usersOf.set(player.entrantId, [...(usersOf.get(player.entrantId) ?? []), player.userId]);
  const link = (row: StoredMatch) => `/matches/${row.uuid}`;
  const notices: NotifyInput[] = [];
  for (const row of audience.ready) {
    for (const entrant of entrantsOf(row)) {
      for (const userId of usersOf.get(entrant) ?? []) {
        notices.push({
          userId,
          dedupeKey: `match:${row.uuid}:ready:${row.resets}:${userId}`,
          title: "Your match is ready",
          body: `${labels.get(row.id)?.label ?? "Your match"} is ready to play. Report each game from the match page.`,
          link: link(row),
        });
      }
    }
  }
  const notice = input.resetNotice;
  if (notice) {
    const told = new Set<string>();
    for (const { before, after } of audience.reset) {
      for (const entrant of new Set([...entrantsOf(after), ...entrantsOf(before)])) {
        for (const userId of usersOf.get(entrant) ?? []) {
          if (told.has(userId)) continue;
          told.add(userId);
          notices.push({
            userId,
            dedupeKey: `bracket-action:${actionId}:${userId}`,
            title: notice.title,
            body: notice.body,
            link: link(after),
          });
        }
      }
    }
  }
  return notices;
}
