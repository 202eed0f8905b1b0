/**
 * Where every card of an elimination bracket goes, computed once per bracket shape (match ids and
 * their wiring; results never move a card), so panning, zooming and live results redraw nothing
 * but what changed.
 *
 * Each round is a column. First rounds stack top to bottom; a later match sits midway between its
 * two feeders, and a match with one feeder in its own section (a lower-bracket round where upper
 * losers drop in) lines the side that feeder fills up with it, so its connector runs straight.
 * Double elimination draws the upper bracket above the lower one; the grand final (and the reset
 * beside it) stands right of both, between the two finalists. A third-place match sits under the
 * final. Connectors go from a card's right edge to the row it feeds on the next card (or to the
 * middle of a card both of whose sides come from the same match, like the reset).
 */
import type { Match, MatchId, Side, StageId } from "@/server/brackets/engine/types";

export interface LayoutMetrics {
  cardWidth: number;
  rowHeight: number;
  /** Horizontal space between columns, where connectors bend. */
  columnGap: number;
  /** Vertical space between cards of a first round. */
  slotGap: number;
  /** Column headers (round name, best-of). */
  headerHeight: number;
  /** "Upper bracket" / "Lower bracket" above the headers (double elimination). */
  sectionTitleHeight: number;
  sectionGap: number;
  /** A label right above a card (grand final, reset, third place): name and best-of. */
  captionHeight: number;
  /** Space under the reset for "not needed" and similar notes. */
  noteHeight: number;
  padding: number;
}

export const standardMetrics: LayoutMetrics = {
  cardWidth: 244,
  rowHeight: 30,
  columnGap: 48,
  slotGap: 18,
  headerHeight: 44,
  sectionTitleHeight: 34,
  sectionGap: 40,
  captionHeight: 40,
  noteHeight: 48,
  padding: 16,
};

/** Larger cards and text for stream overlays. */
export const embedMetrics: LayoutMetrics = {
  cardWidth: 292,
  rowHeight: 38,
  columnGap: 56,
  slotGap: 22,
  headerHeight: 48,
  sectionTitleHeight: 40,
  sectionGap: 44,
  captionHeight: 44,
  noteHeight: 56,
  padding: 16,
};

/** Two rows plus a 1 px border above and below. */
export function cardHeight(metrics: LayoutMetrics): number {
  return 2 * metrics.rowHeight + 2;
}

/** The middle of a side's row, from the card's top edge. */
export function rowCenter(metrics: LayoutMetrics, side: Side): number {
  return 1 + metrics.rowHeight * side + metrics.rowHeight / 2;
}

export type SectionId = "upper" | "lower" | "finals";

export interface LayoutColumn {
  /** "upper:2", "lower:5", "grand_final:1", "third_place:1" */
  key: string;
  stage: StageId;
  round: number;
  section: SectionId;
  x: number;
  /** Top of the column header; null where cards carry their own caption (grand final, third place). */
  headerY: number | null;
  /** Vertical extent of the column (header to last card), for highlighting the current round. */
  top: number;
  bottom: number;
  matchIds: MatchId[];
  /** 1-based position among its section's columns, and how many the section has. */
  index: number;
  count: number;
}

export interface LayoutBox {
  x: number;
  y: number;
  /** Index into `columns`. */
  column: number;
}

export interface LayoutCaption {
  match: MatchId;
  x: number;
  y: number;
}

export interface LayoutConnector {
  from: MatchId;
  to: MatchId;
  /** The side of `to` that `from` fills; null when it fills both (drawn to the card's middle). */
  side: Side | null;
  /** SVG path data. */
  d: string;
}

export interface LayoutSection {
  id: "upper" | "lower";
  /** Top of the section title; null when there is one section (no title). */
  titleY: number | null;
  top: number;
  bottom: number;
}

export interface EliminationLayout {
  width: number;
  height: number;
  metrics: LayoutMetrics;
  cardHeight: number;
  boxes: Record<MatchId, LayoutBox>;
  /** Every laid-out match, in tab order: by section, then round, then top to bottom. */
  order: MatchId[];
  columns: LayoutColumn[];
  connectors: LayoutConnector[];
  /** Labels above single cards: grand final, reset, third place. */
  captions: LayoutCaption[];
  /** Room for a note under a card: the reset ("not needed"). */
  notes: LayoutCaption[];
  sections: LayoutSection[];
}

export interface LayoutOptions {
  /** Double elimination: titled upper and lower sections. */
  double: boolean;
  metrics?: LayoutMetrics;
}

const drawnStages = new Set<StageId>(["upper", "lower", "grand_final", "third_place"]);

