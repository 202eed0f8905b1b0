import { describe, expect, it } from "vitest";
import { createBracket, type BracketSettings, type Match } from "@/server/brackets/engine";
import { field } from "@/server/brackets/engine/testing";
import { cachedLayout, cardHeight, embedMetrics, layoutElimination, rowCenter, standardMetrics, type EliminationLayout } from "./layout";

function matchesOf(count: number, settings: BracketSettings): Match[] {
  return Object.values(createBracket(field(count), settings).matches);
}

const shapes: { name: string; count: number; settings: BracketSettings; double: boolean }[] = [
  ...[2, 3, 4, 8, 13, 16, 33].map((count) => ({
    name: `SE ${count}`,
    count,
    settings: { format: "single_elimination", thirdPlace: true } as const,
    double: false,
  })),
  ...[2, 3, 4, 8, 12, 16, 256].map((count) => ({
    name: `DE ${count} reset`,
    count,
    settings: { format: "double_elimination", grandFinal: "reset" } as const,
    double: true,
  })),
  { name: "DE 8 single", count: 8, settings: { format: "double_elimination", grandFinal: "single" }, double: true },
  { name: "DE 8 none", count: 8, settings: { format: "double_elimination", grandFinal: "none" }, double: true },
  {
    name: "groups into DE playoffs",
    count: 16,
    settings: {
      format: "groups_playoffs",
      groups: 4,
      meetings: 1,
      advance: 2,
      playoff: { format: "double_elimination", grandFinal: "reset" },
    },
    double: true,
  },
];

function overlaps(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function checkLayout(layout: EliminationLayout, matches: Match[]) {
  const { cardWidth } = layout.metrics;
  const h = cardHeight(layout.metrics);
  const elimination = matches.filter((match) => !match.stage.startsWith("group:"));
  expect(Object.keys(layout.boxes).sort()).toEqual(elimination.map((match) => match.id).sort());
  expect(new Set(layout.order).size).toBe(elimination.length);

  // Cards never overlap each other, captions or notes, and stay inside the drawing.
  const rects = Object.entries(layout.boxes).map(([id, box]) => ({ id, x: box.x, y: box.y, w: cardWidth, h }));
  const labels = [...layout.captions, ...layout.notes.map((note) => ({ ...note, y: note.y }))].map((label) => ({
    id: `label:${label.match}`,
    x: label.x,
    y: label.y,
    w: cardWidth,
    h: layout.notes.includes(label) ? layout.metrics.noteHeight - 8 : layout.metrics.captionHeight - 2,
  }));
  const all = [...rects, ...labels];
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(a.x + a.w).toBeLessThanOrEqual(layout.width);
    expect(a.y + a.h).toBeLessThanOrEqual(layout.height);
    for (let j = i + 1; j < all.length; j++) {
      if (overlaps(a, all[j]!)) throw new Error(`${a.id} overlaps ${all[j]!.id}`);
    }
  }
  // Column headers sit above every card of their column.
  for (const column of layout.columns) {
    if (column.headerY === null) continue;
    for (const id of column.matchIds) expect(layout.boxes[id]!.y).toBeGreaterThanOrEqual(column.headerY + layout.metrics.headerHeight);
  }

  // A match drawn between two feeders sits between them.
  for (const connector of layout.connectors) {
    const siblings = layout.connectors.filter((other) => other.to === connector.to);
    if (siblings.length !== 2) continue;
    const centers = siblings.map((other) => layout.boxes[other.from]!.y + h / 2);
    const middle = layout.boxes[connector.to]!.y + h / 2;
    expect(middle).toBeGreaterThanOrEqual(Math.min(...centers));
    expect(middle).toBeLessThanOrEqual(Math.max(...centers));
  }

  // Lines start at the source's right edge and end on the fed row of the target's left edge.
  for (const connector of layout.connectors) {
    const from = layout.boxes[connector.from]!;
    const to = layout.boxes[connector.to]!;
    const numbers = connector.d.match(/-?\d+(\.\d+)?/g)!.map(Number);
    const [sx, sy, , ey, ex] = numbers;
    expect(sx).toBe(from.x + cardWidth);
    expect(sy).toBe(from.y + h / 2);
    expect(ex).toBe(to.x);
    expect(ey).toBe(to.y + (connector.side === null ? h / 2 : rowCenter(layout.metrics, connector.side)));
    expect(to.x).toBeGreaterThan(from.x);
  }

  // Columns: rounds left to right within a section, each card in its column, finals right of everything.
  for (const section of ["upper", "lower"] as const) {
    const columns = layout.columns.filter((column) => column.section === section);
    for (let i = 1; i < columns.length; i++) {
      expect(columns[i]!.x).toBeGreaterThan(columns[i - 1]!.x + cardWidth);
      expect(columns[i]!.round).toBeGreaterThan(columns[i - 1]!.round);
    }
  }
  for (const [id, box] of Object.entries(layout.boxes)) {
    const column = layout.columns[box.column]!;
    expect(column.matchIds).toContain(id);
    expect(box.x).toBe(column.x);
  }
  const bracketRight = Math.max(0, ...layout.columns.filter((column) => column.section !== "finals").map((column) => column.x));
  for (const column of layout.columns.filter((column) => column.stage === "grand_final")) expect(column.x).toBeGreaterThan(bracketRight);
}

