import type { TransferCategory } from "@/lib/transfer-categories";

/** One movement's type, as a player reads it in the history. */
export const categoryLabel: Record<TransferCategory, string> = {
  topup: "Top-up",
  entry_fee: "Entry fee",
  refund: "Refund",
  prize: "Prize",
  withdrawal: "Withdrawal",
  adjustment: "Adjustment",
};

/** The same types as filter choices. */
export const categoryFilterLabel: Record<TransferCategory, string> = {
  topup: "Top-ups",
  entry_fee: "Entry fees",
  refund: "Refunds",
  prize: "Prizes",
  withdrawal: "Withdrawals",
  adjustment: "Adjustments",
};

/**
 * One history row's type: a withdrawal's money coming back (cancelled, rejected, or returned by the
 * bank, with its fee) reads as such rather than as another withdrawal.
 */
export function rowTypeLabel(row: { category: TransferCategory; amount: number }): string {
  if (row.category === "withdrawal" && row.amount > 0) return "Withdrawal returned";
  return categoryLabel[row.category];
}
