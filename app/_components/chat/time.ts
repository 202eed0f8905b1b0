/** How chat shows times: short stamps in lists, day separators, and "last seen" phrases. */

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const shortDate = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

const DAY_MS = 86_400_000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole calendar days between the two dates in local time (0: same day, 1: yesterday). */
function daysBetween(date: Date, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
}

export function isSameDay(a: Date, b: Date): boolean {
  return startOfDay(a) === startOfDay(b);
}

/** "14:05" style time of day. */
export function timeOfDay(date: Date): string {
  return clock.format(date);
}

/** The full date and time, for a tooltip. */
export function fullTime(date: Date): string {
  return full.format(date);
}

/** A room list stamp: "now", "5 min", the time today, "Yesterday", a weekday this week, else "12 Mar". */
export function listStamp(date: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - date.getTime()) / 60_000);
  if (minutes < 1) return "now";
  if (minutes < 60) return `${minutes} min`;
  const days = daysBetween(date, now);
  if (days <= 0) return timeOfDay(date);
  if (days === 1) return "Yesterday";
  if (days < 7) return weekday.format(date);
  return shortDate.format(date);
}

/** The day separator in a conversation: "Today", "Yesterday", or the full day. */
export function dayLabel(date: Date, now: Date): string {
  const days = daysBetween(date, now);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return longDay.format(date);
}

/** "Last seen 5 min ago", "Last seen yesterday", … for a player who is not online now. */
export function lastSeenPhrase(lastSeenAt: Date | null, now: Date): string {
  if (!lastSeenAt) return "Offline";
  const minutes = Math.floor((now.getTime() - lastSeenAt.getTime()) / 60_000);
  if (minutes < 1) return "Last seen just now";
  if (minutes < 60) return `Last seen ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `Last seen ${relative.format(-hours, "hour")}`;
  const days = daysBetween(lastSeenAt, now);
  if (days < 7) return `Last seen ${relative.format(-Math.max(1, days), "day")}`;
  return `Last seen on ${shortDate.format(lastSeenAt)}`;
}
