import { env } from "@/server/env";
import { formatMoney } from "@/lib/money";

/**
 * The withdrawal rules players and support rely on (the older Driftwood's), each a configuration
 * value (README, "Configuration") with these defaults. Amounts in cents.
 */
export interface WithdrawalRules {
  min: number;
  max: number;
  fee: number;
  /** The most asked for in any 24 hours; failed, rejected and canceled requests do not count. */
  dailyLimit: number;
  /** Larger withdrawals need the second factor. */
  secondFactorOver: number;
  /** Requests waiting (requested or approved, not yet sent). */
  maxPending: number;
  /** Requests in an hour, this one included, that flag it for review and raise an alert. */
  velocityAlert: number;
  /** A bank account younger than this sends its withdrawals to review. */
  newAccountReviewHours: number;
}

export const withdrawalRules: WithdrawalRules = {
  min: env.WITHDRAWAL_MIN ?? 10_00,
  max: env.WITHDRAWAL_MAX ?? 5_000_00,
  fee: env.WITHDRAWAL_FEE ?? 1_00,
  dailyLimit: env.WITHDRAWAL_DAILY_LIMIT ?? 10_000_00,
  secondFactorOver: env.WITHDRAWAL_SECOND_FACTOR_OVER ?? 1_000_00,
  maxPending: env.WITHDRAWAL_MAX_PENDING ?? 3,
  velocityAlert: env.WITHDRAWAL_VELOCITY_ALERT ?? 5,
  newAccountReviewHours: env.WITHDRAWAL_NEW_ACCOUNT_REVIEW_HOURS ?? 24,
};

/** The rules as the withdraw page shows them. */
export function rulesForDisplay(rules: WithdrawalRules = withdrawalRules) {
  return {
    ...rules,
    words: `From ${formatMoney(rules.min)} to ${formatMoney(rules.max)} per withdrawal, up to ${formatMoney(rules.dailyLimit)} in any 24 hours; a fee of ${formatMoney(rules.fee)} each.`,
  };
}
