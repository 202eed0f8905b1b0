/** Check-in: a confirmed entry says it will play, during the event's check-in window. */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { registrations } from "@/db/schema/registration";
import type { SessionUser } from "@/server/accounts/roles";
import { Invalid, NotFound } from "@/server/errors";
import { teamRosterForRegistration } from "@/server/teams/service";
import { announceRegistrations, eventOf, lockEventThenRegistration } from "./lifecycle";

/** Players (or captains) check in during the check-in window; a team's roster is frozen then. */
export async function checkIn(db: Db, user: SessionUser, registrationId: string) {
  return db.transaction(async (tx) => {
    // The event row first, then the entry, then (announcing) the event's topic: the order the
    // bracket's start and every path that ends an entry take, so a check-in never deadlocks them.
    const registration = await lockEventThenRegistration(tx, registrationId);
    if (!registration || registration.userId !== user.id) throw new NotFound("We could not find that registration.");
    if (registration.status !== "confirmed") throw new Invalid("Only a confirmed entry can check in.");
    if (registration.checkedInAt) return registration;
    const event = await eventOf(tx, registration.eventId);
    const now = new Date();
    // Starting the bracket closes check-in, whatever the clock says.
    if (event.status !== "published") throw new Invalid("Check-in has closed: the bracket has started.");
    if (now < event.checkInOpensAt) throw new Invalid("Check-in has not opened yet.");
    if (now >= event.checkInClosesAt) throw new Invalid("Check-in has closed.");
    const roster = registration.teamId
      ? (await teamRosterForRegistration(tx, registration.teamId, user.id, event.teamSize)).memberIds
      : null;
    const [updated] = await tx
      .update(registrations)
      .set({ checkedInAt: now, roster })
      .where(eq(registrations.id, registration.id))
      .returning();
    await announceRegistrations(tx, registration.eventId);
    return updated!;
  });
}
