import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // React's server-only guard has nothing to guard in tests.
      { find: /^server-only$/, replacement: `${root}/db/testing/empty-module.ts` },
    ],
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", ".next/**", ".data/**", "e2e/**"],
    globalSetup: ["./server/testing/global-setup.ts"],
    // What the entry points register (payment purposes, live access rules), in every test file.
    setupFiles: ["./server/testing/composition.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // At least two files at once: vitest's default (one fewer than the cores) is one on a 2-core
    // machine, where the files mostly wait on PostgreSQL; two took the suite from 630 s to 363 s there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Fixed secrets, so tests never write generated ones into .data.
    // METADATA_SERVER_DETECTION: firebase-admin must never ask Google's metadata server (off this machine).
    env: { AUTH_SECRET: "vitest-auth-secret-0123456789abcdef0123456789", LOG_LEVEL: "silent", METADATA_SERVER_DETECTION: "none" },
  },
});
