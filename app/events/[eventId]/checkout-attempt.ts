/**
 * One idempotency key per checkout attempt, kept in sessionStorage so a double click, a refresh or
 * back-navigation resubmits the same attempt instead of charging twice. Changing what is paid
 * (the split, the code, the team) is a new attempt with a new key.
 */
interface Attempt {
  key: string;
  walletAmount: number;
  promoCode: string;
  teamId: string;
}

const storageKey = (eventId: string) => `driftwood:checkout:${eventId}`;

export function attemptKey(eventId: string, details: Omit<Attempt, "key">): string {
  try {
    const stored = JSON.parse(sessionStorage.getItem(storageKey(eventId)) ?? "null") as Attempt | null;
    if (
      stored &&
      stored.walletAmount === details.walletAmount &&
      stored.promoCode === details.promoCode &&
      stored.teamId === details.teamId
    ) {
      return stored.key;
    }
  } catch {
    // unreadable storage: start a new attempt
  }
  const key = crypto.randomUUID();
  try {
    sessionStorage.setItem(storageKey(eventId), JSON.stringify({ ...details, key }));
  } catch {
    // private mode without storage: the key still protects this page's double clicks
  }
  return key;
}

export function endCheckoutAttempt(eventId: string) {
  try {
    sessionStorage.removeItem(storageKey(eventId));
  } catch {
    // nothing to clear
  }
}
