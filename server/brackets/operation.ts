import type { DbOrTx } from "@/db/client";
import { engineBracket, loadAllMatches, loadDownstream, readEntrants, type BracketHeader, type StoredMatch } from "./repository";
import { engine, engineError, matchNotFound } from "./access";
import { BracketError, type Bracket, type MatchId } from "./engine";

export interface LoadedMatch {
  header: BracketHeader;
  rows: Map<MatchId, StoredMatch>;
  bracket: Bracket;
  match: StoredMatch;
  /** Only part of what lies downstream was read (see runEngine). */
  partial: boolean;
}

/**
 * What the engine reads to change one match, read after the header lock: the match and what lies
 * downstream of it, `depth` steps on (all of it when null). Groups into playoffs reads the whole
 * bracket (a group result can reorder the group's table and with it the playoff seeds).
 */
export async function loadForMatch(tx: DbOrTx, header: BracketHeader, matchId: MatchId, depth: number | null = 2): Promise<LoadedMatch> {
  const whole = header.settings.format === "groups_playoffs";
  const rows = whole ? await loadAllMatches(tx, header.id) : await loadDownstream(tx, header.id, [matchId], depth);
  const entrants = whole ? await readEntrants(tx, header.id) : [];
  const match = rows.get(matchId);
  if (!match) throw matchNotFound();
  return { header, rows, bracket: engineBracket(header, rows, entrants), match, partial: !whole && depth !== null };
}

/**
 * Runs an engine operation on the loaded rows. Most results change the match and the next one or
 * two, so only two steps downstream are read first; when the engine needs a row beyond them (a
 * correction reaching further, a chain of walkovers) it says so (match_not_found, it never guesses),
 * and the operation runs again on everything downstream. Engine refusals become BAD_REQUEST.
 */
export async function runEngine<T>(tx: DbOrTx, loaded: LoadedMatch, operation: (bracket: Bracket) => T): Promise<T> {
  if (loaded.partial) {
    try {
      return operation(loaded.bracket);
    } catch (error) {
      if (!(error instanceof BracketError) || error.code !== "match_not_found") return engineError(error);
      Object.assign(loaded, await loadForMatch(tx, loaded.header, loaded.match.id, null));
    }
  }
  return engine(() => operation(loaded.bracket));
}

/** The whole bracket with its entrants (disqualification, reinstatement). */
export async function loadWhole(tx: DbOrTx, header: BracketHeader): Promise<{ rows: Map<MatchId, StoredMatch>; bracket: Bracket }> {
  const [rows, entrants] = [await loadAllMatches(tx, header.id), await readEntrants(tx, header.id)];
  return { rows, bracket: engineBracket(header, rows, entrants) };
}
