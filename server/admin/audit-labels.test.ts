import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS, auditActionLabel, auditDetailsInWords } from "./audit-labels";

const repository = path.resolve(import.meta.dirname, "../..");

/**
 * The audit actions the services write in a non-test file under server/: `action: "<domain>.<what>"`,
 * or `action: NAME` with `const NAME = "<domain>.<what>"` in the same file.
 */
function writtenActions(): string[] {
  const files = execFileSync("git", ["ls-files", "server"], { cwd: repository, encoding: "utf8" })
    .split("\n")
    .filter((file) => /\.ts$/.test(file) && !/\.test\.ts$|(^|\/)testing(\/|\.ts$)/.test(file));
  const actions = new Set<string>();
  for (const file of files) {
    const text = readFileSync(path.join(repository, file), "utf8");
    if (!text.includes("auditLog")) continue;
    for (const match of text.matchAll(/\baction: "([a-z_]+(?:\.[a-z_]+)+)"/g)) actions.add(match[1]!);
    for (const match of text.matchAll(/\baction: ([A-Z][A-Z0-9_]*)\b/g)) {
      const value = new RegExp(`\\bconst ${match[1]} = "([a-z_]+(?:\\.[a-z_]+)+)"`).exec(text)?.[1];
      if (!value) throw new Error(`${file}: action ${match[1]} is not a string constant in the file`);
      actions.add(value);
    }
  }
  return [...actions].sort();
}

describe("the audit log's words", () => {
  it("has a label for every action a service writes", () => {
    const actions = writtenActions();
    expect(actions).toEqual(
      expect.arrayContaining([
        "user.role_changed",
        "user.suspended",
        "wallet.adjusted",
        "withdrawal.approved",
        "withdrawal.rejected",
        "withdrawals.bank_account_added",
      ]),
    );
    expect(actions.filter((action) => !(action in AUDIT_ACTION_LABELS))).toEqual([]);
  });

  it("says what each known action's details mean, and falls back to the raw name and key: value pairs", () => {
    expect(auditDetailsInWords("user.role_changed", { from: "player", to: "organizer" })).toBe("From player to organizer.");
    expect(auditDetailsInWords("user.suspended", { reason: "Spam", until: null })).toBe("Suspended with no end date. Reason: Spam");
    expect(
      auditDetailsInWords("user.suspended", {
        reason: "Worse",
        until: "2026-12-14T18:00:00.000Z",
        replaced: { reason: "Spam", until: null },
      }),
    ).toBe("Suspended until 14 Dec 2026, 18:00 UTC. Reason: Worse (replaced a suspension with no end date: Spam)");
    expect(auditDetailsInWords("user.suspension_lifted", { note: "Appeal", until: null, wasInForce: true })).toBe(
      "Lifted the suspension with no end date. Note: Appeal",
    );
    expect(auditDetailsInWords("wallet.adjusted", { amount: -250, reason: "Chargeback" })).toBe("−$2.50. Reason: Chargeback");
    expect(auditDetailsInWords("withdrawal.rejected", { withdrawalId: "w", amount: 2_500, reason: "Stolen card" })).toBe(
      "Rejected a withdrawal of $25.00. Reason: Stolen card",
    );
    expect(auditDetailsInWords("withdrawal.approved", { withdrawalId: "w", amount: 10_000 })).toBe("Approved a withdrawal of $100.00.");
    expect(auditActionLabel("team.renamed")).toBe("team.renamed");
    expect(auditDetailsInWords("team.renamed", { from: "A", to: "B" })).toBe("from: A; to: B");
  });
});
