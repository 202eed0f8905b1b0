import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { BracketConsole } from "./console";

export const metadata: Metadata = { title: "Bracket console" };

export default async function BracketConsolePage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  await requireUser(`/organizer/events/${eventId}/bracket`, "organizer");
  await Promise.all([prefetch(trpc.events.get.queryOptions({ eventId })), prefetch(trpc.brackets.get.queryOptions({ eventId }))]);
  return (
    <HydrateClient>
      <PageHeader
        title="Bracket console"
        description={
          <>
            Seed and start the bracket, call matches, handle disputes and talk to the players.{" "}
            <Link href={`/organizer/events/${eventId}`} className="underline underline-offset-2">
              Back to the event dashboard
            </Link>
          </>
        }
      />
      <BracketConsole eventId={eventId} />
    </HydrateClient>
  );
}
