/** Remaining time as text, for countdowns. All functions take whole seconds. */

function parts(total: number) {
  const s = Math.max(0, Math.floor(total));
  return { days: Math.floor(s / 86_400), hours: Math.floor((s % 86_400) / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
}

/** "2d 4h", "4h 12m", "12m", "45s": for cards, where the second does not matter. */
export function shortDuration(total: number): string {
  const { days, hours, minutes, seconds } = parts(total);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "03:12:45", or "2d 03:12:45" when more than a day is left. */
export function clockDuration(total: number): string {
  const { days, hours, minutes, seconds } = parts(total);
  const clock = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** "2 days 3 hours 12 minutes": for screen readers, which should not hear "zero three colon". */
export function spokenDuration(total: number): string {
  const { days, hours, minutes, seconds } = parts(total);
  const unit = (n: number, word: string) => (n > 0 ? `${n} ${word}${n === 1 ? "" : "s"}` : null);
  const words = [unit(days, "day"), unit(hours, "hour"), unit(minutes, "minute")];
  if (days === 0 && hours === 0) words.push(unit(seconds, "second"));
  return words.filter(Boolean).join(" ") || "less than a second";
}
