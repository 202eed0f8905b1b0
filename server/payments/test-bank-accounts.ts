// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Bank account numbers for testing payouts, Stripe's own test numbers: the simulated gateway pays
 * into them as Stripe's test mode does, and the bank-account form lists them as hints. Any other
 * valid number succeeds on the simulated gateway.
 */

export interface TestBankAccount {
  /** What the hint says about it. */
  label: string;
  country: string;
  currency: string;
  iban?: string;
  accountNumber?: string;
  routingNumber?: string;
  /** The bank's words when a payout to it comes back, or null when payouts arrive. */
  failsAtPayout: string | null;
}

export const TEST_BANK_ACCOUNTS: readonly TestBankAccount[] = [
  {
    label: "US account, payouts arrive",
    country: "US",
    currency: "usd",
    accountNumber: "000123456789",
    routingNumber: "110000000",
    failsAtPayout: null,
  },
  {
    label: "US account, payouts fail (account closed)",
    country: "US",
    currency: "usd",
    accountNumber: "000111111116",
    routingNumber: "110000000",
    failsAtPayout: "The bank account has been closed.",
  },
  { label: "German IBAN, payouts arrive", country: "DE", currency: "eur", iban: "DE89370400440532013000", failsAtPayout: null },
  {
    label: "German IBAN, payouts fail (account not found)",
    country: "DE",
    currency: "eur",
    iban: "DE62370400440532013001",
    failsAtPayout: "The bank account could not be found.",
  },
];

const normalized = (value: string | undefined) => value?.replace(/\s+/g, "").toUpperCase();

/** The failure a payout to this account meets, when it is one of the failing test numbers; else null. */
export function testPayoutFailure(details: { iban?: string; accountNumber?: string }): string | null {
  const iban = normalized(details.iban);
  const accountNumber = normalized(details.accountNumber);
  const match = TEST_BANK_ACCOUNTS.find((account) =>
    iban ? account.iban === iban : accountNumber !== undefined && account.accountNumber === accountNumber,
  );
  return match?.failsAtPayout ?? null;
}
