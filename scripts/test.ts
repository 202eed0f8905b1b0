/**
 * `npm test`: the format and lint check (Biome), unit and integration tests (vitest, real
 * PostgreSQL), the production build, then end-to-end tests (Playwright in Chromium), ending with
 * one summary.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const resultsDir = path.resolve(".data", "test-results");
mkdirSync(resultsDir, { recursive: true });

interface StepResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  ok: boolean;
  note?: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return { ok: result.status === 0, seconds: (Date.now() - started) / 1000 };
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

const steps: StepResult[] = [];
const only = process.argv[2]; // "checks", "unit" or "e2e" to run one part

if (!only || only === "checks") {
  console.log("\n=== Format and lint (biome ci) ===\n");
  const biome = run("node_modules/.bin/biome", ["ci", "."]);
  steps.push({ name: "format and lint (biome ci)", passed: 0, failed: biome.ok ? 0 : 1, skipped: 0, seconds: biome.seconds, ok: biome.ok });
}

if (!only || only === "unit") {
  const report = path.join(resultsDir, "vitest.json");
  rmSync(report, { force: true });
  console.log("\n=== Unit and integration tests (vitest, real PostgreSQL) ===\n");
  const { ok, seconds } = run("node_modules/.bin/vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  const json = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(report);
  steps.push({
    name: "unit + integration (vitest)",
    passed: json?.numPassedTests ?? 0,
    failed: json ? json.numFailedTests : 1,
    skipped: (json?.numPendingTests ?? 0) + (json?.numTodoTests ?? 0),
    seconds,
    // Never green with a failed test, whatever the exit code said.
    ok: ok && Boolean(json) && json!.numFailedTests === 0,
    note: json ? (ok || json.numFailedTests > 0 ? undefined : "vitest exited with an error") : "vitest did not report",
  });
}

if (!only || only === "e2e") {
  console.log("\n=== Production build (next build) ===\n");
  const build = run("node_modules/.bin/next", ["build"], { NEXT_TELEMETRY_DISABLED: "1" });
  steps.push({
    name: "production build (next build)",
    passed: 0,
    failed: build.ok ? 0 : 1,
    skipped: 0,
    seconds: build.seconds,
    ok: build.ok,
  });

  if (build.ok) {
    const report = path.join(resultsDir, "playwright.json");
    rmSync(report, { force: true });
    console.log(`\n=== End-to-end tests (Playwright, ${existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : "bundled Chromium"}) ===\n`);
    const { ok, seconds } = run("node_modules/.bin/playwright", ["test"]);
    const json = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(report);
    steps.push({
      name: "end-to-end (Playwright, Chromium)",
      passed: json ? json.stats.expected + json.stats.flaky : 0,
      failed: json ? json.stats.unexpected : 1,
      skipped: json?.stats.skipped ?? 0,
      seconds,
      ok: ok && Boolean(json) && json!.stats.unexpected === 0,
      note: json ? undefined : "Playwright did not report",
    });
  } else {
    steps.push({
      name: "end-to-end (Playwright, Chromium)",
      passed: 0,
      failed: 0,
      skipped: 0,
      seconds: 0,
      ok: false,
      note: "not run: the build failed",
    });
  }
}

const passed = steps.reduce((sum, s) => sum + s.passed, 0);
const failed = steps.reduce((sum, s) => sum + s.failed, 0);
const skipped = steps.reduce((sum, s) => sum + s.skipped, 0);
const seconds = steps.reduce((sum, s) => sum + s.seconds, 0);
const allOk = steps.every((s) => s.ok);

console.log("\n=== Summary ===");
for (const step of steps) {
  const counts =
    step.name.startsWith("production build") || step.name.startsWith("format and lint")
      ? step.ok
        ? "ok"
        : "FAILED"
      : `${step.passed} passed, ${step.failed} failed${step.skipped ? `, ${step.skipped} skipped` : ""}`;
  console.log(`  ${step.ok ? "✓" : "✗"} ${step.name}: ${counts} (${step.seconds.toFixed(1)} s)${step.note ? ` — ${step.note}` : ""}`);
}
console.log(`  total time: ${seconds.toFixed(1)} s; ${allOk ? "all green" : "FAILURES above"}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(allOk ? 0 : 1);
