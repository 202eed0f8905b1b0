/**
 * What a money movement was for, as a player filters their history: the values of the
 * ledger_transfer_category enum. A plain list with no imports, so the wallet's history filter in the
 * browser loads it without the table definitions (drizzle's pg-core); db/schema/ledger.ts builds its
 * enum from it and re-exports it.
 */
export const transferCategories = ["topup", "entry_fee", "refund", "prize", "withdrawal", "adjustment"] as const;
export type TransferCategory = (typeof transferCategories)[number];
