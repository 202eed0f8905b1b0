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
    exclude: { path: "(^|/)(\\.next|node_modules|\\.data)/|\\.(test|spec)\\.tsx?$|^server/testing/|^db/testing/" },
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
