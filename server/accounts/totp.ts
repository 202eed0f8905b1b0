import { Secret, TOTP } from "otpauth";

/**
 * Authenticator-app codes (RFC 6238): SHA-1, six digits, 30-second steps, the defaults every app
 * understands. A code is accepted for the step before, the one of, and the step after `now` (clocks
 * drift and people type slowly), and only for a step later than the last one accepted, so a code
 * seen over someone's shoulder cannot be used again.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = "Driftwood";

/** A fresh 160-bit secret, base32 (what authenticator apps take when typed in by hand). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI a QR code carries: the account's email as its label. */
export function totpUri(secretBase32: string, accountLabel: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: accountLabel,
    secret: Secret.fromBase32(secretBase32),
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The step (count of 30-second periods since the epoch) a moment falls in. */
export function totpStep(now: Date): number {
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: now.getTime() });
}

/** The code for a moment (tests; the app never computes codes for the user). */
export function totpCodeAt(secretBase32: string, now: Date): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: now.getTime(),
  });
}

/** "123 456", "123-456" and " 123456 " are all the same code. */
export function normalizeTotpCode(code: string): string {
  return code.replace(/[\s-]/g, "");
}

/**
 * The step a code belongs to, when it is right for one of the three accepted steps around `now`
 * and later than `lastUsedStep`; otherwise null.
 */
export function matchTotpCode(secretBase32: string, code: string, options: { now: Date; lastUsedStep: number | null }): number | null {
  const token = normalizeTotpCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const secret = Secret.fromBase32(secretBase32);
  const current = totpStep(options.now);
  for (const delta of [-1, 0, 1]) {
    const step = current + delta;
    if (options.lastUsedStep !== null && step <= options.lastUsedStep) continue;
    const found = TOTP.validate({
      token,
      secret,
      digits: TOTP_DIGITS,
      period: TOTP_PERIOD_SECONDS,
      timestamp: step * TOTP_PERIOD_SECONDS * 1000,
      window: 0,
    });
    if (found === 0) return step;
  }
  return null;
}
