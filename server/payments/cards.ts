// Browser-safe: loaded by client components; imports nothing server-only.
/** Stripe's test cards, as the simulated card page understands them. */
export const testCards = {
  success: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  authenticationRequired: "4000002500003155",
} as const;

export type CardOutcome = { kind: "succeeded" } | { kind: "requires_action" } | { kind: "declined"; message: string; code: string };

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length >= 12 && sum % 10 === 0;
}

/** What the simulated bank answers for a (valid) card number. */
export function cardOutcome(digits: string): CardOutcome {
  switch (digits) {
    case testCards.success:
      return { kind: "succeeded" };
    case testCards.authenticationRequired:
      return { kind: "requires_action" };
    case testCards.declined:
      return { kind: "declined", code: "card_declined", message: "Your card was declined." };
    case testCards.insufficientFunds:
      return { kind: "declined", code: "insufficient_funds", message: "Your card has insufficient funds." };
    default:
      return {
        kind: "declined",
        code: "test_mode_live_card",
        message: "This is a test payment: use a test card such as 4242 4242 4242 4242.",
      };
  }
}
