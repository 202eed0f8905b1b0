/**
 * The house rules that imports show (docs/architecture.md), measured with dependency-cruiser on the
 * product code (tests and test support are outside the rules):
 * - the single-import rules of .dependency-cruiser.cjs (db/ never imports server/, server/ never
 *   imports app/, no module cycles, every import resolves);
 * - domains point one way: the graph of server/<domain> folders and the files at server/'s top
 *   (routers and root.ts count as the transport above every domain) has no cycle, and every
 *   domain imports only domains listed below it in DOMAIN_LAYERS, so an upward edge fails before it
 *   closes a cycle.
 * Debts that existed when a rule arrived are listed (the known violations file, KNOWN_CYCLIC_EDGES)
 * and may only go away: a new violation fails, and so does a listed one that is gone, so the list
 * is kept true by whoever pays a debt.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cruise, type Violation } from "./testing/cruise";

const repository = path.resolve(import.meta.dirname, "..");

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

/**
 * The server/<domain> folders, lowest first: a domain imports only domains before it here (what
 * reacts depends on what it reacts to, never the reverse). Neighbours that import nothing of each
 * other may swap places; a domain moves up only when no domain below needs it. A new folder must be
 * placed here before the test passes. server/testing is test support, outside the rules.
 */
const DOMAIN_LAYERS = [
  // Shared low-level domains: money, the job queue, who is who, live updates, messages to users,
  // files, card payments, wallet top-ups. The game catalogue sits below accounts, whose players
  // keep a handle per game.
  "ledger",
  "jobs",
  "games",
  "accounts",
  "live",
  "notifications",
  "storage",
  "payments",
  "wallet",
  // Money out of wallets to banks: above payments (the gateway's payouts) and the ledger.
  "withdrawals",
  // The tournament domains, each above what it builds on.
  "events",
  "teams",
  "registration",
  "chat",
  "brackets",
  "disputes",
  // Above every domain: the demo data seeded at start-up, and the admin pages (only a router today).
  "demo",
  "admin",
];
const NOT_DOMAINS = ["testing"];

const result = cruise();

/** The edges between domain-graph nodes (see domainNode), each with the file imports that make it. */
function domainEdges(): Map<string, Map<string, string[]>> {
  const edges = new Map<string, Map<string, string[]>>();
  for (const module of result.modules) {
    const from = domainNode(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = domainNode(dependency.resolved);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const targets = edges.get(from)!;
      if (!targets.has(to)) targets.set(to, []);
      targets.get(to)!.push(`${module.source} -> ${dependency.resolved}`);
    }
  }
  return edges;
}

/**
 * Each edge between two listed domains that points up `layers` (lowest first), said in words with
 * the imports that make it. Edges to shared machinery (server/*.ts) and the transport are not
 * domain edges; an unlisted domain is reported by the test that every folder is listed.
 */
function upwardEdges(edges: Map<string, Map<string, string[]>>, layers: readonly string[]): string[] {
  const layer = (node: string) => layers.indexOf(node.replace(/^server\//, ""));
  const upward: string[] = [];
  for (const [from, targets] of edges) {
    if (!/^server\/[^/.]+$/.test(from)) continue;
    for (const [to, imports] of targets) {
      if (!/^server\/[^/.]+$/.test(to)) continue;
      if (layer(from) >= 0 && layer(to) > layer(from)) {
        upward.push(`${from} imports ${to}, which DOMAIN_LAYERS puts above it: ${imports.join(", ")}`);
      }
    }
  }
  return upward.sort();
}

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
    const edges = new Map([...domainEdges()].map(([from, targets]) => [from, new Set(targets.keys())]));
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

  it("layers the domains: every server/<domain> folder is in DOMAIN_LAYERS, and each imports only domains below it", () => {
    const folders = readdirSync(path.join(repository, "server"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !NOT_DOMAINS.includes(entry.name))
      .map((entry) => entry.name);
    expect(
      folders.filter((folder) => !DOMAIN_LAYERS.includes(folder)),
      "domains missing from DOMAIN_LAYERS: place each above the domains it imports",
    ).toEqual([]);
    expect(
      DOMAIN_LAYERS.filter((domain) => !folders.includes(domain)),
      "no such folder in server/: take it off DOMAIN_LAYERS",
    ).toEqual([]);
    expect(new Set(DOMAIN_LAYERS).size, "a domain listed twice in DOMAIN_LAYERS").toBe(DOMAIN_LAYERS.length);
    expect(upwardEdges(domainEdges(), DOMAIN_LAYERS), "upward domain edges").toEqual([]);
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

  it("says which domain edge points up the layers, and through which imports", () => {
    const edges = new Map([
      ["server/teams", new Map([["server/registration", ["server/teams/service.ts -> server/registration/team-entries.ts"]]])],
      ["server/registration", new Map([["server/teams", ["server/registration/service.ts -> server/teams/service.ts"]]])],
      ["server/chat", new Map([["server/errors.ts", ["server/chat/rooms.ts -> server/errors.ts"]]])],
    ]);
    expect(upwardEdges(edges, ["teams", "registration", "chat"])).toEqual([
      "server/teams imports server/registration, which DOMAIN_LAYERS puts above it: server/teams/service.ts -> server/registration/team-entries.ts",
    ]);
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
