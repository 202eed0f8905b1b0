// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * The bracket engine's data model: plain JSON, no classes, no Dates, so a bracket can be stored as one
 * header row (settings, entrants, groups, disqualified) plus one row per match, and sent to the browser.
 *
 * Entrants are opaque string ids with a seed (1 = best). A bracket is a set of matches; every match
 * has a stable, human-readable id that says where it sits:
 *
 *   U-R2-M3   upper bracket (the only bracket of single elimination), round 2, third match from the top
 *   L-R4-M1   lower bracket of double elimination
 *   GF-1      grand final; GF-2 is the bracket reset, played only if the lower finalist wins GF-1
 *   TP        third-place match (single elimination, between the semifinal losers)
 *   G2-R3-M1  round robin group 2, round 3
 *   S-R4-M7   Swiss round 4 (its BYE, when there is one, is the round's last match)
 *
 * A match has two sides. Each side records where its occupant comes from (`source`: a seed, the winner
 * or loser of another match, or a group's final rank) and who it is once known: `entrant` is an id,
 * or null with `bye: true` when nobody will ever come (BYE padding, the loser of a BYE match, the
 * winner of a double forfeit), or null with `bye: false` while still undecided. Matches point forward
 * with `nextWin` / `nextLose` (the side that the winner / loser moves to), so a result touches only
 * the matches downstream of it: O(depth), never O(bracket).
 *
 * `status` is derived from sides and result and kept on the row so the service can query it:
 *   pending      a side is still undecided
 *   ready        both entrants known, no game reported yet
 *   in_progress  some games reported, no side has a majority yet
 *   completed    decided: played, forfeit, double forfeit, or by a disqualification
 *   bye          one side is empty: the other entrant advances without playing (a walkover)
 *   skipped      nobody plays: both sides empty, or the grand final reset is not needed
 *
 * Results are either manual (`played`, `forfeit`, `double_forfeit`: reported, kept until a side's
 * occupant changes) or automatic (`walkover`, `disqualification`, `not_played`: recomputed by the
 * engine from the sides whenever they change).
 *
 * Every operation is pure: it reads a bracket and returns a `BracketUpdate` listing the new versions
 * of exactly the match rows that changed, so the service writes only those rows; `applyUpdate`
 * merges an update into an in-memory bracket. `setResult`, `recordGame` and `clearResult` read only
 * the header, the match acted on and the matches downstream of it (through nextWin / nextLose, and
 * for a group match of groups-into-playoffs that group's matches and the playoff's first round), so
 * `matches` may hold just those rows. `disqualify`, `reinstate`, Swiss pairing and standings read all.
 *
 * Where the rules live: seeding order and helpers in seeding.ts, lower-bracket drops in
 * double-elimination.ts, tie-breaks in standings.ts, Swiss pairing in swiss.ts, forfeits,
 * double forfeits, corrections and disqualification in results.ts, placements in placements.ts.
 */

// The shapes stored in the database are the schema's (plain types, no runtime code): see there.
import type {
  EntrantId,
  MatchId,
  Side,
  MatchSide,
  SideRef,
  Game,
  MatchResult,
  BracketSettings,
  Placement,
} from "@/db/schema/brackets-json";
export type {
  EntrantId,
  MatchId,
  Side,
  SideSource,
  MatchSide,
  SideRef,
  Game,
  ResultKind,
  MatchResult,
  GrandFinal,
  BestOfName,
  BestOfRoundKey,
  BestOf,
  EliminationSettings,
  BracketSettings,
  Placement,
} from "@/db/schema/brackets-json";

export interface Entrant {
  id: EntrantId;
  /** 1 = top seed; seeds of one bracket are exactly 1..n. */
  seed: number;
}

export type StageId = "upper" | "lower" | "grand_final" | "third_place" | "swiss" | `group:${number}`;

export type MatchStatus = "pending" | "ready" | "in_progress" | "completed" | "bye" | "skipped";

export interface Match {
  id: MatchId;
  stage: StageId;
  /** 1-based round within the stage. */
  round: number;
  /** 1-based position within the round, top to bottom as drawn. */
  position: number;
  /** Games in this match (odd); a side wins the match with ceil(bestOf / 2) games. */
  bestOf: number;
  sides: [MatchSide, MatchSide];
  nextWin: SideRef | null;
  nextLose: SideRef | null;
  /** Played only when `match` was won by side `winner`, otherwise skipped (the grand final reset). */
  playedIf: { match: MatchId; winner: Side } | null;
  status: MatchStatus;
  games: Game[];
  result: MatchResult | null;
}

export type Format = BracketSettings["format"];

export interface Bracket {
  settings: BracketSettings;
  /** Sorted by seed. */
  entrants: Entrant[];
  /** Round robin groups: member ids, best seed first (empty for other formats). */
  groups: EntrantId[][];
  /** Disqualified entrants: every match they are (or will be) in is a forfeit win for the opponent. */
  disqualified: EntrantId[];
  /** In drawing order (stage, round, position). */
  matches: Record<MatchId, Match>;
}

/** What an operation changed: write these rows (and the disqualified list, when present). */
export interface BracketUpdate {
  /** New versions of every match that changed or was created, in the order they were touched. */
  matches: Match[];
  /**
   * Matches, other than the one acted on, that lose a participant or a result they already had:
   * what a correction resets (empty when a result is reported for the first time).
   */
  reset: MatchId[];
  disqualified?: EntrantId[];
}

/** The outcome of a match as reported or decided by the organizer. */
export type MatchOutcome =
  /** `games` (optional) must agree: the winner has exactly a majority and wins the last game. */
  | { type: "played"; winner: Side; games?: Game[] }
  /** The other side forfeits. */
  | { type: "forfeit"; winner: Side }
  /** Neither side advances. */
  | { type: "double_forfeit" };

export interface StandingRow {
  entrant: EntrantId;
  seed: number;
  /** 1-based, unique within the table (all tie-breaks ending at seed). */
  rank: number;
  played: number;
  wins: number;
  losses: number;
  gamesWon: number;
  gamesLost: number;
  /** Round robin: match wins against the entrants level with this one on wins. */
  headToHead: number;
  /** Swiss: the sum of the wins of every opponent played. */
  buchholz: number;
  byes: number;
  disqualified: boolean;
}

export interface FinalStandings {
  complete: boolean;
  /** Null until complete, and when nobody wins (a double forfeit in the final). */
  champion: EntrantId | null;
  /** Every entrant once complete; empty before. */
  placements: Placement[];
}

export type BracketErrorCode =
  | "invalid_entrants"
  | "invalid_settings"
  /** More than a bracket may create (see limits.ts). */
  | "too_large"
  | "match_not_found"
  | "entrant_not_found"
  | "match_not_ready"
  | "automatic_result"
  | "invalid_result"
  | "round_incomplete"
  | "no_more_rounds"
  | "no_pairing";

export class BracketError extends Error {
  constructor(
    readonly code: BracketErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BracketError";
  }
}
