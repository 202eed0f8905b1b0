"use client";

import { Card } from "@/app/_components/ui";
import { LocalTime } from "@/app/wallet/local-time";
import type { Entry } from "./registrations";

/** How the event's seats stand, from its entries: confirmed of the capacity, checkouts being paid, offers and the waitlist. */
export function seatCounts(entries: readonly Entry[]) {
  const count = (status: Entry["status"]) => entries.filter((entry) => entry.status === status).length;
  return { confirmed: count("confirmed"), paying: count("pending_payment"), offered: count("offered"), waiting: count("waitlisted") };
}

/**
 * "Confirmed 3 / 8 · 2 paying · 1 on the waitlist": one line that moves as players register, pay,
 * leave and wait. A polite live region, so a screen reader hears the change too.
 */
export function SeatCounter({ entries, capacity }: { entries: readonly Entry[]; capacity: number }) {
  const { confirmed, paying, offered, waiting } = seatCounts(entries);
  const parts = [
    `Confirmed ${confirmed} / ${capacity}`,
    `${paying} paying`,
    offered > 0 ? `${offered} offered a seat` : null,
    `${waiting} on the waitlist`,
  ].filter(Boolean);
  return (
    <p role="status" aria-live="polite" className="mt-3 text-sm font-medium text-zinc-800 dark:text-zinc-200" data-testid="seat-counter">
      {parts.join(" · ")}
    </p>
  );
}

/**
 * Who waits for a seat, first in line first: a player offered a freed seat has a time-limited
 * offer to pay (registration's releaseSeat makes it); the others wait their turn.
 */
export function Waitlist({ entries }: { entries: readonly Entry[] }) {
  const line = entries
    .filter((entry) => entry.status === "waitlisted" || entry.status === "offered")
    .sort((a, b) => (a.waitlistedAt?.getTime() ?? 0) - (b.waitlistedAt?.getTime() ?? 0) || a.createdAt.getTime() - b.createdAt.getTime());
  return (
    <Card>
      <section aria-labelledby="waitlist-heading">
        <h2 id="waitlist-heading" className="text-lg font-semibold">
          Waitlist{line.length > 0 ? ` (${line.length})` : ""}
        </h2>
        {line.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Nobody is waiting. When the event is full, players who register join the waitlist here, and a freed seat is offered to the first
            in line.
          </p>
        ) : (
          <ol className="mt-3 space-y-2">
            {line.map((entry, index) => (
              <li key={entry.id} className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                <span className="min-w-0 font-medium">
                  {index + 1}. {entry.name}
                </span>
                <span className="text-zinc-600 dark:text-zinc-400">
                  {entry.status === "offered" ? (
                    "Offered a freed seat"
                  ) : entry.waitlistedAt ? (
                    <>
                      Waiting since <LocalTime date={entry.waitlistedAt} />
                    </>
                  ) : (
                    "Waiting"
                  )}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </Card>
  );
}
