// Browser-safe: loaded by client components; imports nothing server-only.
import { formatMoney } from "@/lib/money";

/** Every action the audit log records, in words. An action missing here shows as its raw name. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "user.role_changed": "Changed a role",
  "user.suspended": "Suspended an account",
  "user.suspension_lifted": "Lifted a suspension",
  "wallet.adjusted": "Adjusted a wallet",
  "account.signed_out_everywhere": "Signed out everywhere",
  "withdrawals.bank_account_added": "Added a bank account for withdrawals",
  "withdrawals.bank_account_removed": "Removed a bank account for withdrawals",
  "withdrawal.approved": "Approved a withdrawal",
  "withdrawal.rejected": "Rejected a withdrawal",
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

const utc = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "7 Dec 2026, 18:20 UTC". */
export function utcInWords(date: Date): string {
  return `${utc.format(date)} UTC`;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function endInWords(until: unknown): string {
  if (typeof until !== "string") return "with no end date";
  const date = new Date(until);
  return Number.isNaN(date.getTime()) ? `until ${until}` : `until ${utcInWords(date)}`;
}

/** An audit row's details as a sentence; unknown shapes fall back to `key: value` pairs. */
export function auditDetailsInWords(action: string, details: Record<string, unknown>): string {
  switch (action) {
    case "user.role_changed":
      return `From ${text(details.from)} to ${text(details.to)}.`;
    case "user.suspended": {
      const replaced = details.replaced as { reason?: unknown; until?: unknown } | undefined;
      const base = `Suspended ${endInWords(details.until)}. Reason: ${text(details.reason ?? "")}`;
      return replaced ? `${base} (replaced a suspension ${endInWords(replaced.until)}: ${text(replaced.reason ?? "")})` : base;
    }
    case "user.suspension_lifted": {
      const note = typeof details.note === "string" && details.note ? ` Note: ${details.note}` : "";
      const was = details.wasInForce === false ? " (it had already ended)" : "";
      return `Lifted the suspension ${endInWords(details.until)}${was}.${note}`;
    }
    case "wallet.adjusted":
      return typeof details.amount === "number"
        ? `${formatMoney(details.amount, { signed: true })}. Reason: ${text(details.reason ?? "")}`
        : `Reason: ${text(details.reason ?? "")}`;
    case "account.signed_out_everywhere":
      return "Ended every session of the account.";
    case "withdrawals.bank_account_added":
      return typeof details.replacedLast4 === "string"
        ? `Account ending ${text(details.last4)}, replacing the one ending ${details.replacedLast4}.`
        : `Account ending ${text(details.last4)}.`;
    case "withdrawals.bank_account_removed":
      return `Account ending ${text(details.last4)}.`;
    case "withdrawal.approved":
    case "withdrawal.rejected": {
      const verb = action === "withdrawal.approved" ? "Approved" : "Rejected";
      const amount = typeof details.amount === "number" ? ` of ${formatMoney(details.amount)}` : "";
      const reason = typeof details.reason === "string" && details.reason ? ` Reason: ${details.reason}` : "";
      return `${verb} a withdrawal${amount}.${reason}`;
    }
    default: {
      const entries = Object.entries(details);
      return entries.length === 0 ? "" : entries.map(([key, value]) => `${key}: ${text(value)}`).join("; ");
    }
  }
}
