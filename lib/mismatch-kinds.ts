/**
 * What reconciliation can find between the payment processor and the books: the values of
 * reconciliation_mismatches.kind. A plain list with no imports, so the metrics (which count each
 * kind) and db/schema/payments.ts share it.
 */
export const mismatchKinds = [
  "paid_not_credited",
  "credited_not_paid",
  "refund_amount_differs",
  // Withdrawals: a payout the gateway made that our books had not recorded (repaired), and one our
  // books say went out that the gateway does not have as sent.
  "payout_not_recorded",
  "payout_recorded_not_paid",
] as const;
export type MismatchKind = (typeof mismatchKinds)[number];
