// Browser-safe: loaded by client components; imports nothing server-only.
import type { EventStatus } from "@/lib/event-values";

export type EventPhase =
  | "draft"
  | "upcoming"
  | "registration_open"
  | "registration_closed"
  | "check_in"
  | "live"
  | "completed"
  | "cancelled";

interface Timeline {
  status: EventStatus;
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  checkInOpensAt: Date;
  checkInClosesAt: Date;
  startsAt: Date;
}

/** What a player sees: the stored status refined by the clock. */
export function eventPhase(event: Timeline, now = new Date()): EventPhase {
  if (event.status !== "published") return event.status;
  if (now < event.registrationOpensAt) return "upcoming";
  if (now >= event.checkInOpensAt && now < event.checkInClosesAt) return "check_in";
  if (now < event.registrationClosesAt) return "registration_open";
  return "registration_closed";
}

export const phaseLabel: Record<EventPhase, string> = {
  draft: "Draft",
  upcoming: "Registration opens soon",
  registration_open: "Registration open",
  registration_closed: "Registration closed",
  check_in: "Check-in open",
  live: "Live",
  completed: "Completed",
  cancelled: "Cancelled",
};

/** The next moment that matters to a player, for the countdown. */
export function nextDeadline(event: Timeline, now = new Date()): { label: string; at: Date } | null {
  if (event.status === "cancelled" || event.status === "completed" || event.status === "live") return null;
  const steps: [string, Date][] = [
    ["Registration opens", event.registrationOpensAt],
    ["Registration closes", event.registrationClosesAt],
    ["Check-in opens", event.checkInOpensAt],
    ["Check-in closes", event.checkInClosesAt],
    ["Starts", event.startsAt],
  ];
  const upcoming = steps.filter(([, at]) => at > now).sort((a, b) => a[1].getTime() - b[1].getTime());
  return upcoming[0] ? { label: upcoming[0][0], at: upcoming[0][1] } : null;
}

/** Prize money: what the organizer put in plus the promised share of the entry fees paid. */
export function prizePool(event: { organizerPrize: number; prizeFromFeesPercent: number }, feesPaid: number): number {
  return event.organizerPrize + Math.floor((feesPaid * event.prizeFromFeesPercent) / 100);
}

/** Each place's prize; rounding leftovers go to first place so the payouts add up exactly. */
export function payouts(pool: number, split: number[]): number[] {
  const shares = split.map((percent) => Math.floor((pool * percent) / 100));
  const leftover = pool - shares.reduce((a, b) => a + b, 0);
  if (shares.length > 0) shares[0]! += leftover;
  return shares;
}
