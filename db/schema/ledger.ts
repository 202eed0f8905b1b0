import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { transferCategories } from "../../lib/transfer-categories";
import { users } from "./accounts";

const money = (name?: string) => (name ? bigint(name, { mode: "number" }) : bigint({ mode: "number" }));
const createdAt = () => timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow();

export const accountKinds = [
  "wallet_available",
  "wallet_held",
  "card_clearing",
  "event_escrow",
  "fee_revenue",
  "withdrawals_payable",
  "adjustments",
] as const;
export type AccountKind = (typeof accountKinds)[number];
export const accountKind = pgEnum("ledger_account_kind", accountKinds);

/**
 * Whether an account of each kind may go below zero. Only card clearing (it mirrors what the
 * gateway owes us) and adjustments (the platform's own correction account, where admin credits
 * come from) may; the ledger refuses any other debit that would overdraw its account. The SQL side
 * is ledger_kind_may_go_negative() (migration 0015), which ledger_post_transfers() enforces; a test
 * checks the two agree.
 */
export const mayGoNegative: Readonly<Record<AccountKind, boolean>> = {
  wallet_available: false,
  wallet_held: false,
  card_clearing: true,
  event_escrow: false,
  fee_revenue: false,
  withdrawals_payable: false,
  adjustments: true,
};

/** What a movement was for, as a player filters their history. The list is lib/'s, so the browser loads it without the tables. */
export { transferCategories, type TransferCategory } from "../../lib/transfer-categories";
export const transferCategory = pgEnum("ledger_transfer_category", transferCategories);

/** How the ledger moved the money. */
export const transferOperations = ["credit", "debit", "hold", "post", "void", "transfer", "refund"] as const;
export type TransferOperation = (typeof transferOperations)[number];
export const transferOperation = pgEnum("ledger_transfer_operation", transferOperations);

/**
 * Wallet accounts keep a stored balance, changed only by ledger_post_transfers() under a row lock.
 * Platform accounts (escrow, clearing, revenue…) are touched by every payment, so their balance is
 * the sum of their entries instead of a hot row every checkout would queue on.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: accountKind().notNull(),
    userId: uuid().references(() => users.id, { onDelete: "restrict" }),
    eventId: uuid(),
    currency: text().notNull().default("USD"),
    balance: money(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("ledger_accounts_user_kind_idx").on(table.userId, table.kind).where(sql`${table.userId} is not null`),
    uniqueIndex("ledger_accounts_event_kind_idx").on(table.eventId, table.kind).where(sql`${table.eventId} is not null`),
    uniqueIndex("ledger_accounts_platform_kind_idx").on(table.kind).where(sql`${table.userId} is null and ${table.eventId} is null`),
    check(
      "ledger_accounts_wallet_balance",
      sql`(${table.kind} in ('wallet_available', 'wallet_held')) = (${table.balance} is not null) and coalesce(${table.balance}, 0) >= 0`,
    ),
    check("ledger_accounts_wallet_owner", sql`(${table.kind} in ('wallet_available', 'wallet_held')) = (${table.userId} is not null)`),
    check("ledger_accounts_escrow_event", sql`(${table.kind} = 'event_escrow') = (${table.eventId} is not null)`),
  ],
);

/** One balanced movement of money; never updated or deleted. */
export const ledgerTransfers = pgTable(
  "ledger_transfers",
  {
    id: uuid().primaryKey().defaultRandom(),
    idempotencyKey: text().notNull(),
    /** sha256 of the request that made it; the same key with other parameters is refused. */
    paramsHash: text().notNull(),
    category: transferCategory().notNull(),
    operation: transferOperation().notNull(),
    amount: money().notNull(),
    currency: text().notNull().default("USD"),
    description: text().notNull(),
    /** Links to what it was for: { paymentId, eventId, holdId, refundOf, actorId, reason … }. */
    metadata: jsonb().$type<Record<string, string | number | null>>().notNull().default({}),
    refundOf: uuid(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("ledger_transfers_idempotency_key_idx").on(table.idempotencyKey),
    index("ledger_transfers_refund_of_idx").on(table.refundOf).where(sql`${table.refundOf} is not null`),
    check("ledger_transfers_amount_positive", sql`${table.amount} > 0`),
  ],
);

export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    // No foreign keys here on purpose: each would take a share lock on the (hot) escrow or
    // transfer row for every entry. ledger_post_transfers() checks the accounts itself, transfers
    // are immutable, and accounts cannot be deleted (trigger in migration 0004).
    transferId: uuid().notNull(),
    accountId: uuid().notNull(),
    /** Signed: positive adds to the account, negative takes from it. */
    amount: money().notNull(),
    /** The account's stored balance right after this entry (wallet accounts only). */
    balanceAfter: money(),
    createdAt: createdAt(),
  },
  (table) => [
    index("ledger_entries_account_idx").on(table.accountId, table.id),
    index("ledger_entries_transfer_idx").on(table.transferId),
    check("ledger_entries_amount_nonzero", sql`${table.amount} <> 0`),
  ],
);

export const holdStatuses = ["pending", "posted", "voided"] as const;
export const holdStatus = pgEnum("ledger_hold_status", holdStatuses);

/** Wallet money set aside (available → held) until it is posted somewhere or released. */
export const ledgerHolds = pgTable(
  "ledger_holds",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    amount: money().notNull(),
    postedAmount: money().notNull().default(0),
    status: holdStatus().notNull().default("pending"),
    category: transferCategory().notNull(),
    description: text().notNull(),
    holdTransferId: uuid()
      .notNull()
      .references(() => ledgerTransfers.id),
    settleTransferId: uuid().references(() => ledgerTransfers.id),
    createdAt: createdAt(),
    settledAt: timestamp({ withTimezone: true, mode: "date" }),
  },
  (table) => [
    index("ledger_holds_user_idx").on(table.userId, table.status),
    check("ledger_holds_amounts", sql`${table.amount} > 0 and ${table.postedAmount} between 0 and ${table.amount}`),
  ],
);
