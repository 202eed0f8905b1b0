// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * How results move through a bracket. One rule, used by generation, reporting, corrections and
 * disqualification alike: when a match's winner or loser changes, the side it feeds (`nextWin` /
 * `nextLose`) takes the new occupant; a match whose participant changed loses its games and manual
 * result; automatic results (walkover, disqualification, not played) are recomputed from the sides.
 * The walk visits only matches downstream of the change.
 */
import { computeGroupTable, groupMatchIds } from "./round-robin";
import { bracketSize } from "./seeding";
import {
  BracketError,
  type Bracket,
  type BracketUpdate,
  type EntrantId,
  type Match,
  type MatchId,
  type MatchResult,
  type MatchSide,
  type ResultKind,
  type SideRef,
} from "./types";

/** An entrant id, null for nobody (the side stays empty), undefined while not yet known. */
export type Occupant = EntrantId | null | undefined;

const notPlayed: MatchResult = { kind: "not_played", winner: null };

export function isManual(kind: ResultKind): boolean {
  return kind === "played" || kind === "forfeit" || kind === "double_forfeit";
}

export function occupantOf(side: MatchSide): Occupant {
  return side.entrant ?? (side.bye ? null : undefined);
}

/** Who leaves `match` as its winner or loser. */
export function outputOf(match: Match, take: "winner" | "loser"): Occupant {
  const result = match.result;
  if (!result) return undefined;
  if (result.winner === null) return null;
  const side = take === "winner" ? result.winner : 1 - result.winner;
  return match.sides[side]!.entrant;
}

function withOccupant(side: MatchSide, occupant: Occupant): MatchSide {
  return { source: side.source, entrant: occupant ?? null, bye: occupant === null };
}

/** Reads a bracket and collects new versions of the matches an operation touches. */
export class Draft {
  private readonly current = new Map<MatchId, Match>();
  private readonly disqualifiedSet: ReadonlySet<EntrantId>;

  /** `inPlace`: write straight into `bracket.matches` (only for matches the caller just created). */
  constructor(
    readonly bracket: Bracket,
    disqualified: readonly EntrantId[] = bracket.disqualified,
    private readonly inPlace = false,
  ) {
    this.disqualifiedSet = new Set(disqualified);
  }

  get(id: MatchId): Match {
    const match = (this.inPlace ? undefined : this.current.get(id)) ?? this.bracket.matches[id];
    if (!match) throw new BracketError("match_not_found", `There is no match ${id}.`);
    return match;
  }

  put(match: Match): void {
    if (this.inPlace) this.bracket.matches[match.id] = match;
    else this.current.set(match.id, match);
  }

  isDisqualified(entrant: EntrantId): boolean {
    return this.disqualifiedSet.has(entrant);
  }

  finish(actedOn: MatchId | null): BracketUpdate {
    const matches: Match[] = [];
    const reset: MatchId[] = [];
    for (const [id, after] of this.current) {
      const before = this.bracket.matches[id];
      if (before && sameMatch(before, after)) continue;
      matches.push(after);
      if (before && id !== actedOn && wasReset(before, after)) reset.push(id);
    }
    return { matches, reset };
  }
}

function sameResult(a: MatchResult | null, b: MatchResult | null): boolean {
  return a === b || (a !== null && b !== null && a.kind === b.kind && a.winner === b.winner);
}

function sameGames(a: Match, b: Match): boolean {
  if (a.games === b.games) return true;
  if (a.games.length !== b.games.length) return false;
  return a.games.every((game, i) => {
    const other = b.games[i]!;
    return game.winner === other.winner && game.score?.[0] === other.score?.[0] && game.score?.[1] === other.score?.[1];
  });
}

function sameMatch(a: Match, b: Match): boolean {
  return (
    a.status === b.status &&
    sameResult(a.result, b.result) &&
    occupantOf(a.sides[0]) === occupantOf(b.sides[0]) &&
    occupantOf(a.sides[1]) === occupantOf(b.sides[1]) &&
    sameGames(a, b)
  );
}

/** A match lost something it already had: a known participant, games, or a decision. */
function wasReset(before: Match, after: Match): boolean {
  for (const side of [0, 1] as const) {
    const old = occupantOf(before.sides[side]);
    if (old !== undefined && occupantOf(after.sides[side]) !== old) return true;
  }
  if (before.games.length > 0 && !sameGames(before, after)) return true;
  return before.result !== null && !sameResult(before.result, after.result);
}

function decided(match: Match, result: MatchResult | null, status: Match["status"]): Match {
  if (match.status === status && sameResult(match.result, result)) return match;
  return { ...match, result, status };
}

