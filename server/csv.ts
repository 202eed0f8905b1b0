/** Writing CSV for spreadsheets: one place for quoting, formula neutralising and money. */

/** Integer cents as plain decimal dollars ("-10.00"), the form spreadsheets read as a number. */
export function csvDollars(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * One CSV field. Text a spreadsheet would run as a formula (=, +, -, @, or a leading tab or
 * carriage return) gets a leading apostrophe, because names and descriptions come from players.
 */
export function csvField(value: string | number | null | undefined, { numeric = false } = {}): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  const safe = !numeric && typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(fields: string[]): string {
  return fields.join(",");
}
