"use client";

import { LocalTime } from "@/app/wallet/local-time";
import { DeadlineCountdown } from "../_components/deadline-countdown";
import type { EventDetail } from "./types";

function settled(event: EventDetail): string {
  switch (event.status) {
    case "live":
      return "This event is live: matches are being played.";
    case "completed":
      return "This event has finished.";
    case "cancelled":
      return "This event was cancelled.";
    default:
      return "The start time has passed; the organizer will start the event shortly.";
  }
}

/** The countdown to the next moment that matters to a player, ticking each second. */
export function NextDeadline({ event, onElapsed }: { event: EventDetail; onElapsed: () => void }) {
  const next = event.nextDeadline;
  return (
    <div className="rounded-lg border border-brand-300 bg-brand-50 px-5 py-4 dark:border-brand-800 dark:bg-zinc-900">
      {next ? (
        <>
          <p className="text-xl font-semibold text-zinc-900 sm:text-2xl dark:text-zinc-50">
            <DeadlineCountdown label={next.label} at={next.at} variant="clock" onElapsed={onElapsed} />
          </p>
          <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
            {next.label} <LocalTime date={next.at} options={{ dateStyle: "full", timeStyle: "short" }} />, your time.
          </p>
        </>
      ) : (
        <p className="font-semibold">{settled(event)}</p>
      )}
    </div>
  );
}
