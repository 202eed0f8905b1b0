// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * How much one bracket may create, checked from the entrant count and settings alone, before a
 * single match is generated: one start of a 4,096-entrant double round robin (16,773,120 matches)
 * once ran the server out of memory. Every limit is said to the organizer in words, with what to
 * change. The input schemas take their maxima from here too.
 *
 * The limits, and why:
 * - 32,768 matches per bracket: a 16,384-entrant single elimination (16,383 matches, the largest
 *   benchmarked start, about a second in one transaction) and a 16,384-entrant double elimination
 *   (32,767) fit; a start holds its transaction for about as long as it writes rows, and every
 *   row is loaded by whole-bracket operations (disqualify, Swiss pairing, the bracket page).
 * - 16,384 entrants per bracket: the benchmarked field, four times the largest capacity an event
 *   may set (4,096); it also sizes the manual seeding order and the ratings an organizer sends.
 * - 64 entrants per round robin group: every result in a group re-ranks that group (head to head
 *   over its matches, 2,016 or 4,032 of them at 64), and 63 rounds are already longer than any
 *   league season; larger fields split into groups.
 * - 512 groups: with 64 entrants each that is 32,768 entrants, more than a bracket may have.
 * - Swiss: 4,096 entrants and 20 rounds. Pairing is superlinear: measured round-1 pairing took
 *   0.3 s at 4,096, 1.8 s at 8,192 and, past 10,000 (where the search gives way to the exact
 *   matching), 23 s and more, per round. 20 rounds are more than ceil(log2 n) needs for any field
 *   here (12 at 4,096); a longer Swiss is a round robin.
 * - Best of 99 games: a match's games are kept on its row; 99 is the most any game series uses.
 */
import { bracketSize } from "./seeding";
import type { BracketSettings, EliminationSettings } from "./types";

export const MAX_BRACKET_MATCHES = 32_768;
export const MAX_BRACKET_ENTRANTS = 16_384;
export const MAX_GROUP_SIZE = 64;
export const MAX_GROUPS = 512;
export const MAX_PLAYOFF_ADVANCE = 64;
export const MAX_SWISS_ENTRANTS = 4_096;
export const MAX_SWISS_ROUNDS = 20;
export const MAX_BEST_OF = 99;
/** Named and per-round best-of overrides: more than any bracket here has rounds to name. */
export const MAX_BEST_OF_OVERRIDES = 64;

const number = (value: number) => value.toLocaleString("en-US");
const plural = (count: number, one: string, many: string) => `${number(count)} ${count === 1 ? one : many}`;

function eliminationMatches(field: number, settings: EliminationSettings): number {
  const size = bracketSize(field);
  if (settings.format === "single_elimination") return size - 1 + (settings.thirdPlace && size >= 4 ? 1 : 0);
  // Upper size - 1, lower size - 2, then the grand final and its reset as chosen.
  const finals = settings.grandFinal === "reset" ? 2 : settings.grandFinal === "single" ? 1 : 0;
  return Math.max(1, 2 * size - 3 + finals);
}

/** Group sizes as snakeGroups deals them: the first n mod g groups have one entrant more. */
function groupSizes(entrants: number, groups: number): { largest: number; matches: (meetings: number) => number } {
  const base = Math.floor(entrants / groups);
  const larger = entrants % groups;
  const pairs = (size: number) => (size * (size - 1)) / 2;
  return {
    largest: larger > 0 ? base + 1 : base,
    matches: (meetings) => meetings * (larger * pairs(base + 1) + (groups - larger) * pairs(base)),
  };
}

/**
 * Every match the bracket will hold: what createBracket generates, and for Swiss every round it
 * will pair (ceil(n / 2) matches each, the BYE included).
 */
export function plannedMatches(entrants: number, settings: BracketSettings): number {
  switch (settings.format) {
    case "single_elimination":
    case "double_elimination":
      return eliminationMatches(entrants, settings);
    case "swiss":
      return settings.rounds * Math.ceil(entrants / 2);
    case "round_robin":
      return groupSizes(entrants, settings.groups).matches(settings.meetings);
    case "groups_playoffs":
      return (
        groupSizes(entrants, settings.groups).matches(settings.meetings) +
        eliminationMatches(settings.groups * settings.advance, settings.playoff)
      );
  }
}

export interface SizeProblem {
  /** The organizer's setting to change (null: the field itself is too large for this format). */
  setting: "groups" | "rounds" | "advance" | null;
  message: string;
}

