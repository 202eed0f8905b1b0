import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Histogram } from "prom-client";
import { describe, expect, it } from "vitest";
import { metrics } from "@/server/metrics";

/**
 * deploy/alerts.yml: checked and unit-tested by promtool (Debian's `prometheus` package) when it is
 * installed, and in any case parsed here: every metric an alert reads is one the app exposes, every
 * alert is complete and links to a section of docs/runbook.md that exists, and deploy/alerts.test.yml
 * has a firing and a quiet case for every alert.
 */

const root = path.resolve(import.meta.dirname, "..");
const PROMTOOL = "/usr/bin/promtool";
const RULES = path.join(root, "deploy/alerts.yml");
const RULE_TESTS = path.join(root, "deploy/alerts.test.yml");
const RUNBOOK = path.join(root, "docs/runbook.md");

// js-yaml (a devDependency) has no bundled types.
const yaml = createRequire(import.meta.url)("js-yaml") as { load(text: string): unknown };

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}

const rules = (yaml.load(readFileSync(RULES, "utf8")) as { groups: { name: string; rules: AlertRule[] }[] }).groups.flatMap(
  (group) => group.rules,
);
const runbook = readFileSync(RUNBOOK, "utf8");

/** GitHub's anchor for a Markdown heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
const anchors = new Set([...runbook.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]!)));

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "inf",
  "nan",
]);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings
    .replace(/\{[^}]*\}/g, "") // label matchers
    .replace(/\[[^\]]*\]/g, "") // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " "); // label lists
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = stripped.slice(match.index + match[0].length);
    if (/^\s*\(/.test(after)) continue; // a function
    if (KEYWORDS.has(match[0].toLowerCase())) continue;
    if (/[0-9.]$/.test(stripped.slice(0, match.index))) continue; // a duration or exponent (5m, 1e3)
    names.add(match[0]);
  }
  return [...names];
}

/** Every series name the app's registry serves (histograms as their _bucket, _sum and _count). */
function exposedNames(): Set<string> {
  const names = new Set<string>();
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const name = (metric as unknown as { name: string }).name;
    if (metric instanceof Histogram) for (const suffix of ["_bucket", "_sum", "_count"]) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}

describe("deploy/alerts.yml", () => {
  it("has alerts, each with for:, a page or ticket severity, summary, description and a runbook link", () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const rule of rules) {
      expect(rule.alert, JSON.stringify(rule)).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(["page", "ticket"], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
      expect(rule.annotations?.runbook_url, rule.alert).toMatch(/^docs\/runbook\.md#[a-z0-9_-]+$/);
    }
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
  });

  it("reads only metrics the app exposes (or Prometheus's own `up`)", () => {
    const exposed = exposedNames();
    expect(exposed.has("driftwood_payments_failed_total")).toBe(true);
    const used = new Set<string>();
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect(names.length, `${rule.alert} reads no metric`).toBeGreaterThan(0);
      for (const name of names) {
        used.add(name);
        expect(name === "up" || exposed.has(name), `${rule.alert} reads ${name}, which /api/metrics does not serve`).toBe(true);
      }
    }
    expect(used.has("up")).toBe(true);
    expect(used.has("driftwood_database_up")).toBe(true);
    expect(used.has("driftwood_trpc_request_duration_seconds_bucket")).toBe(true);
  });

  it("finds metric names in PromQL, and not functions, keywords or labels", () => {
    expect(
      metricNames(
        'histogram_quantile(0.9, sum by (le, gateway) (rate(driftwood_webhook_lag_seconds_bucket{gateway="x"}[15m]))) > 300',
      ).sort(),
    ).toEqual(["driftwood_webhook_lag_seconds_bucket"]);
    expect(metricNames("time() - max(a_b) > 26 * 3600 and on (job) up == 0 unless c offset 5m").sort()).toEqual(["a_b", "c", "up"]);
  });

  it("links every alert to a section of docs/runbook.md that exists", () => {
    for (const rule of rules) {
      const anchor = rule.annotations!.runbook_url!.split("#")[1]!;
      expect(anchors.has(anchor), `${rule.alert}: docs/runbook.md has no heading for #${anchor}`).toBe(true);
    }
  });

  it("has a firing and a quiet case for every alert in deploy/alerts.test.yml", () => {
    const tests = (yaml.load(readFileSync(RULE_TESTS, "utf8")) as { tests: RuleTest[] }).tests.flatMap(
      (test) => test.alert_rule_test ?? [],
    );
    for (const rule of rules) {
      const cases = tests.filter((test) => test.alertname === rule.alert);
      expect(
        cases.some((test) => (test.exp_alerts ?? []).length > 0),
        `${rule.alert} never fires in deploy/alerts.test.yml`,
      ).toBe(true);
      expect(
        cases.some((test) => (test.exp_alerts ?? []).length === 0),
        `${rule.alert} has no quiet case in deploy/alerts.test.yml`,
      ).toBe(true);
    }
  });

  const promtool = (args: string[]) => execFileSync(PROMTOOL, args, { cwd: root, encoding: "utf8", stdio: "pipe", timeout: 60_000 });
  const noPromtool = `${PROMTOOL} not found: install Debian's prometheus package (apt-get install -y --no-install-recommends prometheus) to check and unit-test the rules`;

  it("passes `promtool check rules`", (ctx) => {
    if (!existsSync(PROMTOOL)) ctx.skip(noPromtool);
    expect(promtool(["check", "rules", "deploy/alerts.yml"])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("passes `promtool test rules` (deploy/alerts.test.yml)", (ctx) => {
    if (!existsSync(PROMTOOL)) ctx.skip(noPromtool);
    expect(promtool(["test", "rules", "deploy/alerts.test.yml"])).toMatch(/SUCCESS/);
  });
});
