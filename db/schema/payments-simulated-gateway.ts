import { bigint, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The simulated payment provider's own records: what Stripe would keep on its side. Driftwood's
 * code reads them only through the PaymentGateway interface.
 */
export const simPaymentIntents = pgTable("sim_payment_intents", {
  id: text().primaryKey(),
  idempotencyKey: text().notNull().unique(),
  paramsHash: text().notNull(),
  amount: bigint({ mode: "number" }).notNull(),
  currency: text().notNull(),
  description: text().notNull(),
  status: text().notNull(),
  clientSecret: text().notNull(),
  metadata: jsonb().$type<Record<string, string>>().notNull(),
  lastPaymentError: text(),
  cardLast4: text(),
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export const simRefunds = pgTable("sim_refunds", {
  id: text().primaryKey(),
  idempotencyKey: text().notNull().unique(),
  paramsHash: text().notNull(),
  paymentIntentId: text()
    .notNull()
    .references(() => simPaymentIntents.id),
  amount: bigint({ mode: "number" }).notNull(),
  currency: text().notNull(),
  status: text().notNull(),
  metadata: jsonb().$type<Record<string, string>>().notNull(),
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** Bank accounts registered with the simulated provider: whether payouts to it fail (test numbers), never the number. */
export const simBankAccounts = pgTable("sim_bank_accounts", {
  id: text().primaryKey(),
  idempotencyKey: text().notNull().unique(),
  last4: text().notNull(),
  bankName: text(),
  /** A failing test number: payouts are accepted, then returned by the "bank" ("failed"). */
  failsAtPayout: text(),
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export const simPayouts = pgTable("sim_payouts", {
  id: text().primaryKey(),
  idempotencyKey: text().notNull().unique(),
  paramsHash: text().notNull(),
  destination: text()
    .notNull()
    .references(() => simBankAccounts.id),
  amount: bigint({ mode: "number" }).notNull(),
  currency: text().notNull(),
  status: text().notNull(),
  metadata: jsonb().$type<Record<string, string>>().notNull(),
  failureMessage: text(),
  arrivalDate: timestamp({ withTimezone: true, mode: "date" }),
  createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});
