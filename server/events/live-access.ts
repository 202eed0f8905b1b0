import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { events } from "@/db/schema/events";
import { hasRole, type SessionUser } from "@/server/accounts/roles";

/**
 * Who may follow `event:<id>` (registered in server/composition.ts), as getEvent decides who may see
 * it: anyone a published or unlisted event, a draft only its organizer and admins; no one an id
 * that is no event.
 */
export async function mayFollowEventTopic(db: DbOrTx, user: SessionUser | null, eventId: string): Promise<boolean> {
  const [event] = await db.select({ status: events.status, organizerId: events.organizerId }).from(events).where(eq(events.id, eventId));
  if (!event) return false;
  if (event.status !== "draft") return true;
  return Boolean(user && (user.id === event.organizerId || hasRole(user, "admin")));
}
