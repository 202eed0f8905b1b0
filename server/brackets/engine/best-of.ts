// Browser-safe: loaded by client components; imports nothing server-only.
import { MAX_BEST_OF, MAX_BEST_OF_OVERRIDES } from "./limits";
import { BracketError, type BestOf, type BestOfName, type BestOfRoundKey } from "./types";

const namePrecedence: BestOfName[] = ["finals", "third_place", "upper_final", "lower_final", "semifinals"];

/** Games a side needs to win a best-of-`bestOf` match. */
export function gamesToWin(bestOf: number): number {
  return Math.ceil(bestOf / 2);
}

function assertOdd(value: unknown, what: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value % 2 === 0 || value > MAX_BEST_OF) {
    throw new BracketError("invalid_settings", `${what} must be an odd number of games from 1 to ${MAX_BEST_OF}.`);
  }
}

export function validateBestOf(bestOf: BestOf | undefined): void {
  if (bestOf === undefined) return;
  if (typeof bestOf === "number") {
    assertOdd(bestOf, "Best-of");
    return;
  }
  assertOdd(bestOf.default, "Best-of");
  if (Object.keys(bestOf.overrides ?? {}).length > MAX_BEST_OF_OVERRIDES) {
    throw new BracketError("invalid_settings", `At most ${MAX_BEST_OF_OVERRIDES} best-of overrides.`);
  }
  for (const [key, value] of Object.entries(bestOf.overrides ?? {})) {
    if (!(namePrecedence as string[]).includes(key) && !/^(upper|lower|group|swiss):[1-9]\d*$/.test(key)) {
      throw new BracketError("invalid_settings", `Unknown best-of override "${key}".`);
    }
    assertOdd(value, `Best-of for ${key}`);
  }
}

/** The best-of for a match in `round` that also goes by `names` (most specific setting wins). */
export function bestOfFor(bestOf: BestOf | undefined, round: BestOfRoundKey | null, names: readonly BestOfName[] = []): number {
  if (bestOf === undefined) return 1;
  if (typeof bestOf === "number") return bestOf;
  const overrides = bestOf.overrides ?? {};
  const byRound = round === null ? undefined : overrides[round];
  if (byRound !== undefined) return byRound;
  for (const name of namePrecedence) {
    const byName = overrides[name];
    if (byName !== undefined && names.includes(name)) return byName;
  }
  return bestOf.default;
}
