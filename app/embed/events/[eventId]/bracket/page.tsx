import type { Metadata } from "next";
import { Suspense } from "react";
import { HydrateClient } from "@/app/_trpc/server";
import { LiveBracket } from "@/app/events/[eventId]/bracket/live-bracket";
import { loadBracket } from "@/app/events/[eventId]/bracket/load";

type Props = { params: Promise<{ eventId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { eventId } = await params;
  const data = await loadBracket(eventId);
  return { title: `Bracket · ${data.event.name}`, robots: { index: false } };
}

/**
 * The bracket alone, for a stream overlay (an OBS browser source): no site header (see
 * `SiteChrome` in the root layout), a transparent background, live like the bracket page.
 */
export default async function EmbedBracketPage({ params }: Props) {
  const { eventId } = await params;
  await loadBracket(eventId);
  return (
    <HydrateClient>
      {/* Transparent behind the drawing, so the stream shows through around the cards. */}
      <style>{"html,body{background:transparent!important}"}</style>
      <Suspense fallback={null}>
        <LiveBracket eventId={eventId} variant="embed" />
      </Suspense>
    </HydrateClient>
  );
}
