import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { ledgerTransfers } from "./ledger";
import { users } from "./accounts";
import type { MismatchKind } from "../../lib/mismatch-kinds";

const money = () => bigint({ mode: "number" });
const at = () => timestamp({ withTimezone: true, mode: "date" });

/** What a card payment pays for; each purpose says what happens to the money on success. */
export const paymentPurposes = ["wallet_topup", "registration"] as const;
export type PaymentPurpose = (typeof paymentPurposes)[number];
export const paymentPurpose = pgEnum("payment_purpose", paymentPurposes);

export const paymentStatuses = ["pending", "failed", "canceled", "succeeded"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];
export const paymentStatus = pgEnum("payment_status", paymentStatuses);

/**
 * One card payment as we asked for it. Written before the provider is called, so a crash between
 * the two leaves a row the webhook or the reconciliation job can finish.
 */
export const payments = pgTable(
  "payments",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    purpose: paymentPurpose().notNull(),
    /** What it pays for, per purpose: the registration id for "registration". */
    purposeRef: uuid(),
    amount: money().notNull(),
    currency: text().notNull().default("USD"),
    status: paymentStatus().notNull().default("pending"),
    /** The browser's key for this attempt: a double click or a refresh finds this row again. */
    idempotencyKey: text().notNull(),
    gateway: text().notNull(),
    gatewayPaymentId: text(),
    clientSecret: text(),
    failureMessage: text(),
    /** The card's last four digits, when the processor told us (shown on refunds: "card •••• 4242"). */
    cardLast4: text(),
    /** The ledger transfer that delivered the money (the wallet credit for a top-up). */
    ledgerTransferId: uuid().references(() => ledgerTransfers.id),
    createdAt: at().notNull().defaultNow(),
    updatedAt: at().notNull().defaultNow(),
    succeededAt: at(),
  },
  (table) => [
    uniqueIndex("payments_idempotency_key_idx").on(table.idempotencyKey),
    uniqueIndex("payments_gateway_payment_idx").on(table.gatewayPaymentId),
    index("payments_user_idx").on(table.userId, table.createdAt),
    check("payments_amount_positive", sql`${table.amount} > 0`),
  ],
);

export const refundStatuses = ["pending", "succeeded", "failed"] as const;
export type PaymentRefundStatus = (typeof refundStatuses)[number];
export const refundStatus = pgEnum("payment_refund_status", refundStatuses);

export const paymentRefunds = pgTable(
  "payment_refunds",
  {
    id: uuid().primaryKey().defaultRandom(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    amount: money().notNull(),
    status: refundStatus().notNull().default("pending"),
    idempotencyKey: text().notNull(),
    gatewayRefundId: text(),
    reason: text().notNull(),
    /** Money taken back when the refund was asked for, so it cannot be spent twice. */
    ledgerTransferId: uuid().references(() => ledgerTransfers.id),
    /** Money given back if the provider's refund failed. */
    reversalTransferId: uuid().references(() => ledgerTransfers.id),
    createdAt: at().notNull().defaultNow(),
    updatedAt: at().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("payment_refunds_idempotency_key_idx").on(table.idempotencyKey),
    uniqueIndex("payment_refunds_gateway_refund_idx").on(table.gatewayRefundId),
    index("payment_refunds_payment_idx").on(table.paymentId),
    check("payment_refunds_amount_positive", sql`${table.amount} > 0`),
  ],
);

/** Each provider event id, recorded once, in the transaction that acted on it. */
export const gatewayEvents = pgTable("gateway_events", {
  id: text().primaryKey(),
  type: text().notNull(),
  objectId: text(),
  receivedAt: at().notNull().defaultNow(),
});

export const reconciliationRuns = pgTable("reconciliation_runs", {
  id: uuid().primaryKey().defaultRandom(),
  trigger: text().notNull(),
  actorId: uuid().references(() => users.id),
  status: text().notNull().default("running"),
  since: at().notNull(),
  intentsChecked: integer().notNull().default(0),
  mismatchCount: integer().notNull().default(0),
  repairedCount: integer().notNull().default(0),
  error: text(),
  startedAt: at().notNull().defaultNow(),
  finishedAt: at(),
});

export { mismatchKinds, type MismatchKind } from "../../lib/mismatch-kinds";

export const reconciliationMismatches = pgTable(
  "reconciliation_mismatches",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => reconciliationRuns.id, { onDelete: "cascade" }),
    kind: text().$type<MismatchKind>().notNull(),
    paymentId: uuid().references(() => payments.id),
    gatewayPaymentId: text(),
    /** What the processor says. */
    expectedAmount: money(),
    /** What the ledger says. */
    actualAmount: money(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    repaired: text().$type<"yes" | "no">().notNull().default("no"),
    createdAt: at().notNull().defaultNow(),
  },
  (table) => [index("reconciliation_mismatches_run_idx").on(table.runId)],
);
