import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Spinner } from "@/app/_components/ui";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { getCurrentUser } from "@/server/accounts/session";
import { eventIdInput } from "@/server/events/schemas";
import { EventView } from "./event-view";

type Props = { params: Promise<{ eventId: string }> };

/** The event, or a real 404 for a bad id, a missing event or someone else's draft. */
async function loadEvent(eventId: string) {
  if (!eventIdInput.safeParse({ eventId }).success) notFound();
  try {
    return await getQueryClient().fetchQuery({ ...trpc.events.get.queryOptions({ eventId }), retry: false });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { eventId } = await params;
  const event = await loadEvent(eventId);
  return { title: event.name, description: `${event.gameName} tournament by ${event.organizerName} on Driftwood.` };
}

export default async function EventPage({ params }: Props) {
  const { eventId } = await params;
  await loadEvent(eventId);
  const user = await getCurrentUser();
  // Awaited so the server renders the list the browser will hydrate, not a loading state.
  await getQueryClient().prefetchQuery(trpc.events.participants.queryOptions({ eventId }));
  return (
    <HydrateClient>
      <Suspense fallback={<Spinner label="Loading the event…" />}>
        <EventView eventId={eventId} signedIn={user !== null} viewer={user ? { id: user.id, name: user.name, image: user.image } : null} />
      </Suspense>
    </HydrateClient>
  );
}
