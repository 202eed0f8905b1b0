import { sql } from "drizzle-orm";
import { bigint, boolean, check, customType, index, integer, pgEnum, pgTable, pgView, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { eventFormats, eventStatuses, eventVisibilities, participantTypes } from "../../lib/event-values";
import { games } from "./games";
import { users } from "./accounts";

const at = () => timestamp({ withTimezone: true, mode: "date" });
const money = () => bigint({ mode: "number" });

// The value lists are lib/'s, so the browser loads them without the tables; re-exported for the server's code.
export {
  eventFormats,
  type EventFormat,
  participantTypes,
  eventStatuses,
  type EventStatus,
  eventVisibilities,
} from "../../lib/event-values";

export const eventFormat = pgEnum("event_format", eventFormats);
export const participantType = pgEnum("event_participant_type", participantTypes);
/** Stored lifecycle; "registration open", "check-in" and so on are derived from it and the clock. */
export const eventStatus = pgEnum("event_status", eventStatuses);
export const eventVisibility = pgEnum("event_visibility", eventVisibilities);

export const events = pgTable(
  "events",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizerId: uuid()
      .notNull()
      .references(() => users.id),
    gameId: uuid()
      .notNull()
      .references(() => games.id),
    name: text().notNull(),
    format: eventFormat().notNull(),
    participantType: participantType().notNull().default("solo"),
    teamSize: integer().notNull().default(1),
    substitutes: integer().notNull().default(0),
    capacity: integer().notNull(),
    /** Seats taken by confirmed entries, unpaid checkouts and open waitlist offers. */
    seatsTaken: integer().notNull().default(0),
    entryFee: money().notNull().default(0),
    /** Share of entry fees that goes to the prize pool, in percent. */
    prizeFromFeesPercent: integer().notNull().default(0),
    organizerPrize: money().notNull().default(0),
    /** Percent of the prize pool per place, e.g. {50,30,20}. */
    payoutSplit: integer().array().notNull().default(sql`'{100}'::integer[]`),
    withdrawalPenaltyPercent: integer().notNull().default(0),
    /** The platform's cut of the organizer's share of the fees, fixed when the event is created. */
    platformFeePercent: integer().notNull().default(0),
    /** A team's prize goes to its captain alone instead of being split over its checked-in roster. */
    teamPrizeToCaptain: boolean().notNull().default(false),
    /** The ledger hold on the organizer's wallet for the prize they put up, made at publication. */
    prizeHoldId: uuid(),
    registrationOpensAt: at().notNull(),
    registrationClosesAt: at().notNull(),
    checkInOpensAt: at().notNull(),
    checkInClosesAt: at().notNull(),
    startsAt: at().notNull(),
    /** IANA zone the organizer thinks in; times are stored in UTC. */
    timeZone: text().notNull().default("UTC"),
    rules: text().notNull().default(""),
    hasBanner: boolean().notNull().default(false),
    visibility: eventVisibility().notNull().default("public"),
    status: eventStatus().notNull().default("draft"),
    publishedAt: at(),
    cancelledAt: at(),
    /** When the payout emptied the event's escrow (prizes, the organizer's share, the platform fee). */
    paidOutAt: at(),
    createdAt: at().notNull().defaultNow(),
    updatedAt: at().notNull().defaultNow(),
  },
  (table) => [
    index("events_status_starts_idx").on(table.status, table.startsAt),
    index("events_organizer_idx").on(table.organizerId, table.createdAt),
    index("events_name_idx").on(sql`lower(${table.name})`),
    check("events_capacity", sql`${table.capacity} between 2 and 4096 and ${table.seatsTaken} between 0 and ${table.capacity}`),
    check("events_money", sql`${table.entryFee} >= 0 and ${table.organizerPrize} >= 0 and ${table.prizeFromFeesPercent} between 0 and 100`),
    check("events_penalty", sql`${table.withdrawalPenaltyPercent} between 0 and 100`),
    check("events_platform_fee", sql`${table.platformFeePercent} between 0 and 100`),
    check("events_team", sql`${table.teamSize} between 1 and 10 and ${table.substitutes} between 0 and 5`),
    check(
      "events_timeline",
      sql`${table.registrationOpensAt} < ${table.registrationClosesAt} and ${table.registrationClosesAt} <= ${table.startsAt}
        and ${table.checkInOpensAt} < ${table.checkInClosesAt} and ${table.checkInClosesAt} <= ${table.startsAt}`,
    ),
  ],
);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const eventBanners = pgTable("event_banners", {
  eventId: uuid()
    .primaryKey()
    .references(() => events.id, { onDelete: "cascade" }),
  contentType: text().notNull(),
  data: bytea().notNull(),
  updatedAt: at().notNull().defaultNow(),
});

/**
 * Who an event is, for the domains that show it or ask who runs it (chat's rooms, a team's roster
 * lock): its name, organizer, status, format, solo or team, and start, and nothing they could write. A view, inlined by
 * PostgreSQL into the query that joins it. Two-word columns are written out in SQL: drizzle-kit
 * does not apply the snake-case naming inside a view's definition.
 */
export const eventDirectory = pgView("event_directory").as((qb) =>
  qb
    .select({
      id: events.id,
      name: events.name,
      organizerId: sql<string>`organizer_id`.as("organizer_id"),
      status: events.status,
      format: events.format,
      participantType: sql<"solo" | "team">`participant_type`.as("participant_type"),
      startsAt: sql<Date>`starts_at`.mapWith(events.startsAt).as("starts_at"),
    })
    .from(events),
);
