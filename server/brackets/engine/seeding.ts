// Browser-safe: loaded by client components; imports nothing server-only.
import { BracketError, type Entrant, type EntrantId } from "./types";

/** The power of two a field of `count` entrants is padded to with BYEs (at least 2). */
export function bracketSize(count: number): number {
  let size = 2;
  while (size < count) size *= 2;
  return size;
}

/**
 * Seeds in bracket-position order for a power-of-two `size`: [1, 16, 8, 9, 4, 13, 5, 12, 2, 15, ...]
 * for 16, so first-round pairs add up to size + 1, seeds 1 and 2 can meet only in the final, seeds
 * 1 to 4 only from the semifinals on, and so on. Built by unfolding each seed s of the half-size
 * order into (s, size + 1 - s); O(size).
 */
export function standardOrder(size: number): number[] {
  if (size < 2 || (size & (size - 1)) !== 0) throw new BracketError("invalid_settings", `Bracket size ${size} is not a power of two.`);
  let order = [1, 2];
  while (order.length < size) {
    const next = new Array<number>(order.length * 2);
    const sum = order.length * 2 + 1;
    for (let i = 0; i < order.length; i++) {
      next[2 * i] = order[i]!;
      next[2 * i + 1] = sum - order[i]!;
    }
    order = next;
  }
  return order;
}

function assertDistinct(ids: readonly EntrantId[]): void {
  const seen = new Set<EntrantId>();
  for (const id of ids) {
    if (!id) throw new BracketError("invalid_entrants", "Every entrant needs an id.");
    if (seen.has(id)) throw new BracketError("invalid_entrants", `Entrant ${id} is listed twice.`);
    seen.add(id);
  }
}

/** Seeds in the order given: registration order (first registered = seed 1). */
export function seedByRegistration(idsInRegistrationOrder: readonly EntrantId[]): Entrant[] {
  assertDistinct(idsInRegistrationOrder);
  return idsInRegistrationOrder.map((id, index) => ({ id, seed: index + 1 }));
}

/** Seeds exactly as the organizer arranged them (drag and drop): first = seed 1. */
export function seedManually(idsInChosenOrder: readonly EntrantId[]): Entrant[] {
  return seedByRegistration(idsInChosenOrder);
}

/**
 * Highest rating first; equal ratings, and entrants without a rating (placed last), keep
 * registration order. The input is in registration order.
 */
export function seedByRating(players: readonly { id: EntrantId; rating: number | null }[]): Entrant[] {
  const ranked = players
    .map((player, index) => ({ ...player, index }))
    .sort((a, b) => {
      if (a.rating === null || b.rating === null) {
        if (a.rating !== b.rating) return a.rating === null ? 1 : -1;
      } else if (a.rating !== b.rating) return b.rating - a.rating;
      return a.index - b.index;
    });
  return seedByRegistration(ranked.map((player) => player.id));
}

/** A random order, the same every time for the same `seed` (so a draw can be re-created and audited). */
export function seedRandomly(ids: readonly EntrantId[], seed: string | number): Entrant[] {
  assertDistinct(ids);
  const random = createRandom(seed);
  const shuffled = [...ids];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return seedByRegistration(shuffled);
}

/**
 * A small seeded PRNG (cyrb53-style string hash into sfc32) returning floats in [0, 1).
 * Not cryptographic: it only needs to be reproducible and well spread.
 */
export function createRandom(seed: string | number): () => number {
  const text = String(seed);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  let a = h1 >>> 0;
  let b = h2 >>> 0;
  let c = (h1 ^ h2) >>> 0;
  let d = 1;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Validates entrants for a bracket and returns them sorted by seed. */
export function sortedEntrants(entrants: readonly Entrant[]): Entrant[] {
  assertDistinct(entrants.map((entrant) => entrant.id));
  const sorted = [...entrants].sort((a, b) => a.seed - b.seed);
  sorted.forEach((entrant, index) => {
    if (entrant.seed !== index + 1) {
      throw new BracketError("invalid_entrants", "Seeds must be exactly 1 to the number of entrants, each used once.");
    }
  });
  return sorted;
}
