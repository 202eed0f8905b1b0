/**
 * Vitest set-up (setupFiles): each test file sees the payment purposes and live access rules that
 * every entry point registers (server/composition.ts), so services are tested as the app runs them.
 *
 * Loaded in beforeAll, after the test file's own imports, not at the top of this file: a module
 * this file loaded first would be the one the test file gets, without the file's vi.mock
 * replacements and with server/env.ts read before the file sets its environment (vi.hoisted).
 */
import { beforeAll } from "vitest";

beforeAll(async () => {
  await import("@/server/composition");
});
