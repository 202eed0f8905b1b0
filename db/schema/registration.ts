import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { events } from "./events";
import { teams } from "./teams";
import { ledgerHolds, ledgerTransfers } from "./ledger";
import { payments } from "./payments";
import { users } from "./accounts";

const at = () => timestamp({ withTimezone: true, mode: "date" });
const money = () => bigint({ mode: "number" });

export const discountKinds = ["percent", "fixed"] as const;
export type DiscountKind = (typeof discountKinds)[number];
export const discountKind = pgEnum("promo_discount_kind", discountKinds);

export const promoCodes = pgTable(
  "promo_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    code: text().notNull(),
    /** Null: valid for every event of the organizer who made it (admins: every event). */
    eventId: uuid().references(() => events.id, { onDelete: "cascade" }),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    kind: discountKind().notNull(),
    /** Percent (1–100) for "percent", cents for "fixed". */
    value: integer().notNull(),
    maxUses: integer(),
    uses: integer().notNull().default(0),
    expiresAt: at(),
    createdAt: at().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("promo_codes_code_idx").on(sql`upper(${table.code})`),
    check(
      "promo_codes_value",
      sql`(${table.kind} = 'percent' and ${table.value} between 1 and 100) or (${table.kind} = 'fixed' and ${table.value} > 0)`,
    ),
    check("promo_codes_uses", sql`${table.uses} >= 0 and (${table.maxUses} is null or ${table.uses} <= ${table.maxUses})`),
  ],
);

export const registrationStatuses = [
  "pending_payment",
  "confirmed",
  "waitlisted",
  "offered",
  "withdrawn",
  "cancelled",
  "expired",
  "removed",
  "payment_failed",
] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];
export const registrationStatus = pgEnum("registration_status", registrationStatuses);

/** Statuses that keep a player (or team) in the event; at most one such row per entrant. */
export const ACTIVE_REGISTRATION = sql.raw(`('pending_payment', 'confirmed', 'waitlisted', 'offered')`);

export const registrations = pgTable(
  "registrations",
  {
    id: uuid().primaryKey().defaultRandom(),
    eventId: uuid()
      .notNull()
      .references(() => events.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    teamId: uuid().references(() => teams.id),
    status: registrationStatus().notNull(),
    /** The browser's key for this checkout attempt. */
    idempotencyKey: text().notNull(),
    fee: money().notNull(),
    discount: money().notNull().default(0),
    walletAmount: money().notNull().default(0),
    cardAmount: money().notNull().default(0),
    promoCodeId: uuid().references(() => promoCodes.id),
    holdId: uuid().references(() => ledgerHolds.id),
    walletTransferId: uuid().references(() => ledgerTransfers.id),
    paymentId: uuid().references(() => payments.id),
    expiresAt: at(),
    offerExpiresAt: at(),
    waitlistedAt: at(),
    checkedInAt: at(),
    /** Members who played for a team, frozen at check-in. */
    roster: uuid().array(),
    seed: integer(),
    createdAt: at().notNull().defaultNow(),
    confirmedAt: at(),
    endedAt: at(),
  },
  (table) => [
    uniqueIndex("registrations_idempotency_key_idx").on(table.idempotencyKey),
    uniqueIndex("registrations_active_user_idx").on(table.eventId, table.userId).where(sql`${table.status} in ${ACTIVE_REGISTRATION}`),
    uniqueIndex("registrations_active_team_idx")
      .on(table.eventId, table.teamId)
      .where(sql`${table.teamId} is not null and ${table.status} in ${ACTIVE_REGISTRATION}`),
    index("registrations_event_status_idx").on(table.eventId, table.status, table.createdAt),
    index("registrations_user_idx").on(table.userId, table.createdAt),
    check(
      "registrations_amounts",
      sql`${table.fee} >= 0 and ${table.discount} between 0 and ${table.fee} and ${table.walletAmount} >= 0 and ${table.cardAmount} >= 0
        and ${table.walletAmount} + ${table.cardAmount} = ${table.fee} - ${table.discount}`,
    ),
  ],
);
