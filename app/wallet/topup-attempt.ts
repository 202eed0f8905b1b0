/**
 * The browser's memory of the top-up it is starting. The idempotency key lives in sessionStorage
 * so a double click, a refresh or coming back with the Back button finds the same payment instead
 * of starting a second one; it is per tab, so two tabs never share an attempt.
 */

const STORAGE_KEY = "driftwood:topup-attempt";

export interface TopUpAttempt {
  amount: number;
  key: string;
  /** Known once the server has answered, so the attempt can be closed when that payment ends. */
  paymentId?: string;
}

// When storage is blocked (some private modes) the attempt still survives double clicks.
let memory: TopUpAttempt | null = null;

function read(): TopUpAttempt | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<TopUpAttempt>;
    return typeof value.amount === "number" && typeof value.key === "string" ? (value as TopUpAttempt) : null;
  } catch {
    return memory;
  }
}

function write(attempt: TopUpAttempt | null) {
  memory = attempt;
  try {
    if (attempt) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(attempt));
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage unavailable: the in-memory copy above is all we have.
  }
}

/** The attempt for this amount: the stored one when the amount matches, otherwise a fresh key. */
export function attemptFor(amount: number): TopUpAttempt {
  const stored = read();
  if (stored && stored.amount === amount) return stored;
  const fresh = { amount, key: crypto.randomUUID() };
  write(fresh);
  return fresh;
}

export function rememberPayment(attempt: TopUpAttempt, paymentId: string) {
  const stored = read();
  if (stored?.key === attempt.key) write({ ...stored, paymentId });
}

/** Ends the stored attempt; with a payment id, only if the attempt is for that payment. */
export function endAttempt(paymentId?: string) {
  const stored = read();
  if (!stored) return;
  if (paymentId && stored.paymentId !== paymentId) return;
  write(null);
}
