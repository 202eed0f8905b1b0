import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The house rule: services, jobs and scripts throw domain errors (server/errors.ts); TRPCError
 * appears only in routers and the tRPC setup. Tests are left out: they call procedures and look
 * at what tRPC answers.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

// server/testing/trpc.ts is test support: codeOf() reads what tRPC answers.
const allowed = (file: string) =>
  /^server\/[^/]+\/router\.ts$/.test(file) ||
  ["server/root.ts", "server/trpc.ts", "app/api/trpc/[trpc]/route.ts", "server/testing/trpc.ts"].includes(file);

/** Whether the code (comments left out) names TRPCError. */
const namesTRPCError = (file: string) =>
  /\bTRPCError\b/.test(readFileSync(path.join(root, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""));

describe("TRPCError stays in routers and the tRPC setup", () => {
  const files = [...sourceFiles("server"), ...sourceFiles("app/api"), ...sourceFiles("scripts")];

  it("finds the source tree", () => {
    expect(files).toContain("server/trpc.ts");
    expect(files).toContain("app/api/trpc/[trpc]/route.ts");
    expect(files.length).toBeGreaterThan(100);
  });

  it("no service, job, script or plain route handler uses TRPCError: they throw domain errors", () => {
    expect(files.filter((file) => !allowed(file) && namesTRPCError(file))).toEqual([]);
  });
});
