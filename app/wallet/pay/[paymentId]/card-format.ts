/** "4242424242424242" → "4242 4242 4242 4242", at most 19 digits. */
export function formatCardNumber(text: string): string {
  return text
    .replace(/\D/g, "")
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, "$1 ");
}

/**
 * Where the caret belongs after reformatting: just after the same number of digits as before, so
 * editing in the middle of the number does not throw the caret to the end.
 */
export function caretAfterDigits(formatted: string, digits: number): number {
  if (digits <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < formatted.length; i++) {
    if (/\d/.test(formatted[i]!)) seen++;
    if (seen === digits) return i + 1;
  }
  return formatted.length;
}

/** "1229" → "12/29"; the slash appears only once the year starts, so Backspace is never stuck. */
export function formatExpiry(text: string): string {
  const digits = text.replace(/\D/g, "").slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
}

export function digitsOnly(text: string, max: number): string {
  return text.replace(/\D/g, "").slice(0, max);
}
