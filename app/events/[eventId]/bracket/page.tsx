import type { Metadata } from "next";
import { Suspense } from "react";
import { Spinner } from "@/app/_components/ui";
import { HydrateClient } from "@/app/_trpc/server";
import { getCurrentUser } from "@/server/accounts/session";
import { LiveBracket } from "./live-bracket";
import { loadBracket } from "./load";

type Props = { params: Promise<{ eventId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { eventId } = await params;
  const data = await loadBracket(eventId);
  return { title: `Bracket · ${data.event.name}`, description: `The live bracket of ${data.event.name} on Driftwood.` };
}

/** The public, live bracket of an event: no sign-in needed; drafts are a 404 like the event page. */
export default async function BracketPage({ params }: Props) {
  const { eventId } = await params;
  await loadBracket(eventId);
  const user = await getCurrentUser();
  return (
    <HydrateClient>
      <Suspense fallback={<Spinner label="Loading the bracket…" />}>
        <LiveBracket eventId={eventId} signedIn={user !== null} />
      </Suspense>
    </HydrateClient>
  );
}
