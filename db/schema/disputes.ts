import { sql } from "drizzle-orm";
import { bigint, check, index, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { matchDisputes } from "./brackets";
import { users } from "./accounts";

const at = () => timestamp({ withTimezone: true, mode: "date" });

export const disputeReasons = ["wrong_winner", "opponent_no_show", "cheating", "connection_issue", "other"] as const;
export type DisputeReason = (typeof disputeReasons)[number];

/**
 * `opening` is the statement that raised the dispute; `answer` any later statement of a player
 * (either side: `side` says whose); `organizer_note` the organizer's explanation of the decision.
 */
export const disputeStatementKinds = ["opening", "answer", "organizer_note"] as const;
export type DisputeStatementKind = (typeof disputeStatementKinds)[number];
export const disputeStatementKind = pgEnum("dispute_statement_kind", disputeStatementKinds);

/** What the sides and the organizer wrote on a dispute, in order. */
export const disputeStatements = pgTable(
  "dispute_statements",
  {
    id: uuid().primaryKey().defaultRandom(),
    disputeId: uuid()
      .notNull()
      .references(() => matchDisputes.id, { onDelete: "cascade" }),
    authorId: uuid()
      .notNull()
      .references(() => users.id),
    /** The author's side; null for the organizer. */
    side: smallint(),
    kind: disputeStatementKind().notNull(),
    body: text().notNull(),
    createdAt: at().notNull().defaultNow(),
  },
  (table) => [
    index("dispute_statements_dispute_idx").on(table.disputeId, table.createdAt),
    check(
      "dispute_statements_side",
      sql`(${table.side} is null) = (${table.kind} = 'organizer_note') and (${table.side} is null or ${table.side} in (0, 1))`,
    ),
  ],
);

/**
 * An evidence file attached to a dispute, with the facts read from the file store when it was
 * attached (never what the browser said). A file belongs to at most one dispute: `evidence_id`
 * is unique, and it is the lookup canViewEvidence makes.
 */
export const disputeEvidence = pgTable(
  "dispute_evidence",
  {
    id: uuid().primaryKey().defaultRandom(),
    disputeId: uuid()
      .notNull()
      .references(() => matchDisputes.id, { onDelete: "cascade" }),
    statementId: uuid()
      .notNull()
      .references(() => disputeStatements.id, { onDelete: "cascade" }),
    evidenceId: text().notNull(),
    uploaderId: uuid()
      .notNull()
      .references(() => users.id),
    contentType: text().notNull(),
    size: bigint({ mode: "number" }).notNull(),
    sha256: text().notNull(),
    name: text().notNull(),
    createdAt: at().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("dispute_evidence_evidence_idx").on(table.evidenceId),
    index("dispute_evidence_dispute_idx").on(table.disputeId),
    index("dispute_evidence_statement_idx").on(table.statementId),
  ],
);
