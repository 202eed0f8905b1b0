import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { events, type EventStatus } from "@/db/schema/events";
import { announce } from "@/server/live/announce";

/**
 * The event's lifecycle as play moves it, for the brackets domain: live when its bracket starts,
 * completed when the bracket ends, live again when a correction reopens it. Each runs in the
 * caller's transaction and announces on the event's topic. Returns false (and changes nothing)
 * when the event is not in a state the step starts from.
 */
async function move(tx: DbOrTx, eventId: string, from: EventStatus[], to: EventStatus): Promise<boolean> {
  const updated = await tx
    .update(events)
    .set({ status: to, updatedAt: new Date() })
    .where(and(eq(events.id, eventId), inArray(events.status, from)))
    .returning({ id: events.id });
  if (updated.length === 0) return false;
  await announce(tx, `event:${eventId}`, { kind: "event.updated" });
  return true;
}

export const markEventLive = (tx: DbOrTx, eventId: string) => move(tx, eventId, ["published"], "live");
export const markEventCompleted = (tx: DbOrTx, eventId: string) => move(tx, eventId, ["live"], "completed");
export const reopenEvent = (tx: DbOrTx, eventId: string) => move(tx, eventId, ["completed"], "live");