/** The match's status and automatic result, from its sides (manual results are kept). */
function settle(draft: Draft, match: Match): Match {
  if (match.result && isManual(match.result.kind)) return decided(match, match.result, "completed");
  if (match.playedIf) {
    const condition = draft.get(match.playedIf.match).result;
    if (condition && condition.winner !== match.playedIf.winner) {
      const blank = (side: MatchSide): MatchSide => ({ source: side.source, entrant: null, bye: false });
      return { ...match, sides: [blank(match.sides[0]), blank(match.sides[1])], games: [], result: notPlayed, status: "skipped" };
    }
  }
  const a = occupantOf(match.sides[0]);
  const b = occupantOf(match.sides[1]);
  if (a === undefined || b === undefined) return decided(match, null, "pending");
  if (a === null && b === null) return decided(match, notPlayed, "skipped");
  if (a === null || b === null) {
    const present = (a ?? b)!;
    // A disqualified entrant does not advance even on a walkover.
    if (draft.isDisqualified(present)) return decided(match, notPlayed, "skipped");
    return decided(match, { kind: "walkover", winner: a === null ? 1 : 0 }, "bye");
  }
  const outA = draft.isDisqualified(a);
  const outB = draft.isDisqualified(b);
  if (outA || outB) {
    return decided(match, { kind: "disqualification", winner: outA && outB ? null : outA ? 1 : 0 }, "completed");
  }
  return decided(match, null, match.games.length > 0 ? "in_progress" : "ready");
}

/**
 * Stores `next` (a new version of a match: sides, games or result changed), settles it, and carries
 * any change of its winner or loser on to the matches it feeds.
 */
export function commit(draft: Draft, next: Match): void {
  const previous = draft.get(next.id);
  const settled = settle(draft, next);
  draft.put(settled);
  if (settled.nextWin) feed(draft, settled.nextWin, outputOf(settled, "winner"), settled.id);
  if (settled.nextLose) feed(draft, settled.nextLose, outputOf(settled, "loser"), settled.id);
  if (settled.stage.startsWith("group:") && draft.bracket.settings.format === "groups_playoffs" && !sameMatch(previous, settled)) {
    feedPlayoffsFromGroup(draft, Number(settled.stage.slice("group:".length)));
  }
}

function feed(draft: Draft, ref: SideRef, occupant: Occupant, from: MatchId | null): void {
  const target = draft.get(ref.match);
  const side = target.sides[ref.side];
  if (occupantOf(side) === occupant) {
    // The grand final reset also depends on who won GF-1, not only on who comes out of it.
    if (from !== null && target.playedIf?.match === from) commit(draft, target);
    return;
  }
  const sides: [MatchSide, MatchSide] =
    ref.side === 0 ? [withOccupant(side, occupant), target.sides[1]] : [target.sides[0], withOccupant(side, occupant)];
  // A participant changed: whatever was played or decided here no longer holds.
  commit(draft, { ...target, sides, games: [], result: null });
}

/**
 * Groups into playoffs: once every match of `group` is decided its final ranks fill the playoff
 * sides that wait for them (a rank the group does not have leaves the side empty); while the group
 * is unfinished, those sides are unknown.
 */
export function feedPlayoffsFromGroup(draft: Draft, group: number): void {
  const settings = draft.bracket.settings;
  if (settings.format !== "groups_playoffs") return;
  const members = draft.bracket.groups[group - 1] ?? [];
  const matches = groupMatchIds(group, members.length, settings.meetings).map((id) => draft.get(id));
  const complete = matches.every((match) => match.result !== null);
  const table = complete ? computeGroupTable(draft.bracket, members, matches, (id) => draft.isDisqualified(id)) : null;
  const firstRound = bracketSize(settings.groups * settings.advance) / 2;
  for (let position = 1; position <= firstRound; position++) {
    const match = draft.get(`U-R1-M${position}`);
    for (const side of [0, 1] as const) {
      const source = match.sides[side].source;
      if (source?.kind !== "group" || source.group !== group) continue;
      feed(draft, { match: match.id, side }, table ? (table[source.rank - 1]?.entrant ?? null) : undefined, null);
    }
  }
}

/**
 * Settles freshly generated matches in drawing order (so BYEs advance through the bracket) and
 * returns them as a record.
 */
export function settleNewMatches(bracket: Bracket, ordered: readonly Match[]): Record<MatchId, Match> {
  const matches: Record<MatchId, Match> = {};
  for (const match of ordered) matches[match.id] = match;
  const draft = new Draft({ ...bracket, matches }, bracket.disqualified, true);
  for (const match of ordered) {
    // A match with both sides still undecided is pending as built; it is settled when fed.
    const [a, b] = match.sides;
    if (a.entrant === null && !a.bye && b.entrant === null && !b.bye) continue;
    commit(draft, matches[match.id]!);
  }
  return matches;
}

/** Merges an update into an in-memory bracket (O(bracket): use the update's rows for storage). */
export function applyUpdate(bracket: Bracket, update: BracketUpdate): Bracket {
  const matches = { ...bracket.matches };
  for (const match of update.matches) matches[match.id] = match;
  return { ...bracket, matches, disqualified: update.disqualified ?? bracket.disqualified };
}
