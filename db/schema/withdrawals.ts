import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

const money = () => bigint({ mode: "number" });
const at = () => timestamp({ withTimezone: true, mode: "date" });

export const payoutAccountKinds = ["iban", "local"] as const;
export type PayoutAccountKind = (typeof payoutAccountKinds)[number];
export const payoutAccountKind = pgEnum("payout_account_kind", payoutAccountKinds);

/**
 * A player's bank account for withdrawals. The account number (an IBAN, or a local account and
 * routing number) is stored only encrypted (AES-256-GCM under PAYOUT_ENCRYPTION_KEY's version
 * `key_version`); the last four digits and the bank's name are kept in clear to show. A change
 * closes the current row (`removed_at`) and opens a new one, so every withdrawal keeps the account
 * it was sent to. At most one open account per player.
 */
export const payoutAccounts = pgTable(
  "payout_accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    holderName: text().notNull(),
    kind: payoutAccountKind().notNull(),
    /** ISO 3166 alpha-2. */
    country: text().notNull(),
    bankName: text(),
    last4: text().notNull(),
    /** base64url(iv ‖ tag ‖ ciphertext) of the number's JSON; never leaves the server. */
    numberCiphertext: text().notNull(),
    keyVersion: integer().notNull(),
    /** Stripe Connect: the player's connected account and this bank account on it (null on the simulated gateway's account id). */
    gatewayConnectedAccountId: text(),
    gatewayExternalAccountId: text(),
    /** The gateway that registered it ("stripe" or "simulated"): an account registered on one cannot be paid by the other. */
    gateway: text().notNull(),
    /** The save attempt's key (one per form submission): the same key again finds this row. */
    idempotencyKey: text().unique(),
    createdAt: at().notNull().defaultNow(),
    removedAt: at(),
  },
  (table) => [
    uniqueIndex("payout_accounts_one_open").on(table.userId).where(sql`${table.removedAt} is null`),
    index("payout_accounts_user").on(table.userId, table.createdAt),
    check("payout_accounts_last4", sql`${table.last4} ~ '^[0-9A-Z]{4}$'`),
  ],
);

/**
 * requested (waiting for an admin) → approved (payout queued) → sent (the gateway took it) → paid
 * (arrived) or failed (refused at once, or returned by the bank later). A request can also end
 * rejected (by an admin) or canceled (by the player, before approval). Money: the amount and fee
 * are held from request until sent; a failure or rejection gives both back.
 */
export const withdrawalStatuses = ["requested", "approved", "sent", "paid", "failed", "rejected", "canceled"] as const;
export type WithdrawalStatus = (typeof withdrawalStatuses)[number];
export const withdrawalStatus = pgEnum("withdrawal_status", withdrawalStatuses);

/** Why a request waits for a person: a bank account added in the last day, many requests in an hour. */
export const withdrawalFlags = ["new_account", "velocity"] as const;
export type WithdrawalFlag = (typeof withdrawalFlags)[number];

export const withdrawals = pgTable(
  "withdrawals",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    payoutAccountId: uuid()
      .notNull()
      .references(() => payoutAccounts.id, { onDelete: "restrict" }),
    /** What arrives at the bank, in cents; the wallet gives `amount + fee`. */
    amount: money().notNull(),
    fee: money().notNull(),
    status: withdrawalStatus().notNull().default("requested"),
    idempotencyKey: text().notNull().unique(),
    /** The ledger hold of amount + fee, from request until the payout is sent or the request ends. */
    holdId: uuid().notNull(),
    requestIp: text(),
    flags: text().array().$type<WithdrawalFlag[]>().notNull().default(sql`'{}'::text[]`),
    /** Whether the request needed the second factor (over the threshold) and got it. */
    secondFactor: boolean().notNull().default(false),
    decidedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    decisionReason: text(),
    gatewayPayoutId: text(),
    failureMessage: text(),
    requestedAt: at().notNull().defaultNow(),
    approvedAt: at(),
    sentAt: at(),
    paidAt: at(),
    failedAt: at(),
    /** When it was rejected or canceled. */
    closedAt: at(),
    updatedAt: at().notNull().defaultNow(),
  },
  (table) => [
    index("withdrawals_user").on(table.userId, table.requestedAt),
    index("withdrawals_status").on(table.status, table.requestedAt),
    uniqueIndex("withdrawals_gateway_payout").on(table.gatewayPayoutId),
    check("withdrawals_amount", sql`${table.amount} > 0 and ${table.fee} >= 0`),
  ],
);
