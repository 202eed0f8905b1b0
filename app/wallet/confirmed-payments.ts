/**
 * Payments the card step saw the bank accept in this tab. Our own record only changes when the
 * provider's webhook lands, a second or two later; until then a payment that had been declined
 * once still reads "failed", and the wallet must keep waiting instead of showing the old decline.
 */
const confirmed = new Set<string>();

export function markConfirmed(paymentId: string) {
  confirmed.add(paymentId);
}

export function wasConfirmed(paymentId: string): boolean {
  return confirmed.has(paymentId);
}