describe("elimination layout", () => {
  for (const shape of shapes) {
    it(`places ${shape.name} without overlaps, between feeders, columns in order`, () => {
      const matches = matchesOf(shape.count, shape.settings);
      checkLayout(layoutElimination(matches, { double: shape.double }), matches);
    });
  }

  it("lays out the larger embed cards just as cleanly", () => {
    const matches = matchesOf(16, { format: "double_elimination", grandFinal: "reset" });
    checkLayout(layoutElimination(matches, { double: true, metrics: embedMetrics }), matches);
  });

  it("stacks the first round and halves the rounds of single elimination", () => {
    const layout = layoutElimination(matchesOf(8, { format: "single_elimination", thirdPlace: false }), { double: false });
    expect(layout.columns.map((column) => column.matchIds.length)).toEqual([4, 2, 1]);
    const h = cardHeight(standardMetrics);
    const first = layout.columns[0]!.matchIds.map((id) => layout.boxes[id]!.y);
    expect(first.slice(1).map((y, i) => y - first[i]!)).toEqual([1, 2, 3].map(() => h + standardMetrics.slotGap));
    expect(layout.connectors).toHaveLength(6);
  });

  it("puts the third-place match under the final, the reset beside the grand final", () => {
    const se = layoutElimination(matchesOf(8, { format: "single_elimination", thirdPlace: true }), { double: false });
    expect(se.boxes.TP!.x).toBe(se.boxes["U-R3-M1"]!.x);
    expect(se.boxes.TP!.y).toBeGreaterThan(se.boxes["U-R3-M1"]!.y);
    const de = layoutElimination(matchesOf(8, { format: "double_elimination", grandFinal: "reset" }), { double: true });
    expect(de.boxes["GF-2"]!.y).toBe(de.boxes["GF-1"]!.y);
    expect(de.connectors.filter((connector) => connector.to === "GF-2")).toEqual([expect.objectContaining({ from: "GF-1", side: null })]);
    expect(de.notes.map((note) => note.match)).toEqual(["GF-2"]);
    expect(de.sections.map((section) => section.id)).toEqual(["upper", "lower"]);
    expect(de.sections[1]!.top).toBeGreaterThan(de.sections[0]!.bottom);
  });

  it("orders cards for the keyboard by section, round and position", () => {
    const layout = layoutElimination(matchesOf(4, { format: "double_elimination", grandFinal: "reset" }), { double: true });
    expect(layout.order).toEqual(["U-R1-M1", "U-R1-M2", "U-R2-M1", "L-R1-M1", "L-R2-M1", "GF-1", "GF-2"]);
  });

  it("lays out 256 double elimination quickly and remembers it", () => {
    const matches = matchesOf(256, { format: "double_elimination", grandFinal: "reset" });
    const started = performance.now();
    const layout = cachedLayout(matches, { double: true });
    expect(performance.now() - started).toBeLessThan(200);
    expect(Object.keys(layout.boxes)).toHaveLength(511);
    expect(
      cachedLayout(
        matches.map((match) => ({ ...match })),
        { double: true },
      ),
    ).toBe(layout);
  });
});
