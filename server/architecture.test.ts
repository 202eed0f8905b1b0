/**
 * The house rules that imports show (docs/architecture.md), measured with dependency-cruiser on the
 * product code (tests and test support are outside the rules):
 * - the single-import rules of .dependency-cruiser.cjs (db/ never imports server/, server/ never
 *   imports app/, no module cycles, every import resolves);
 * - domains point one way: the graph of server/<domain> folders and the files at server/'s top
 *   (routers and root.ts count as the transport above every domain) has no cycle.
 * Debts that existed when a rule arrived are listed (the known violations file, KNOWN_CYCLIC_EDGES)
 * and may only go away: a new violation fails, and so does a listed one that is gone, so the list
 * is kept true by whoever pays a debt.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repository = path.resolve(import.meta.dirname, "..");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}
interface Cruise {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  summary: { violations: Violation[] };
}

function cruise(): Cruise {
  const bin = path.join(repository, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs");
  const run = spawnSync(
    process.execPath,
    [bin, "--config", ".dependency-cruiser.cjs", "--output-type", "json", "app", "server", "db", "lib", "scripts"],
    { cwd: repository, encoding: "utf8", maxBuffer: 1 << 28 },
  );
  if (!run.stdout) throw new Error(`dependency-cruiser gave no answer: ${run.stderr}`);
  return JSON.parse(run.stdout) as Cruise;
}

/** Where a module sits in the domain graph, or null outside server/. */
function domainNode(file: string): string | null {
  if (/^server\/[^/]+\/router\.ts$/.test(file) || file === "server/root.ts") return "transport (routers)";
  const domain = /^server\/([^/]+)\//.exec(file)?.[1];
  if (domain) return `server/${domain}`;
  return /^server\/[^/]+\.tsx?$/.test(file) ? file : null;
}

/** The edges of a directed graph that lie on a cycle (both ends in one strongly connected component). */
function cyclicEdges(edges: Map<string, Set<string>>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;
  let components = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.set(member, components);
      } while (member !== node);
      components++;
    }
  };
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets])]);
  for (const node of nodes) if (!index.has(node)) visit(node);
  const cyclic: string[] = [];
  for (const [from, targets] of edges) {
    for (const to of targets) if (component.get(from) === component.get(to)) cyclic.push(`${from} -> ${to}`);
  }
  return cyclic.sort();
}

/**
 * Domain edges on a cycle, listed when the rule arrived (issue 15). None is left since the last
 * three upward imports went: teams' questions about entries and the bracket's reactions to an
 * entry leaving are registered in the composition root, and the match page with its disputes moved
 * up to disputes. The list stays, empty, for the test below: a new edge on a cycle fails.
 */
const KNOWN_CYCLIC_EDGES: string[] = [];

const result = cruise();

describe("architecture", () => {
  it("finds the code it measures", () => {
    const sources = result.modules.map((m) => m.source);
    expect(sources).toContain("server/trpc.ts");
    expect(sources).toContain("db/client.ts");
    expect(sources.some((s) => s.endsWith(".test.ts"))).toBe(false);
  });

  it("keeps the single-import rules: no new violation, and the known ones listed are still there", () => {
    const key = (v: Pick<Violation, "from" | "to" | "rule">) => `${v.rule.name}: ${v.from} -> ${v.to}`;
    const known = (JSON.parse(readFileSync(path.join(repository, ".dependency-cruiser-known-violations.json"), "utf8")) as Violation[]).map(
      key,
    );
    const current = result.summary.violations.map(key);
    expect(
      current.filter((v) => !known.includes(v)),
      "new violations",
    ).toEqual([]);
    expect(
      known.filter((v) => !current.includes(v)),
      "gone: take them off .dependency-cruiser-known-violations.json",
    ).toEqual([]);
  });

  it("points domains one way: no domain edge on a cycle beyond the known ones, and those are still there", () => {
    const edges = new Map<string, Set<string>>();
    for (const module of result.modules) {
      const from = domainNode(module.source);
      if (!from) continue;
      for (const dependency of module.dependencies) {
        const to = domainNode(dependency.resolved);
        if (!to || to === from) continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
      }
    }
    const cyclic = cyclicEdges(edges);
    expect(
      cyclic.filter((edge) => !KNOWN_CYCLIC_EDGES.includes(edge)),
      "new edges on a cycle",
    ).toEqual([]);
    expect(
      KNOWN_CYCLIC_EDGES.filter((edge) => !cyclic.includes(edge)),
      "no longer on a cycle: take them off KNOWN_CYCLIC_EDGES",
    ).toEqual([]);
    // The ledger is below everything that moves money, and nothing of it is on a cycle.
    expect(cyclic.filter((edge) => edge.includes("server/ledger"))).toEqual([]);
  });

  it("keeps every source file readable in one sitting: none over 500 lines (tests aside)", () => {
    const sources = (dir: string): string[] =>
      readdirSync(path.join(repository, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(relative);
        return /\.tsx?$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name) ? [relative] : [];
      });
    const files = ["app", "server", "db", "lib", "scripts", "e2e"].flatMap(sources);
    expect(files.length).toBeGreaterThan(300);
    const long = files
      .map((file) => ({ file, lines: readFileSync(path.join(repository, file), "utf8").trimEnd().split("\n").length }))
      .filter(({ lines }) => lines > 500);
    expect(long).toEqual([]);
  });

  it("finds the edges of a cycle and only those", () => {
    const graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a", "d"])],
      ["d", new Set(["e"])],
    ]);
    expect(cyclicEdges(graph)).toEqual(["a -> b", "b -> c", "c -> a"]);
  });
});
