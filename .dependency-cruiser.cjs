/**
 * The rules of the house that single imports can show (docs/architecture.md), checked by
 * server/architecture.test.ts, which also checks that domains point one way. Violations that
 * existed when a rule arrived are listed in .dependency-cruiser-known-violations.json and may only
 * go away: a new one fails the test, and so does a listed one that is gone (take it off the list).
 */
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-module-cycles",
      comment: "No module imports itself through others.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "db-is-data-access-only",
      comment: "db/ connects and holds the schema and migrations; it never imports server/.",
      severity: "error",
      from: { path: "^db/" },
      to: { path: "^server/" },
    },
    {
      name: "domain-owns-its-tables",
      comment:
        "A domain imports only its own schema (db/schema/<domain>.ts and db/schema/<domain>-<part>.ts) and the platform's " +
        "shared tables (db/schema/platform.ts: audit log, rate limits); another domain's tables are reached through that " +
        "domain's published functions. The barrel db/schema/index.ts is for db/client.ts and tests.",
      severity: "error",
      // The demo seed (server/demo) writes a finished world as it would stand, like a script: see its header.
      from: { path: "^server/([^/]+)/", pathNot: "^server/demo/" },
      to: { path: "^db/schema/", pathNot: "^db/schema/($1|platform)[.-]" },
    },
    {
      name: "lib-is-isomorphic",
      comment: "lib/ holds code both the browser and the server load (money formatting): it imports no app/, server/ or db/ code.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|server|db)/" },
    },
    {
      name: "server-not-into-app",
      comment: "server/ never imports the routes or components in app/.",
      severity: "error",
      from: { path: "^server/" },
      to: { path: "^app/" },
    },
    {
      name: "no-unresolvable",
      comment: "Every import resolves.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Tests and test support may reach across domains; the rules are about the product code.
    exclude: {
      path: "(^|/)(\\.next|node_modules|\\.data)/|\\.(test|spec)\\.tsx?$|^server/testing/|^db/testing/|^server/[^/]+/testing\\.ts$",
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
