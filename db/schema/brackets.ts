import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { BracketSettings, EntrantId, Game, MatchResult, MatchSide, Placement, SideRef, Side } from "./brackets-json";
import { events } from "./events";
import { ledgerTransfers } from "./ledger";
import { users } from "./accounts";

const at = () => timestamp({ withTimezone: true, mode: "date" });
const money = () => bigint({ mode: "number" });

export const bracketFormats = ["single_elimination", "double_elimination", "round_robin", "swiss", "groups_playoffs"] as const;
export const bracketFormat = pgEnum("bracket_format", bracketFormats);

export const bracketStatuses = ["running", "completed"] as const;
export type BracketStatus = (typeof bracketStatuses)[number];
export const bracketStatus = pgEnum("bracket_status", bracketStatuses);

/** The engine's match statuses (see server/brackets/engine/types.ts). */
export const bracketMatchStatuses = ["pending", "ready", "in_progress", "completed", "bye", "skipped"] as const;
export const bracketMatchStatus = pgEnum("bracket_match_status", bracketMatchStatuses);

/**
 * Where player reporting stands on a playable match: `awaiting` one side has reported a game the
 * other has not, `disputed` the sides disagree (or a side disputes), `overdue` the report deadline
 * passed with the match still undecided (the organizer decides).
 */
export const matchReportStates = ["none", "awaiting", "disputed", "overdue"] as const;
export type MatchReportState = (typeof matchReportStates)[number];
export const matchReportState = pgEnum("match_report_state", matchReportStates);

/** Who decided a game or match, highest authority first; a lower one never overrides a higher one. */
export const resultAuthorities = ["organizer", "dispute", "agreement", "deadline"] as const;
export type ResultAuthority = (typeof resultAuthorities)[number];
export const resultAuthority = pgEnum("result_authority", resultAuthorities);

/**
 * not_due while the bracket runs; pending once complete; failed (retryable) when the payout was
 * refused; cancelled when the event was cancelled (set on the locked header, so a result racing the
 * cancellation sees it).
 */
export const payoutStatuses = ["not_due", "pending", "paid", "failed", "cancelled"] as const;
export type PayoutStatus = (typeof payoutStatuses)[number];
export const payoutStatus = pgEnum("bracket_payout_status", payoutStatuses);

export const bracketActionKinds = [
  "start",
  "result",
  "record_game",
  "correction",
  "forfeit",
  "double_forfeit",
  "clear",
  "dq",
  "reinstate",
  "undo",
  "call",
  "report",
  "report_confirmed",
  "deadline",
  "dispute_opened",
  "dispute_resolved",
  "announce",
] as const;
export type BracketActionKind = (typeof bracketActionKinds)[number];
export const bracketActionKind = pgEnum("bracket_action_kind", bracketActionKinds);

/** An entrant of a bracket: the engine's id and seed plus what the bracket page shows. */
export interface BracketEntrantInfo {
  /** The registration id. */
  id: EntrantId;
  seed: number;
  name: string;
  teamId: string | null;
  /** The registrant (for a team, its captain at check-in). */
  userId: string;
}

/** A game as stored: the engine's game plus who decided it. */
export type StoredGame = Game & { authority?: ResultAuthority };

/**
 * One bracket per event: the engine's header (settings, groups, disqualified; the entrants are in
 * bracket_entrants) plus its lifecycle. `version` goes up with every change (live clients order updates by it); `open_matches`
 * counts matches still to be decided (pending, ready, in progress) so completion needs no scan.
 */
