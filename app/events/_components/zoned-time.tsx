const DEFAULT: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };

/**
 * A time on the wall clock of a named zone (the event's), e.g. "Dec 1, 2026, 6:00 PM (CET)".
 * The zone is fixed, so server and browser agree; only the zone's short name may be spelled
 * differently by their locale data, which is why the hydration warning is silenced.
 */
export function ZonedTime({ date, timeZone, options = DEFAULT }: { date: Date; timeZone: string; options?: Intl.DateTimeFormatOptions }) {
  const text = date.toLocaleString("en-US", { ...options, timeZone });
  const zone =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }).formatToParts(date).find((part) => part.type === "timeZoneName")
      ?.value ?? timeZone;
  return (
    <time dateTime={date.toISOString()} suppressHydrationWarning>
      {`${text} (${zone === timeZone ? zone : `${zone}, ${timeZone.replaceAll("_", " ")}`})`}
    </time>
  );
}
