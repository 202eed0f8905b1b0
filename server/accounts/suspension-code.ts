// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * How a refused sign-in tells the form about a suspension: `suspended:<end ISO or "none">:<reason>`
 * (the reason URI-encoded), read back by parseSuspendedCode.
 */
export function suspendedCode(until: Date | null, reason: string): string {
  return `suspended:${until ? until.toISOString() : "none"}:${encodeURIComponent(reason)}`;
}

export function parseSuspendedCode(code: string | null | undefined): { until: Date | null; reason: string } | null {
  // The end is an ISO time, colons and all, so it is matched by its shape, not up to the next colon.
  const match = /^suspended:(none|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z):(.*)$/s.exec(code ?? "");
  if (!match) return null;
  const until = match[1] === "none" ? null : new Date(match[1]!);
  if (until && Number.isNaN(until.getTime())) return null;
  let reason: string;
  try {
    reason = decodeURIComponent(match[2]!);
  } catch {
    reason = "";
  }
  return { until, reason };
}

/** "until 14 December 2026, 18:00 UTC" or "with no end date": a suspension's end in words. */
export function suspensionEndInWords(until: Date | null): string {
  if (!until) return "with no end date";
  const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(until);
  return `until ${when} UTC`;
}