export const brackets = pgTable(
  "brackets",
  {
    id: uuid().primaryKey().defaultRandom(),
    eventId: uuid()
      .notNull()
      .references(() => events.id),
    format: bracketFormat().notNull(),
    settings: jsonb().$type<BracketSettings>().notNull(),
    entrantCount: integer().notNull(),
    groups: jsonb().$type<EntrantId[][]>().notNull().default([]),
    disqualified: jsonb().$type<EntrantId[]>().notNull().default([]),
    status: bracketStatus().notNull().default("running"),
    version: integer().notNull().default(1),
    openMatches: integer().notNull(),
    /** Minutes players have to report a match once it is ready or called. */
    reportMinutes: integer().notNull().default(30),
    /** Final standings, set when the bracket completes. */
    placements: jsonb().$type<Placement[]>(),
    payoutStatus: payoutStatus().notNull().default("not_due"),
    payoutError: text(),
    /** The prize pool: fixed when the bracket starts (organizer-funded part plus the promised share of the fees then paid). */
    prizePool: money(),
    startedBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: at().notNull().defaultNow(),
    completedAt: at(),
    paidAt: at(),
  },
  (table) => [
    uniqueIndex("brackets_event_idx").on(table.eventId),
    check("brackets_counts", sql`${table.openMatches} >= 0 and ${table.version} >= 1 and ${table.reportMinutes} between 1 and 10080`),
  ],
);

/**
 * One row per engine match. `match_id` is the engine's id (U-R1-M3 …); `id` is the public id used
 * in URLs and the `match:<id>` live topic. The engine columns (stage … played_if) are exactly the
 * engine's Match; the rest is reporting state.
 */
export const bracketMatches = pgTable(
  "bracket_matches",
  {
    bracketId: uuid()
      .notNull()
      .references(() => brackets.id, { onDelete: "cascade" }),
    matchId: text().notNull(),
    id: uuid().notNull().unique("bracket_matches_id_key"),
    stage: text().notNull(),
    round: integer().notNull(),
    position: integer().notNull(),
    /** Drawing order (the engine's order of matches: stage by stage, round by round), 1-based. */
    ordinal: integer().notNull(),
    status: bracketMatchStatus().notNull(),
    bestOf: integer().notNull(),
    sides: jsonb().$type<[MatchSide, MatchSide]>().notNull(),
    games: jsonb().$type<StoredGame[]>().notNull().default([]),
    result: jsonb().$type<MatchResult | null>(),
    nextWin: jsonb().$type<SideRef | null>(),
    nextLose: jsonb().$type<SideRef | null>(),
    playedIf: jsonb().$type<{ match: string; winner: Side } | null>(),
    /** Set when the organizer decided the whole match (result, forfeit, correction). */
    decidedBy: resultAuthority(),
    reportState: matchReportState().notNull().default("none"),
    /** Bumped whenever the match's games are taken back, so older reports no longer count. */
    resets: integer().notNull().default(0),
    calledAt: at(),
    reportDeadline: at(),
    updatedAt: at().notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.bracketId, table.matchId] }),
    index("bracket_matches_status_idx").on(table.bracketId, table.status),
  ],
);

/**
 * The entrants of a bracket and who plays for them: one row per player (a team entry has one per
 * rostered member), each carrying the entrant's seed, name and team. Every entrant has exactly one
 * `captain` row (the solo player, or the team's captain): the one that reports, receives prizes,
 * and stands for the entrant when entrants are listed. (Kept out of the header so a 16,384-entrant
 * bracket is written with one COPY rather than one multi-megabyte JSON value.)
 */
export const bracketEntrants = pgTable(
  "bracket_entrants",
  {
    bracketId: uuid()
      .notNull()
      .references(() => brackets.id, { onDelete: "cascade" }),
    /** The engine's entrant id: the registration id. */
    entrantId: text().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    registrationId: uuid().notNull(),
    /** Reports for the entrant: the solo player, or the team's captain. */
    captain: boolean().notNull(),
    seed: integer().notNull(),
    name: text().notNull(),
    teamId: uuid(),
  },
  (table) => [
    primaryKey({ columns: [table.bracketId, table.entrantId, table.userId] }),
    index("bracket_entrants_user_idx").on(table.userId, table.bracketId),
    uniqueIndex("bracket_entrants_captain_idx").on(table.bracketId, table.seed).where(sql`${table.captain}`),
  ],
);

/**
 * The audit trail and undo: every change with the rows it touched as they were before and after.
 * `before`/`after` hold `{ header, matches }`; `touched` lists the engine ids of changed matches,
 * so a match page finds every action that affected it.
 */
