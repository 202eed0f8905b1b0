import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { Suspense } from "react";
import { Alert, LinkButton, PageHeader, Spinner } from "@/app/_components/ui";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { eventFormValuesOf } from "@/app/events/_components/event-form-values";
import { requireUser } from "@/server/accounts/session";
import { eventIdInput } from "@/server/events/schemas";
import { EventForm } from "../../_components/event-form";

export const metadata: Metadata = { title: "Edit event" };

export default async function EditEventPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  await requireUser(`/organizer/events/${encodeURIComponent(eventId)}/edit`, "organizer");
  if (!eventIdInput.safeParse({ eventId }).success) notFound();
  const event = await getQueryClient()
    .fetchQuery({ ...trpc.events.get.queryOptions({ eventId }), retry: false })
    .catch((error: unknown) => {
      if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
      throw error;
    });
  // Another organizer's published event is readable, but not theirs to change.
  if (!event.canManage) forbidden();
  await prefetch(trpc.games.list.queryOptions());
  const closed = event.status === "completed" || event.status === "cancelled";
  return (
    <HydrateClient>
      <div className="mx-auto max-w-3xl">
        <PageHeader title={`Edit ${event.name}`} description="Times are shown on the clock of the event's time zone." />
        {closed ? (
          <div className="space-y-4">
            <Alert tone="info">This event is {event.status}, so it can no longer be edited.</Alert>
            <LinkButton href={`/events/${eventId}`} variant="secondary">
              Back to the event
            </LinkButton>
          </div>
        ) : (
          <Suspense fallback={<Spinner label="Loading the form…" />}>
            <EventForm
              eventId={eventId}
              initial={eventFormValuesOf(event)}
              locked={event.seatsTaken > 0}
              platformFeePercent={event.platformFeePercent}
            />
          </Suspense>
        )}
      </div>
    </HydrateClient>
  );
}
