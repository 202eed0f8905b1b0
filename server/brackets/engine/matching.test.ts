import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maximumMatching } from "./matching";

/** Size of a maximum matching by exhaustive search (small graphs only). */
function bruteForce(count: number, edges: Set<string>): number {
  const best = (free: number[]): number => {
    if (free.length < 2) return 0;
    const [first, ...rest] = free;
    let size = best(rest);
    for (const other of rest) {
      if (edges.has(`${first}-${other}`)) size = Math.max(size, 1 + best(rest.filter((v) => v !== other)));
    }
    return size;
  };
  return best(Array.from({ length: count }, (_, i) => i));
}

describe("maximum matching", () => {
  it("matches brute force on random graphs, from any valid starting matching", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.integer(), (count, density, seed) => {
        let state = seed >>> 0;
        const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
        const edges = new Set<string>();
        for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) if (random() < density) edges.add(`${a}-${b}`);
        const allowed = (a: number, b: number) => edges.has(a < b ? `${a}-${b}` : `${b}-${a}`);
        // A greedy start, as Swiss pairing gives it.
        const initial = new Array<number>(count).fill(-1);
        for (let a = 0; a < count; a++) {
          if (initial[a] !== -1) continue;
          const partner = Array.from({ length: count - a - 1 }, (_, i) => a + 1 + i).find((b) => initial[b] === -1 && allowed(a, b));
          if (partner !== undefined) {
            initial[a] = partner;
            initial[partner] = a;
          }
        }
        const match = maximumMatching(count, allowed, initial);
        let size = 0;
        match.forEach((partner, v) => {
          if (partner === -1) return;
          expect(match[partner]).toBe(v);
          expect(allowed(v, partner)).toBe(true);
          if (v < partner) size++;
        });
        expect(size).toBe(bruteForce(count, edges));
      }),
      { numRuns: 200 },
    );
  });

  it("finds an augmenting path that runs through an odd cycle (a blossom)", () => {
    // Cycle 0-1-2-3-4 with 1-2 and 3-4 matched, 5 hanging off 4. From 0, vertex 4 is first reached
    // at odd depth; only shrinking the cycle lets the search leave it through 4-5.
    const edges = ["0-1", "1-2", "2-3", "3-4", "0-4", "4-5"];
    const allowed = (a: number, b: number) => edges.includes(a < b ? `${a}-${b}` : `${b}-${a}`);
    expect(maximumMatching(6, allowed, [-1, 2, 1, 4, 3, -1])).toEqual([1, 0, 3, 2, 5, 4]);
  });
});
