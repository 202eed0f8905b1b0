import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBracket } from "./create";
import { bracketSize, createRandom, seedByRating, seedByRegistration, seedManually, seedRandomly, standardOrder } from "./seeding";
import { BracketError } from "./types";

describe("standard order", () => {
  it("places 16 seeds as 1 v 16, 8 v 9, 4 v 13, 5 v 12, 2 v 15, 7 v 10, 3 v 14, 6 v 11", () => {
    expect(standardOrder(16)).toEqual([1, 16, 8, 9, 4, 13, 5, 12, 2, 15, 7, 10, 3, 14, 6, 11]);
    expect(standardOrder(2)).toEqual([1, 2]);
    expect(standardOrder(4)).toEqual([1, 4, 2, 3]);
  });

  it("lets the top 2^j seeds meet only once 2^j entrants remain", () => {
    for (let size = 2; size <= 1024; size *= 2) {
      const order = standardOrder(size);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, i) => i + 1));
      for (let i = 0; i < size; i += 2) expect(order[i]! + order[i + 1]!).toBe(size + 1);
      for (let top = 2; top <= size; top *= 2) {
        // Seeds 1..top sit in `top` different blocks of size/top positions each.
        const blocks = order
          .map((seed, position) => (seed <= top ? Math.floor(position / (size / top)) : -1))
          .filter((block) => block >= 0);
        expect(new Set(blocks).size).toBe(top);
      }
    }
  });

  it("rejects sizes that are not powers of two", () => {
    expect(() => standardOrder(6)).toThrow(BracketError);
    expect(bracketSize(2)).toBe(2);
    expect(bracketSize(3)).toBe(4);
    expect(bracketSize(257)).toBe(512);
  });
});

describe("seeding helpers", () => {
  it("registration and manual order keep the order given", () => {
    expect(seedByRegistration(["a", "b", "c"])).toEqual([
      { id: "a", seed: 1 },
      { id: "b", seed: 2 },
      { id: "c", seed: 3 },
    ]);
    expect(seedManually(["c", "a", "b"]).map((entrant) => entrant.id)).toEqual(["c", "a", "b"]);
    expect(() => seedManually(["a", "a"])).toThrow(/twice/);
  });

  it("rating: highest first, ties and unrated entrants in registration order", () => {
    const seeded = seedByRating([
      { id: "first", rating: 1500 },
      { id: "unrated", rating: null },
      { id: "second", rating: 1800 },
      { id: "third", rating: 1500 },
      { id: "late-unrated", rating: null },
    ]);
    expect(seeded.map((entrant) => entrant.id)).toEqual(["second", "first", "third", "unrated", "late-unrated"]);
  });

  it("random seeding is a permutation, reproducible from its seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.oneof(fc.string(), fc.integer()), (count, seed) => {
        const ids = Array.from({ length: count }, (_, i) => `e${i}`);
        const first = seedRandomly(ids, seed);
        expect(seedRandomly(ids, seed)).toEqual(first);
        expect(first.map((entrant) => entrant.id).sort()).toEqual([...ids].sort());
        expect(first.map((entrant) => entrant.seed)).toEqual(ids.map((_, i) => i + 1));
      }),
      { numRuns: 50 },
    );
    const ids = Array.from({ length: 32 }, (_, i) => `e${i}`);
    expect(seedRandomly(ids, "spring-cup")).not.toEqual(seedRandomly(ids, "summer-cup"));
  });

  it("the PRNG is deterministic and spread over [0, 1)", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it("a bracket needs seeds exactly 1..n and at least two entrants", () => {
    const settings = { format: "single_elimination", thirdPlace: false } as const;
    expect(() => createBracket([{ id: "a", seed: 1 }], settings)).toThrow(/at least two/);
    expect(() =>
      createBracket(
        [
          { id: "a", seed: 1 },
          { id: "b", seed: 3 },
        ],
        settings,
      ),
    ).toThrow(/exactly 1/);
    expect(() =>
      createBracket(
        [
          { id: "a", seed: 1 },
          { id: "a", seed: 2 },
        ],
        settings,
      ),
    ).toThrow(/twice/);
  });
});
