import Link from "next/link";
import { LocalTime } from "@/app/wallet/local-time";
import type { EventSummary } from "@/server/events/service";
import { feeLabel, formatLabel } from "./labels";
import { PhaseBadge } from "./phase-badge";

/** The organizer dashboard's list: one row per event, drafts included. */
export function OrganizerEventList({ events }: { events: EventSummary[] }) {
  return (
    <ul className="divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
      {events.map((event) => {
        const editable = event.status !== "completed" && event.status !== "cancelled";
        return (
          <li key={event.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between">
            <div className="min-w-0 space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                <PhaseBadge phase={event.phase} />
                <p className="truncate font-semibold">{event.name}</p>
              </div>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {event.gameName} · {formatLabel[event.format]} · {feeLabel(event.entryFee)} · starts{" "}
                <LocalTime date={event.startsAt} options={{ dateStyle: "medium", timeStyle: "short" }} />
              </p>
            </div>
            <div className="flex shrink-0 items-center gap-4 text-sm">
              <p className="tabular-nums">
                <span className="font-semibold">
                  {event.seatsTaken}/{event.capacity}
                </span>{" "}
                <span className="text-zinc-600 dark:text-zinc-400">seats</span>
              </p>
              {editable ? (
                <Link href={`/organizer/events/${event.id}/edit`} className="font-medium text-brand-700 underline dark:text-brand-300">
                  Edit<span className="sr-only"> {event.name}</span>
                </Link>
              ) : null}
              <Link href={`/organizer/events/${event.id}`} className="font-medium text-brand-700 underline dark:text-brand-300">
                Registrations<span className="sr-only"> of {event.name}</span>
              </Link>
              <Link href={`/events/${event.id}`} className="font-medium text-brand-700 underline dark:text-brand-300">
                View<span className="sr-only"> {event.name}</span>
              </Link>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