export const bracketActions = pgTable(
  "bracket_actions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    bracketId: uuid()
      .notNull()
      .references(() => brackets.id, { onDelete: "cascade" }),
    matchId: text(),
    touched: text().array().notNull().default(sql`'{}'::text[]`),
    /** Null for the system (a report deadline passing). */
    actorId: uuid().references(() => users.id),
    kind: bracketActionKind().notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    before: jsonb().$type<unknown>(),
    after: jsonb().$type<unknown>(),
    createdAt: at().notNull().defaultNow(),
    undoneAt: at(),
    undoneBy: bigint({ mode: "number" }),
  },
  (table) => [
    index("bracket_actions_bracket_idx").on(table.bracketId, table.id),
    index("bracket_actions_touched_idx").using("gin", table.touched),
  ],
);

/** A side's report of one game. A side may change it until the game is confirmed. */
export const matchReports = pgTable(
  "match_reports",
  {
    id: uuid().primaryKey().defaultRandom(),
    matchId: uuid()
      .notNull()
      .references(() => bracketMatches.id, { onDelete: "cascade" }),
    /** The match's `resets` when reported: reports from before a reset no longer count. */
    resets: integer().notNull(),
    gameNumber: integer().notNull(),
    side: smallint().notNull(),
    reporterId: uuid()
      .notNull()
      .references(() => users.id),
    winnerSide: smallint().notNull(),
    score: integer().array(),
    createdAt: at().notNull().defaultNow(),
    updatedAt: at().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("match_reports_game_side_idx").on(table.matchId, table.resets, table.gameNumber, table.side),
    check(
      "match_reports_values",
      sql`${table.side} in (0, 1) and ${table.winnerSide} in (0, 1) and ${table.gameNumber} >= 1
        and (${table.score} is null or (cardinality(${table.score}) = 2 and ${table.score}[1] >= 0 and ${table.score}[2] >= 0))`,
    ),
  ],
);

export const matchDisputeStatuses = ["open", "resolved", "withdrawn", "closed"] as const;
export type MatchDisputeStatus = (typeof matchDisputeStatuses)[number];
export const matchDisputeStatus = pgEnum("match_dispute_status", matchDisputeStatuses);

/**
 * A disputed game. Opened when the sides report different winners (opened_by null) or by a side
 * (server/disputes adds reasons and evidence on top); `resolved` by a dispute decision or the
 * organizer, `withdrawn` when the sides came to agree, `closed` when the match was decided or reset
 * another way.
 */
export const matchDisputes = pgTable(
  "match_disputes",
  {
    id: uuid().primaryKey().defaultRandom(),
    matchId: uuid()
      .notNull()
      .references(() => bracketMatches.id, { onDelete: "cascade" }),
    resets: integer().notNull(),
    gameNumber: integer().notNull(),
    status: matchDisputeStatus().notNull().default("open"),
    openedBy: uuid().references(() => users.id),
    /** The side that opened it; null when opened by disagreeing reports. */
    side: smallint(),
    reason: text(),
    description: text(),
    createdAt: at().notNull().defaultNow(),
    resolvedAt: at(),
    resolvedBy: uuid().references(() => users.id),
    resolution: jsonb().$type<{ winnerSide: Side | null; authority: ResultAuthority | null; note?: string }>(),
  },
  (table) => [
    uniqueIndex("match_disputes_open_idx").on(table.matchId, table.resets, table.gameNumber).where(sql`${table.status} = 'open'`),
    index("match_disputes_status_idx").on(table.status, table.createdAt),
    index("match_disputes_match_idx").on(table.matchId),
  ],
);

/**
 * Prizes paid for a bracket: one row per entrant and recipient (a team's prize is split over its
 * roster unless the event gives it to the captain), each part of one ledger transfer.
 */
export const bracketPayouts = pgTable(
  "bracket_payouts",
  {
    bracketId: uuid()
      .notNull()
      .references(() => brackets.id, { onDelete: "cascade" }),
    entrantId: text().notNull(),
    place: integer().notNull(),
    recipientId: uuid()
      .notNull()
      .references(() => users.id),
    amount: money().notNull(),
    transferId: uuid()
      .notNull()
      .references(() => ledgerTransfers.id),
    createdAt: at().notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.bracketId, table.entrantId, table.recipientId] }),
    check("bracket_payouts_amount", sql`${table.amount} > 0`),
  ],
);
