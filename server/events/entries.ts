import type { DbOrTx } from "@/db/client";
import { globalRegistry } from "@/server/registry";

/**
 * What events asks about an event's entries. Registration holds the entries and sits above
 * events, so it answers (server/registration/event-entries.ts) through the composition root
 * (server/composition.ts): events never imports registration.
 */
export interface EventEntries {
  /** Whether players' money terms are set: confirmed entries, unpaid checkouts, open offers. */
  hasMoneyTerms(db: DbOrTx, eventId: string): Promise<boolean>;
  /** Every player with an entry in play (paying, confirmed, waitlisted or offered), once each. */
  registrantIds(db: DbOrTx, eventId: string): Promise<string[]>;
  /** Per event: the confirmed entries and the entry fees they paid (the base of the prize pool). */
  feesPaid(db: DbOrTx, eventIds: string[]): Promise<Map<string, { confirmed: number; fees: number }>>;
}

const answers = globalRegistry<"entries", EventEntries>("driftwoodEventEntries", "events question");

/** Registers who answers events' questions about entries; called by the composition root only. */
export function registerEventEntries(entries: EventEntries): void {
  answers.register("entries", entries);
}

/** The answers; an Internal error when nobody registered them (the composition was not loaded). */
export function eventEntries(): EventEntries {
  return answers.get("entries");
}
