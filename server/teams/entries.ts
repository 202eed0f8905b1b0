import type { DbOrTx } from "@/db/client";
import { globalRegistry } from "@/server/registry";

/**
 * What teams asks about a team's tournament entries. Registration holds the entries and sits above
 * teams, so it answers (server/registration/team-entries.ts) through the composition root
 * (server/composition.ts): teams never imports registration.
 */
export interface TeamEntries {
  /** The event that locks the team's roster, if any: checked in (confirmed) to an event not over. */
  rosterLock(db: DbOrTx, teamId: string): Promise<{ eventId: string; eventName: string } | null>;
  /** Entries the team holds now (paying, confirmed, waitlisted or offered). */
  activeEntries(db: DbOrTx, teamId: string): Promise<number>;
  /** Every entry the team ever made (they keep the team from being deleted). */
  entryCount(db: DbOrTx, teamId: string): Promise<number>;
}

const answers = globalRegistry<"entries", TeamEntries>("driftwoodTeamEntries", "teams question");

/** Registers who answers teams' questions about entries; called by the composition root only. */
export function registerTeamEntries(entries: TeamEntries): void {
  answers.register("entries", entries);
}

/** The answers; an Internal error when nobody registered them (the composition was not loaded). */
export function teamEntries(): TeamEntries {
  return answers.get("entries");
}
