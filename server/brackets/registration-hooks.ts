import { sql } from "drizzle-orm";
import type { BracketHooks } from "@/server/registration/bracket-hooks";
import { closeBracketOfCancelledEvent, lockBracketForCancellation } from "./access";
import { disqualifyEntrant, forfeitEntrant } from "./results";

/**
 * What the bracket does when an entry leaves after the start or the event is cancelled
 * (registration's BracketHooks); registered in server/composition.ts.
 */
export const bracketRegistrationHooks: BracketHooks = {
  forfeitEntry: forfeitEntrant,
  disqualifyEntry: disqualifyEntrant,
  lockForCancellation: async (tx, eventId) => Boolean(await lockBracketForCancellation(tx, eventId)),
  closeForCancelledEvent: closeBracketOfCancelledEvent,
  async isDisqualified(db, eventId, entrantId) {
    const [row] = await db.execute(sql`select 1 from brackets b where b.event_id = ${eventId} and b.disqualified ? ${entrantId}`);
    return row !== undefined;
  },
};
