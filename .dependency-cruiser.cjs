/**
 * The rules of the house that imports can show (ARCHITECTURE.md), checked by `npm test`
 * (scripts/test.ts runs `depcruise`). Violations that existed when a rule arrived are listed in
 * .dependency-cruiser-known-violations.json and may only go away; a new one fails the run.
 * Refresh that list after removing some: `npx depcruise --config .dependency-cruiser.cjs
 * --output-type baseline app server db scripts e2e > .dependency-cruiser-known-violations.json`.
 */
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-domain-cycles",
      comment: "Domains point one way: no two server/<domain> folders may import each other, directly or around a loop.",
      severity: "error",
      scope: "folder",
      from: { path: "^server/[^/]+$" },
      to: { circular: true, path: "^server/[^/]+$" },
    },
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
