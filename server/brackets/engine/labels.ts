// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * One public name per match: "Match 6 · Upper semifinal". The bracket card, the match page, the
 * organizer console, notifications, emails, chat rooms and the audit trail all take it from here,
 * so a match is called the same everywhere.
 *
 * The number is the match's place in one canonical order of the bracket's structure (groups by
 * round, then group, then position; Swiss by round; then the upper bracket by round and position,
 * the third-place match, the lower bracket, the grand final and its reset), so it depends only on
 * which matches exist. Swiss rounds are added later and sort after every earlier round, so a
 * number never changes once shown.
 */
import type { MatchId, StageId } from "./types";

export interface LabelledMatch {
  id: MatchId;
  stage: StageId | string;
  round: number;
  position: number;
}

export interface MatchName {
  /** 1..N over the whole bracket. */
  number: number;
  /** "Upper semifinal", "Lower round 2", "Grand final", "Swiss round 3", "Group B round 2". */
  round: string;
  /** "Match 6 · Upper semifinal" */
  label: string;
}

const SECTION: Record<string, number> = { swiss: 1, upper: 2, third_place: 3, lower: 4, grand_final: 5 };
const groupOf = (stage: string) => (stage.startsWith("group:") ? Number(stage.slice("group:".length)) : 0);
const section = (stage: string) => (stage.startsWith("group:") ? 0 : (SECTION[stage] ?? 6));

/** Sorts matches into the canonical numbering order. */
function compare(a: LabelledMatch, b: LabelledMatch): number {
  const bySection = section(a.stage) - section(b.stage);
  if (bySection !== 0) return bySection;
  return a.round - b.round || groupOf(a.stage) - groupOf(b.stage) || a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** "Group A" ... "Group Z", then "Group 27" ... */
export function groupName(group: number): string {
  return group >= 1 && group <= 26 ? `Group ${String.fromCharCode(64 + group)}` : `Group ${group}`;
}

/** Counting down from the final: final, semifinal, quarterfinal, then "round N". */
function eliminationRound(round: number, total: number): string {
  const fromEnd = total - round;
  if (fromEnd === 0) return "final";
  if (fromEnd === 1) return "semifinal";
  if (fromEnd === 2) return "quarterfinal";
  return `round ${round}`;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Every match of one bracket (all of them: the numbering depends on the whole structure) with its name. */
export function matchNames(matches: Iterable<LabelledMatch>): Map<MatchId, MatchName> {
  const list = [...matches].sort(compare);
  const lastRound = new Map<string, number>();
  const groups = new Set<string>();
  for (const match of list) {
    lastRound.set(match.stage, Math.max(lastRound.get(match.stage) ?? 0, match.round));
    if (match.stage.startsWith("group:")) groups.add(match.stage);
  }
  const double = lastRound.has("lower") || lastRound.has("grand_final");
  const names = new Map<MatchId, MatchName>();
  list.forEach((match, index) => {
    const round = roundName(match, { double, lastRound, groups: groups.size });
    names.set(match.id, { number: index + 1, round, label: `Match ${index + 1} · ${round}` });
  });
  return names;
}

function roundName(match: LabelledMatch, bracket: { double: boolean; lastRound: Map<string, number>; groups: number }): string {
  const last = bracket.lastRound.get(match.stage) ?? match.round;
  switch (match.stage) {
    case "upper": {
      const name = eliminationRound(match.round, last);
      return bracket.double ? `Upper ${name}` : capital(name);
    }
    case "lower":
      return match.round === last ? "Lower final" : `Lower round ${match.round}`;
    case "grand_final":
      return match.round === 1 ? "Grand final" : "Grand final reset";
    case "third_place":
      return "Third-place match";
    case "swiss":
      return `Swiss round ${match.round}`;
    default:
      return bracket.groups > 1 ? `${groupName(groupOf(match.stage))} round ${match.round}` : `Round ${match.round}`;
  }
}

/** The label of one match of a bracket whose matches are `all`; null when it is not among them. */
export function matchLabelIn(all: Iterable<LabelledMatch>, id: MatchId): string | null {
  return matchNames(all).get(id)?.label ?? null;
}
