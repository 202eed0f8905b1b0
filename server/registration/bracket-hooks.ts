import type { Db, DbOrTx } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { globalRegistry } from "@/server/registry";

/**
 * What an event's bracket does when an entry leaves after the bracket started, or when the event
 * is cancelled. Brackets runs the bracket and sits above registration, so it provides these
 * (server/brackets/registration-hooks.ts) through the composition root (server/composition.ts):
 * registration never imports brackets.
 */
export interface BracketHooks {
  /**
   * A player withdrew a confirmed entry after the bracket started (registration checked the entry
   * is theirs): a forfeit of every match it has left, in the bracket's own transaction.
   */
  forfeitEntry(db: Db, input: { eventId: string; entrantId: string; actorId: string }): Promise<unknown>;
  /**
   * The organizer removed an entry after the bracket started: a disqualification, in the bracket's
   * own transaction, which checks that the actor runs the event.
   */
  disqualifyEntry(db: Db, actor: SessionUser, input: { eventId: string; entrantId: string }): Promise<unknown>;
  /**
   * The first step of cancelling, in the cancellation's transaction before the event row is locked:
   * the bracket's header, locked. False when the event has no bracket (yet).
   */
  lockForCancellation(tx: DbOrTx, eventId: string): Promise<boolean>;
  /** The event was cancelled (same transaction, after lockForCancellation): its bracket closes. */
  closeForCancelledEvent(tx: DbOrTx, eventId: string): Promise<void>;
  /** Whether the event's bracket disqualified the entry (the player's own view of their entry says so). */
  isDisqualified(db: DbOrTx, eventId: string, entrantId: string): Promise<boolean>;
}

const provided = globalRegistry<"bracket", BracketHooks>("driftwoodRegistrationBracketHooks", "registration hook");

/** Registers what the bracket does; called by the composition root only. */
export function registerBracketHooks(hooks: BracketHooks): void {
  provided.register("bracket", hooks);
}

/** The bracket's hooks; an Internal error when nobody registered them (the composition was not loaded). */
export function bracketHooks(): BracketHooks {
  return provided.get("bracket");
}
