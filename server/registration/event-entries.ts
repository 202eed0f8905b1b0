import { and, count, eq, inArray, sql } from "drizzle-orm";
import { registrations } from "@/db/schema/registration";
import type { EventEntries } from "@/server/events/entries";

/**
 * What the events domain asks about an event's entries (server/events/entries.ts), answered by the
 * registration domain that owns them; server/composition.ts registers the answers.
 */
export const registrationEventEntries: EventEntries = {
  async hasMoneyTerms(db, eventId) {
    const [{ value } = { value: 0 }] = await db
      .select({ value: count() })
      .from(registrations)
      .where(and(eq(registrations.eventId, eventId), inArray(registrations.status, ["confirmed", "pending_payment", "offered"])));
    return value > 0;
  },

  async registrantIds(db, eventId) {
    const rows = await db
      .selectDistinct({ userId: registrations.userId })
      .from(registrations)
      .where(
        and(eq(registrations.eventId, eventId), inArray(registrations.status, ["confirmed", "pending_payment", "offered", "waitlisted"])),
      );
    return rows.map((row) => row.userId);
  },

  async feesPaid(db, eventIds) {
    if (eventIds.length === 0) return new Map();
    const rows = await db
      .select({
        eventId: registrations.eventId,
        confirmed: count(),
        fees: sql<string>`coalesce(sum(${registrations.fee} - ${registrations.discount}), 0)`,
      })
      .from(registrations)
      .where(and(inArray(registrations.eventId, eventIds), eq(registrations.status, "confirmed")))
      .groupBy(registrations.eventId);
    return new Map(rows.map((r) => [r.eventId, { confirmed: r.confirmed, fees: Number(r.fees) }]));
  },
};
