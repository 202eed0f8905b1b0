/** A promo code's discount: a percentage of the fee or a fixed amount, never a bare number. */
export type Discount = { kind: "percent"; percent: number } | { kind: "fixed"; cents: number };

/** The price after a discount; never below zero, never a fraction of a cent (rounded down). */
export function applyDiscount(fee: number, discount: Discount | null): { discount: number; total: number } {
  if (!discount) return { discount: 0, total: fee };
  const off = discount.kind === "percent" ? Math.floor((fee * discount.percent) / 100) : Math.min(discount.cents, fee);
  return { discount: off, total: fee - off };
}

/** What a withdrawal gives back of each part, the penalty kept in the event's escrow. */
export function withdrawalRefund(parts: { wallet: number; card: number }, penaltyPercent: number) {
  const keep = (amount: number) => amount - Math.floor((amount * (100 - penaltyPercent)) / 100);
  const walletBack = parts.wallet - keep(parts.wallet);
  const cardBack = parts.card - keep(parts.card);
  return { wallet: walletBack, card: cardBack, penalty: parts.wallet + parts.card - walletBack - cardBack };
}

/** Stripe's smallest card charge in USD. */
export const MIN_CARD_CHARGE = 50;