function byRound(matches: readonly Match[]): Match[][] {
  const rounds = new Map<number, Match[]>();
  for (const match of matches) {
    const list = rounds.get(match.round);
    if (list) list.push(match);
    else rounds.set(match.round, [match]);
  }
  return [...rounds.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list.sort((a, b) => a.position - b.position));
}

/** Lays out the elimination matches among `matches` (group and Swiss matches are ignored). */
export function layoutElimination(matches: readonly Match[], options: LayoutOptions): EliminationLayout {
  const metrics = options.metrics ?? standardMetrics;
  const { cardWidth, columnGap, slotGap, padding } = metrics;
  const height = cardHeight(metrics);
  const pitchX = cardWidth + columnGap;

  const stages = { upper: [] as Match[], lower: [] as Match[], grand_final: [] as Match[], third_place: [] as Match[] };
  const byId = new Map<MatchId, Match>();
  for (const match of matches) {
    if (!drawnStages.has(match.stage)) continue;
    stages[match.stage as keyof typeof stages].push(match);
    byId.set(match.id, match);
  }

  // Who feeds each match, through which side: the matches a connector is drawn from.
  const feeders = new Map<MatchId, { from: Match; side: Side }[]>();
  for (const match of byId.values()) {
    for (const ref of [match.nextWin, match.nextLose]) {
      const target = ref ? byId.get(ref.match) : undefined;
      if (!ref || !target) continue;
      // Drops into the lower bracket and semifinal losers into the third-place match are not drawn:
      // their cards say "Loser of 5" instead of a line across the bracket.
      const sameStage = target.stage === match.stage && (match.stage === "upper" || match.stage === "lower");
      if (!sameStage && target.stage !== "grand_final") continue;
      const list = feeders.get(target.id);
      if (list) list.push({ from: match, side: ref.side });
      else feeders.set(target.id, [{ from: match, side: ref.side }]);
    }
  }

  const boxes: Record<MatchId, LayoutBox> = {};
  const columns: LayoutColumn[] = [];
  const sections: LayoutSection[] = [];
  const captions: LayoutCaption[] = [];
  const notes: LayoutCaption[] = [];
  const order: MatchId[] = [];
  const center = (id: MatchId) => boxes[id]!.y + height / 2;

  const placeSection = (id: "upper" | "lower", list: readonly Match[], top: number): number => {
    const rounds = byRound(list);
    const titleY = options.double ? top : null;
    const headerY = top + (options.double ? metrics.sectionTitleHeight : 0);
    const cardsTop = headerY + metrics.headerHeight;
    let bottom = cardsTop;
    const sectionColumns: LayoutColumn[] = [];
    rounds.forEach((round, roundIndex) => {
      const x = padding + roundIndex * pitchX;
      const column: LayoutColumn = {
        key: `${id}:${round[0]!.round}`,
        stage: id,
        round: round[0]!.round,
        section: id,
        x,
        headerY,
        top: headerY,
        bottom: cardsTop,
        matchIds: [],
        index: roundIndex + 1,
        count: rounds.length,
      };
      const columnIndex = columns.push(column) - 1;
      sectionColumns.push(column);
      let lastBottom = -Infinity;
      for (const match of round) {
        const fed = (feeders.get(match.id) ?? []).filter((feeder) => boxes[feeder.from.id]);
        let y: number;
        if (fed.length >= 2) {
          const centers = fed.map((feeder) => center(feeder.from.id));
          y = (Math.min(...centers) + Math.max(...centers)) / 2 - height / 2;
        } else if (fed.length === 1) {
          y = center(fed[0]!.from.id) - rowCenter(metrics, fed[0]!.side);
        } else {
          y = lastBottom === -Infinity ? cardsTop : lastBottom + slotGap;
        }
        y = Math.max(y, cardsTop, lastBottom + slotGap);
        boxes[match.id] = { x, y, column: columnIndex };
        column.matchIds.push(match.id);
        order.push(match.id);
        lastBottom = y + height;
        column.bottom = lastBottom;
        bottom = Math.max(bottom, lastBottom);
      }
    });
    for (const column of sectionColumns) column.bottom = bottom;
    sections.push({ id, titleY, top, bottom });
    return bottom;
  };

  let bottom = padding;
  if (stages.upper.length > 0) bottom = placeSection("upper", stages.upper, padding);

  // Third place: under the final, in the final's column.
  const finalColumn = columns.length > 0 ? columns[columns.length - 1]! : null;
  for (const third of stages.third_place) {
    const final = finalColumn ? boxes[finalColumn.matchIds[0]!] : undefined;
    const x = final ? final.x : padding;
    const y = (final ? final.y + height : bottom) + 2 * slotGap + metrics.captionHeight;
    const column: LayoutColumn = {
      key: `third_place:${third.round}`,
      stage: "third_place",
      round: third.round,
      section: "finals",
      x,
      headerY: null,
      top: y - metrics.captionHeight,
      bottom: y + height,
      matchIds: [third.id],
      index: 1,
      count: 1,
    };
    boxes[third.id] = { x, y, column: columns.push(column) - 1 };
    captions.push({ match: third.id, x, y: y - metrics.captionHeight });
    order.push(third.id);
    bottom = Math.max(bottom, y + height);
  }

  if (stages.lower.length > 0) bottom = placeSection("lower", stages.lower, bottom + metrics.sectionGap);

  // Grand final: right of both brackets, between the finalists; the reset beside it.
  const upperRounds = columns.filter((column) => column.section === "upper").length;
  const lowerRounds = columns.filter((column) => column.section === "lower").length;
  const finalsColumn = Math.max(upperRounds, lowerRounds);
  const grandFinals = byRound(stages.grand_final).flat();
  grandFinals.forEach((match, index) => {
    const fed = (feeders.get(match.id) ?? []).filter((feeder) => boxes[feeder.from.id]);
    const centers = [...new Set(fed.map((feeder) => feeder.from.id))].map(center);
    let y = centers.length > 0 ? (Math.min(...centers) + Math.max(...centers)) / 2 - height / 2 : padding + metrics.captionHeight;
    y = Math.max(y, padding + metrics.captionHeight);
    const x = padding + (finalsColumn + index) * pitchX;
    const column: LayoutColumn = {
      key: `grand_final:${match.round}`,
      stage: "grand_final",
      round: match.round,
      section: "finals",
      x,
      headerY: null,
      top: y - metrics.captionHeight,
      bottom: y + height,
      matchIds: [match.id],
      index: index + 1,
      count: grandFinals.length,
    };
    boxes[match.id] = { x, y, column: columns.push(column) - 1 };
    captions.push({ match: match.id, x, y: y - metrics.captionHeight });
    order.push(match.id);
    bottom = Math.max(bottom, y + height);
    if (match.playedIf) {
      notes.push({ match: match.id, x, y: y + height + 6 });
      bottom = Math.max(bottom, y + height + metrics.noteHeight);
    }
  });

  // Connectors: one per (from, to), to the fed row, or to the middle when `from` fills both sides.
  const connectors: LayoutConnector[] = [];
  for (const [to, fed] of feeders) {
    const target = boxes[to];
    if (!target) continue;
    const sources = new Map<MatchId, Side[]>();
    for (const feeder of fed) sources.set(feeder.from.id, [...(sources.get(feeder.from.id) ?? []), feeder.side]);
    for (const [from, sides] of sources) {
      const source = boxes[from];
      if (!source) continue;
      const side = sides.length === 1 ? sides[0]! : null;
      const sx = source.x + cardWidth;
      const sy = source.y + height / 2;
      const ex = target.x;
      const ey = target.y + (side === null ? height / 2 : rowCenter(metrics, side));
      const mid = ex - columnGap / 2;
      connectors.push({ from, to, side, d: `M${sx} ${sy}H${mid}V${ey}H${ex}` });
    }
  }

  let right = 0;
  for (const id in boxes) right = Math.max(right, boxes[id]!.x + cardWidth);
  return {
    width: right + padding,
    height: bottom + padding,
    metrics,
    cardHeight: height,
    boxes,
    order,
    columns,
    connectors,
    captions,
    notes,
    sections,
  };
}

/** The shape of a bracket as far as the layout cares: its elimination match ids, in order. */
export function layoutKey(matches: readonly Match[], options: LayoutOptions): string {
  let key = `${options.double ? "d" : "s"}:${options.metrics?.cardWidth ?? standardMetrics.cardWidth}:${options.metrics?.rowHeight ?? standardMetrics.rowHeight}`;
  for (const match of matches) if (drawnStages.has(match.stage)) key += `|${match.id}`;
  return key;
}

const cache = new Map<string, EliminationLayout>();

/** `layoutElimination`, remembered for the last few bracket shapes (a live update reuses the layout). */
export function cachedLayout(matches: readonly Match[], options: LayoutOptions): EliminationLayout {
  const key = layoutKey(matches, options);
  const known = cache.get(key);
  if (known) return known;
  const layout = layoutElimination(matches, options);
  cache.set(key, layout);
  if (cache.size > 8) cache.delete(cache.keys().next().value!);
  return layout;
}
