import Link from "next/link";
import { LocalTime } from "@/app/wallet/local-time";
import type { EventSummary } from "@/server/events/service";
import { formatMoney } from "@/lib/money";
import { DeadlineCountdown } from "./deadline-countdown";
import { EventBanner } from "./event-banner";
import { feeLabel, formatLabel, participantsLabel } from "./labels";
import { PhaseBadge } from "./phase-badge";

const dateOptions: Intl.DateTimeFormatOptions = { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };

/** One event in a grid: the whole card is a link to the event page. */
export function EventCard({ event }: { event: EventSummary }) {
  const full = event.seatsTaken >= event.capacity;
  return (
    <article className="relative flex h-full flex-col rounded-lg border border-zinc-200 bg-white p-4 shadow-sm transition-colors hover:border-brand-400 has-[a:focus-visible]:border-brand-500 has-[a:focus-visible]:outline-2 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-brand-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-brand-700">
      {event.hasBanner ? (
        <EventBanner
          eventId={event.id}
          hasBanner
          name={event.name}
          variant="strip"
          className="-mx-4 -mt-4 mb-3 w-[calc(100%+2rem)] max-w-none rounded-t-[7px]"
        />
      ) : null}
      <div className="flex items-start justify-between gap-3">
        <p className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{event.gameName}</p>
        <PhaseBadge phase={event.phase} />
      </div>
      <h3 className="mt-1 text-lg font-semibold leading-snug break-words">
        <Link href={`/events/${event.id}`} className="after:absolute after:inset-0 after:rounded-lg focus-visible:outline-none">
          {event.name}
        </Link>
      </h3>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {formatLabel[event.format]} · {participantsLabel(event.participantType, event.teamSize)}
      </p>
      <dl className="mt-4 grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-zinc-600 dark:text-zinc-400">Entry</dt>
          <dd className="font-semibold">{feeLabel(event.entryFee)}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-600 dark:text-zinc-400">Prize pool</dt>
          <dd className="font-semibold">{event.prizePool > 0 ? formatMoney(event.prizePool) : "None"}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-600 dark:text-zinc-400">Seats</dt>
          <dd className="font-semibold tabular-nums">
            {event.seatsTaken}/{event.capacity}
            {full ? <span className="ml-1 text-xs font-normal text-amber-700 dark:text-amber-300">Full</span> : null}
          </dd>
        </div>
      </dl>
      <div className="mt-4 space-y-1 border-t border-zinc-200 pt-3 text-sm dark:border-zinc-800">
        <p>
          <span className="text-zinc-600 dark:text-zinc-400">Starts </span>
          <LocalTime date={event.startsAt} options={dateOptions} />
        </p>
        {event.nextDeadline ? (
          <p className="font-medium text-brand-700 dark:text-brand-300">
            <DeadlineCountdown label={event.nextDeadline.label} at={event.nextDeadline.at} />
          </p>
        ) : null}
      </div>
    </article>
  );
}
