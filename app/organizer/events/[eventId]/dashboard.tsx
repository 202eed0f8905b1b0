"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { messageOf } from "@/app/_components/errors";
import { Alert, buttonClass, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";
import { phaseLabel } from "@/server/events/phase";
import { AddParticipant } from "./add-participant";
import { CancelEvent } from "./cancel-event";
import { EventMoney } from "./event-money";
import { ImportForm } from "./import-form";
import { NoShows } from "./no-shows";
import { PromoCodes } from "./promo-codes";
import { Registrations } from "./registrations";
import { Stat } from "./stat";
import { useLiveEntries } from "./use-refresh-entries";
import { SeatCounter, Waitlist, seatCounts } from "./waitlist";
import { formatMoney } from "@/lib/money";

/** The organizer's event dashboard: the event's figures and money, its registrations, and the tools to manage them. */
export function EventDashboard({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const event = useQuery(trpc.events.get.queryOptions({ eventId }));
  const entries = useQuery(trpc.registration.forEvent.queryOptions({ eventId }));
  // Registrations, payments, check-ins, withdrawals and refunds show up without a reload.
  const { status: live } = useLiveEntries(eventId);

  if (event.isPending || entries.isPending) return <Spinner label="Loading the event…" />;
  if (event.isError) return <Alert>{messageOf(event.error)}</Alert>;
  if (entries.isError) return <Alert>{messageOf(entries.error)}</Alert>;
  const confirmed = entries.data.filter((r) => r.status === "confirmed");
  const checkedIn = confirmed.filter((r) => r.checkedInAt).length;
  const { waiting } = seatCounts(entries.data);

  return (
    <div className="space-y-6" data-live={live}>
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="text-xl font-semibold">
              <Link href={`/events/${eventId}`} className="underline-offset-2 hover:underline">
                {event.data.name}
              </Link>
            </h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {phaseLabel[event.data.phase]} · starts <LocalTime date={event.data.startsAt} />
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Link href={`/organizer/events/${eventId}/bracket`} className={buttonClass("primary")}>
              Bracket console
            </Link>
            <Link href={`/organizer/events/${eventId}/edit`} className={buttonClass("secondary")}>
              Edit
            </Link>
            <a href={`/api/organizer/events/${eventId}/registrations`} className={buttonClass("secondary")}>
              Download CSV
            </a>
          </div>
        </div>
        <SeatCounter entries={entries.data} capacity={event.data.capacity} />
        <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat label="Confirmed" value={`${confirmed.length} / ${event.data.capacity}`} />
          <Stat label="Checked in" value={`${checkedIn} / ${confirmed.length}`} />
          <Stat label="Waitlist" value={String(waiting)} />
          <Stat label="Prize pool" value={formatMoney(event.data.prizePool)} />
        </dl>
      </Card>

      <EventMoney eventId={eventId} />

      <Registrations eventId={eventId} entries={entries.data} started={event.data.status === "live" || event.data.status === "completed"} />

      <div className="grid gap-6 lg:grid-cols-2">
        <Waitlist entries={entries.data} />
        <AddParticipant eventId={eventId} />
        <ImportForm eventId={eventId} />
        <NoShows
          eventId={eventId}
          checkInClosesAt={event.data.checkInClosesAt}
          noShows={confirmed.length - checkedIn}
          status={event.data.status}
        />
        <PromoCodes eventId={eventId} />
        {event.data.status !== "cancelled" && event.data.status !== "completed" ? <CancelEvent eventId={eventId} /> : null}
      </div>
    </div>
  );
}
