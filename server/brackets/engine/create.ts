// Browser-safe: loaded by client components; imports nothing server-only.
import { validateBestOf } from "./best-of";
import { createDoubleElimination } from "./double-elimination";
import { createGroupsPlayoffs } from "./groups-playoffs";
import { bracketSizeProblem } from "./limits";
import { settleNewMatches } from "./progression";
import { createRoundRobin } from "./round-robin";
import { sortedEntrants } from "./seeding";
import { createSingleElimination } from "./single-elimination";
import { createSwiss, validateSwissRounds } from "./swiss";
import {
  BracketError,
  type Bracket,
  type BracketSettings,
  type EliminationSettings,
  type Entrant,
  type EntrantId,
  type Match,
} from "./types";

const grandFinals = ["none", "single", "reset"];

function validateElimination(settings: EliminationSettings): void {
  if (settings.format === "single_elimination") {
    if (typeof settings.thirdPlace !== "boolean") throw new BracketError("invalid_settings", "Say whether there is a third-place match.");
  } else if (settings.format === "double_elimination") {
    if (!grandFinals.includes(settings.grandFinal)) throw new BracketError("invalid_settings", "The grand final is none, single or reset.");
  } else {
    throw new BracketError("invalid_settings", "Playoffs are single or double elimination.");
  }
}

function validateMeetings(meetings: number): void {
  if (meetings !== 1 && meetings !== 2) throw new BracketError("invalid_settings", "Each pair meets once or twice.");
}

/**
 * A new bracket for a seeded field (seeds exactly 1..n, at least 2 entrants). BYEs are already
 * applied: matches against a BYE are decided and their entrants moved on. Refused ("too_large")
 * beyond the limits of limits.ts.
 */
export function createBracket(entrants: readonly Entrant[], settings: BracketSettings): Bracket {
  const sorted = sortedEntrants(entrants);
  if (sorted.length < 2) throw new BracketError("invalid_entrants", "A bracket needs at least two entrants.");
  validateBestOf(settings.bestOf);
  // Counted before anything is generated: an oversized bracket would exhaust memory while being built.
  const tooLarge = bracketSizeProblem(sorted.length, settings);
  if (tooLarge) throw new BracketError("too_large", tooLarge.message);
  const header = { settings, entrants: sorted, disqualified: [] as EntrantId[] };
  let groups: EntrantId[][] = [];
  let matches: Match[];
  switch (settings.format) {
    case "single_elimination":
    case "double_elimination":
      validateElimination(settings);
      matches =
        settings.format === "single_elimination"
          ? createSingleElimination(header, settings.thirdPlace)
          : createDoubleElimination(header, settings.grandFinal);
      break;
    case "round_robin":
      validateMeetings(settings.meetings);
      ({ groups, matches } = createRoundRobin(header, settings.groups, settings.meetings));
      break;
    case "swiss":
      validateSwissRounds(sorted.length, settings.rounds);
      matches = createSwiss({ ...header, groups, matches: {} });
      break;
    case "groups_playoffs":
      validateMeetings(settings.meetings);
      validateElimination(settings.playoff);
      ({ groups, matches } = createGroupsPlayoffs(header, settings.groups, settings.meetings, settings.advance, settings.playoff));
      break;
    default:
      throw new BracketError("invalid_settings", "Unknown bracket format.");
  }
  const bracket: Bracket = { ...header, groups, matches: {} };
  return { ...bracket, matches: settleNewMatches(bracket, matches) };
}
