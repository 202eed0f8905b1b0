import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { EventDashboard } from "./dashboard";

export const metadata: Metadata = { title: "Event dashboard" };

export default async function EventDashboardPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  await requireUser(`/organizer/events/${eventId}`, "organizer");
  await Promise.all([prefetch(trpc.events.get.queryOptions({ eventId })), prefetch(trpc.registration.forEvent.queryOptions({ eventId }))]);
  return (
    <HydrateClient>
      <PageHeader title="Event dashboard" description="Registrations, payments, the waitlist and check-in for your event." />
      <EventDashboard eventId={eventId} />
    </HydrateClient>
  );
}
