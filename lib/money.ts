/** Money is integer cents everywhere; these are the only conversions to and from text. */

export const CURRENCY = "USD";

// Made once: building a NumberFormat costs far more than formatting with one.
const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: CURRENCY });

export function formatMoney(cents: number, options: { signed?: boolean } = {}): string {
  const formatted = dollars.format(Math.abs(cents) / 100);
  if (cents < 0) return `−${formatted}`;
  return options.signed && cents > 0 ? `+${formatted}` : formatted;
}

/** "12.5", "12.50", "$1,000" → cents; null when it is not an amount with at most two decimals. */
export function parseMoney(text: string): number | null {
  const cleaned = text.trim().replace(/^\$/, "").replaceAll(",", "");
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}
