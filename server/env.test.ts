/** The README and .env.example stay true: every variable the app reads is documented in both. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "./env";

const repository = path.resolve(import.meta.dirname, "..");
const readme = readFileSync(path.join(repository, "README.md"), "utf8");
const example = readFileSync(path.join(repository, ".env.example"), "utf8");
// NODE_ENV is set by Next.js and npm scripts, not by whoever deploys.
const variables = Object.keys(envSchema.shape).filter((key) => key !== "NODE_ENV");

describe("configuration documentation", () => {
  it.each(variables)("%s is in the README's configuration table", (key) => {
    const rows = readme.split("\n").filter((line) => line.startsWith("| ") && line.includes(`\`${key}\``));
    expect(rows.length, `a row of the table names \`${key}\``).toBeGreaterThan(0);
  });

  it.each(variables)("%s is in .env.example", (key) => {
    expect(example).toMatch(new RegExp(`^#?\\s*${key}=`, "m"));
  });
});
