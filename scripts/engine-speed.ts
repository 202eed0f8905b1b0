/**
 * `npx tsx scripts/engine-speed.ts`: how fast the pure bracket engine is, without a database.
 * Generates a 4,096-entrant double elimination and a 16,384-entrant single elimination, then
 * applies 1,000 results to the double elimination bracket (each update merged into a Map the way a
 * service would write rows, so the figure is the engine's own work). Last line: JSON.
 */
import { performance } from "node:perf_hooks";
import { createBracket, seedByRegistration, setResult, type Bracket, type Match } from "@/server/brackets/engine";
import { createRandom } from "@/server/brackets/engine/seeding";
import { randomOutcome } from "@/server/brackets/engine/testing";

const ids = (count: number) => Array.from({ length: count }, (_, i) => `entrant-${i + 1}`);

function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const value = run();
  return [value, performance.now() - started];
}

/** Runs `run` `times` times: the last value, the fastest and the median time (the machine may be busy). */
function repeat<T>(times: number, run: () => T): [T, number, number] {
  let result!: T;
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const [value, ms] = timed(run);
    result = value;
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return [result, samples[0]!, samples[Math.floor(times / 2)]!];
}

const de4096Entrants = seedByRegistration(ids(4096));
const se16384Entrants = seedByRegistration(ids(16384));
const [de, deMs, deMedian] = repeat(15, () =>
  createBracket(de4096Entrants, { format: "double_elimination", grandFinal: "reset", bestOf: 3 }),
);
const [se, seMs, seMedian] = repeat(15, () =>
  createBracket(se16384Entrants, { format: "single_elimination", thirdPlace: true, bestOf: 3 }),
);

// 1,000 results on the double elimination bracket, playable matches in random order.
const random = createRandom("engine-speed");
const rows = new Map<string, Match>(Object.entries(de.matches));
const live: Bracket = { ...de, matches: Object.fromEntries(rows) };
const ready = Object.values(live.matches)
  .filter((match) => match.status === "ready")
  .map((match) => match.id);
const perResult: number[] = [];
let changedRows = 0;
for (let i = 0; i < 1000 && ready.length > 0; i++) {
  const index = Math.floor(random() * ready.length);
  const id = ready[index]!;
  ready[index] = ready[ready.length - 1]!;
  ready.pop();
  const match = live.matches[id]!;
  const outcome = randomOutcome(match.bestOf, random);
  const started = performance.now();
  const update = setResult(live, id, outcome);
  perResult.push(performance.now() - started);
  changedRows += update.matches.length;
  // What the service would do with the update: write exactly these rows.
  for (const changed of update.matches) {
    live.matches[changed.id] = changed;
    if (changed.status === "ready") ready.push(changed.id);
  }
}
perResult.sort((a, b) => a - b);
const sum = perResult.reduce((total, ms) => total + ms, 0);
const quantile = (q: number) => perResult[Math.min(perResult.length - 1, Math.floor(q * perResult.length))]!;

console.log(
  `double elimination 4,096: ${Object.keys(de.matches).length} matches generated in ${deMs.toFixed(1)} ms (fastest of 15, median ${deMedian.toFixed(1)} ms)`,
);
console.log(
  `single elimination 16,384: ${Object.keys(se.matches).length} matches generated in ${seMs.toFixed(1)} ms (fastest of 15, median ${seMedian.toFixed(1)} ms)`,
);
console.log(
  `1,000 results on DE 4,096: ${sum.toFixed(1)} ms total, p50 ${quantile(0.5).toFixed(3)} ms, p99 ${quantile(0.99).toFixed(3)} ms, ${(changedRows / perResult.length).toFixed(2)} rows changed per result`,
);
console.log(
  JSON.stringify({
    de4096_generate_ms: Number(deMs.toFixed(1)),
    de4096_generate_median_ms: Number(deMedian.toFixed(1)),
    se16384_generate_ms: Number(seMs.toFixed(1)),
    se16384_generate_median_ms: Number(seMedian.toFixed(1)),
    results_1000_ms: Number(sum.toFixed(1)),
    result_p50_ms: Number(quantile(0.5).toFixed(3)),
    result_p99_ms: Number(quantile(0.99).toFixed(3)),
  }),
);
