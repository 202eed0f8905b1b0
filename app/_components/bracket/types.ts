import type { Bracket, EntrantId, MatchId, StageId } from "@/server/brackets/engine/types";

/** What the page knows about each entrant besides its id: a display name and an optional picture. */
export type BracketNames = Record<EntrantId, { name: string; image?: string | null }>;

/** Organizer-side states a match card can carry as a badge (from the console's data, when known). */
export type MatchState = "disputed" | "overdue" | "called";

/** The round to highlight per stage ("upper", "lower", "group:1", "swiss" ...); see `currentRounds`. */
export type CurrentRounds = Partial<Record<StageId, number>>;

/** `full`: the page view with toolbar, legend and tables. `embed`: no chrome, larger text, for stream overlays. */
export type BracketVariant = "full" | "embed";

export interface BracketViewProps {
  /** The engine's bracket, exactly as it is stored (see `fromPublicBracket` for the API's shape). */
  bracket: Bracket;
  names: BracketNames;
  /** An entrant to mark throughout (the signed-in player, or one chosen from a list). */
  highlightEntrant?: EntrantId | null;
  /** Rounds to highlight; computed from the bracket when omitted; `false` highlights none. */
  currentRound?: CurrentRounds | false;
  /** The match page of a match, or null when it has none: a card with a link is a link. */
  linkForMatch?: (matchId: MatchId) => string | null;
  states?: Partial<Record<MatchId, MatchState>>;
  variant?: BracketVariant;
  /** What an entrant is called in table headers: "Player" (default) or "Team". */
  entrantLabel?: string;
}
