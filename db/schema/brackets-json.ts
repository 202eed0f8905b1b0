/**
 * The JSON stored in the bracket tables' jsonb columns (settings, sides, games, results, links
 * between matches, placements): plain types with no imports, owned by the schema and shared with
 * the bracket engine (server/brackets/engine/types.ts), which computes them and re-exports them.
 * The data model as a whole is described there.
 */

export type EntrantId = string;
export type MatchId = string;
/** 0 = the upper / first-listed side of a match, 1 = the lower / second. */
export type Side = 0 | 1;

export type SideSource =
  /** Placed by seed at generation (elimination round 1, round robin, Swiss). */
  | { kind: "seed"; seed: number }
  /** The winner or loser of an earlier match. */
  | { kind: "match"; match: MatchId; take: "winner" | "loser" }
  /** Groups into playoffs: the entrant finishing `rank` (1-based) in round robin group `group` (1-based). */
  | { kind: "group"; group: number; rank: number };

export interface MatchSide {
  source: SideSource | null;
  /** The occupant once known. */
  entrant: EntrantId | null;
  /** True when nobody will ever occupy this side (entrant is then null). */
  bye: boolean;
}

export interface SideRef {
  match: MatchId;
  side: Side;
}

export interface Game {
  winner: Side;
  /** Optional score as reported, [side 0, side 1]. */
  score?: [number, number];
}

export type ResultKind =
  /** Manual: decided by games (or by the organizer naming the winner). */
  | "played"
  /** Manual: the loser forfeited; the winner advances, the loser is routed like any loser. */
  | "forfeit"
  /** Manual: both forfeited; nobody advances and nobody drops (see `winner: null`). */
  | "double_forfeit"
  /** Automatic: a side is disqualified (both: nobody advances). */
  | "disqualification"
  /** Automatic: one side is empty, the other advances without playing. */
  | "walkover"
  /** Automatic: both sides empty, or a grand final reset that is not needed. */
  | "not_played";

export interface MatchResult {
  kind: ResultKind;
  /** The side that advances; null when nobody does. */
  winner: Side | null;
}

export type GrandFinal = "none" | "single" | "reset";

/** Named matches that can get their own best-of. */
export type BestOfName =
  /** Matches that crown the champion: SE final, DE grand final and reset (DE upper final when grandFinal is 'none'). */
  | "finals"
  /** The round before the (upper) final. */
  | "semifinals"
  | "third_place"
  | "upper_final"
  | "lower_final";
/** A round of a stage, e.g. 'upper:1', 'lower:3', 'group:2' (round 2 of every group), 'swiss:5'. */
export type BestOfRoundKey = `${"upper" | "lower" | "group" | "swiss"}:${number}`;

/**
 * Games per match: a number for every match, or a default with overrides. Precedence: a round key,
 * then finals, third_place, upper_final, lower_final, semifinals, then the default. All odd.
 */
export type BestOf = number | { default: number; overrides?: Partial<Record<BestOfName | BestOfRoundKey, number>> };

export type EliminationSettings =
  | { format: "single_elimination"; thirdPlace: boolean }
  | { format: "double_elimination"; grandFinal: GrandFinal };

export type BracketSettings = { bestOf?: BestOf } & (
  | EliminationSettings
  /** `meetings`: each pair plays once or twice (sides swapped). */
  | { format: "round_robin"; groups: number; meetings: 1 | 2 }
  | { format: "swiss"; rounds: number }
  /** Round robin groups; the top `advance` of each group go on to `playoff`. */
  | { format: "groups_playoffs"; groups: number; meetings: 1 | 2; advance: number; playoff: EliminationSettings }
);

export interface Placement {
  entrant: EntrantId;
  /** Competition ranking: entrants eliminated together share a place (1, 2, 3, 4, 5, 5, 7, 7 ...). */
  place: number;
}