const formatName: Record<BracketSettings["format"], string> = {
  single_elimination: "single elimination",
  double_elimination: "double elimination",
  swiss: "Swiss",
  round_robin: "round robin",
  groups_playoffs: "round robin",
};

/** The fewest groups (within MAX_GROUPS, two entrants each) whose groups and matches fit, or null. */
function fewestGroupsThatFit(entrants: number, meetings: number, from: number): number | null {
  for (let groups = Math.max(1, from); groups <= Math.min(MAX_GROUPS, Math.floor(entrants / 2)); groups++) {
    const sizes = groupSizes(entrants, groups);
    if (sizes.largest <= MAX_GROUP_SIZE && sizes.matches(meetings) <= MAX_BRACKET_MATCHES) return groups;
  }
  return null;
}

function roundRobinProblem(entrants: number, groups: number, meetings: 1 | 2): SizeProblem | null {
  const sizes = groupSizes(entrants, groups);
  const matches = sizes.matches(meetings);
  if (sizes.largest <= MAX_GROUP_SIZE && matches <= MAX_BRACKET_MATCHES) return null;
  const twice = meetings === 2 ? ", each pair meeting twice," : "";
  const what = `A round robin of ${plural(entrants, "entrant", "entrants")} in ${plural(groups, "group", "groups")}${twice} would create ${number(matches)} matches`;
  const limit =
    sizes.largest > MAX_GROUP_SIZE
      ? ` in groups of up to ${number(sizes.largest)}; a group may have at most ${MAX_GROUP_SIZE} entrants and a bracket at most ${number(MAX_BRACKET_MATCHES)} matches.`
      : `; a bracket may have at most ${number(MAX_BRACKET_MATCHES)}.`;
  const fit = fewestGroupsThatFit(entrants, meetings, groups + 1);
  const advice =
    fit !== null
      ? `Split the entrants into at least ${number(fit)} groups (of at most ${groupSizes(entrants, fit).largest}).`
      : meetings === 2 && fewestGroupsThatFit(entrants, 1, 1) !== null
        ? "Have each pair meet once, in more groups."
        : `Even ${MAX_GROUPS} groups would be too many: use fewer entrants or an elimination format.`;
  return { setting: "groups", message: `${what}${limit} ${advice}` };
}

/**
 * Why a bracket of `entrants` with `settings` may not be created, in the organizer's words, or
 * null when it fits. Cheap: it counts, it generates nothing.
 */
export function bracketSizeProblem(entrants: number, settings: BracketSettings): SizeProblem | null {
  const name = formatName[settings.format];
  if (entrants > MAX_BRACKET_ENTRANTS) {
    return {
      setting: null,
      message: `A bracket may have at most ${number(MAX_BRACKET_ENTRANTS)} entrants; ${number(entrants)} have checked in.`,
    };
  }
  if (settings.format === "swiss") {
    if (entrants > MAX_SWISS_ENTRANTS) {
      return {
        setting: null,
        message: `A Swiss bracket may have at most ${number(MAX_SWISS_ENTRANTS)} entrants, as larger fields take too long to pair; ${number(entrants)} have checked in.`,
      };
    }
    if (settings.rounds > MAX_SWISS_ROUNDS) return { setting: "rounds", message: `A Swiss may have at most ${MAX_SWISS_ROUNDS} rounds.` };
  }
  if (settings.format === "round_robin" || settings.format === "groups_playoffs") {
    if (settings.groups > MAX_GROUPS) return { setting: "groups", message: `A round robin may have at most ${MAX_GROUPS} groups.` };
    const problem = roundRobinProblem(entrants, settings.groups, settings.meetings);
    if (problem) return problem;
  }
  const matches = plannedMatches(entrants, settings);
  if (matches <= MAX_BRACKET_MATCHES) return null;
  const limit = `a bracket may have at most ${number(MAX_BRACKET_MATCHES)}.`;
  if (settings.format === "swiss") {
    const rounds = Math.floor(MAX_BRACKET_MATCHES / Math.ceil(entrants / 2));
    return {
      setting: "rounds",
      message: `A Swiss of ${number(entrants)} entrants over ${settings.rounds} rounds would create ${number(matches)} matches; ${limit} Play at most ${rounds} rounds.`,
    };
  }
  if (settings.format === "groups_playoffs") {
    return {
      setting: "advance",
      message: `With ${settings.advance} of each of ${number(settings.groups)} groups advancing, the bracket would have ${number(matches)} matches; ${limit} Let fewer advance.`,
    };
  }
  return { setting: null, message: `A ${name} of ${number(entrants)} entrants would create ${number(matches)} matches; ${limit}` };
}
