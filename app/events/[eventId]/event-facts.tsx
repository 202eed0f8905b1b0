import type { ReactNode } from "react";
import { LocalTime } from "@/app/wallet/local-time";
import { feeLabel, formatLabel, participantsLabel } from "../_components/labels";
import { ZonedTime } from "../_components/zoned-time";
import type { EventDetail } from "./types";

const short: Intl.DateTimeFormatOptions = { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-3 sm:grid-cols-[10rem_1fr] sm:gap-4">
      <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{term}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

export function EventFacts({ event }: { event: EventDetail }) {
  const seatsLeft = Math.max(0, event.capacity - event.seatsTaken);
  return (
    <section
      aria-labelledby="facts-heading"
      className="rounded-lg border border-zinc-200 bg-white px-5 py-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="facts-heading" className="text-lg font-semibold">
        Key facts
      </h2>
      <dl className="mt-1 divide-y divide-zinc-200 dark:divide-zinc-800">
        <Fact term="Format">{formatLabel[event.format]}</Fact>
        <Fact term="Players">{participantsLabel(event.participantType, event.teamSize, event.substitutes)}</Fact>
        <Fact term="Entry fee">
          {feeLabel(event.entryFee)}
          {event.entryFee > 0 && event.withdrawalPenaltyPercent > 0 ? (
            <span className="text-zinc-600 dark:text-zinc-400"> · {event.withdrawalPenaltyPercent}% is kept if you withdraw</span>
          ) : null}
        </Fact>
        <Fact term="Seats">
          <span className="font-semibold tabular-nums">
            {event.seatsTaken}/{event.capacity}
          </span>{" "}
          taken · {event.confirmed} confirmed · {seatsLeft === 0 ? "full" : `${seatsLeft} left`}
        </Fact>
        <Fact term="Starts">
          <LocalTime date={event.startsAt} options={{ dateStyle: "full", timeStyle: "short" }} /> your time
          <br />
          <span className="text-zinc-600 dark:text-zinc-400">
            <ZonedTime date={event.startsAt} timeZone={event.timeZone} /> event time
          </span>
        </Fact>
        <Fact term="Registration">
          <LocalTime date={event.registrationOpensAt} options={short} /> to <LocalTime date={event.registrationClosesAt} options={short} />
        </Fact>
        <Fact term="Check-in">
          <LocalTime date={event.checkInOpensAt} options={short} /> to <LocalTime date={event.checkInClosesAt} options={short} />
        </Fact>
      </dl>
    </section>
  );
}
