import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader, Spinner } from "@/app/_components/ui";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { platformFeePercent } from "@/server/env";
import { EventForm } from "../_components/event-form";

export const metadata: Metadata = { title: "Create an event" };

export default async function NewEventPage() {
  await requireUser("/organizer/events/new", "organizer");
  await prefetch(trpc.games.list.queryOptions());
  return (
    <HydrateClient>
      <div className="mx-auto max-w-3xl">
        <PageHeader
          title="Create an event"
          description="It starts as a draft that only you can see; publish it from its page when it is ready."
        />
        <Suspense fallback={<Spinner label="Loading the form…" />}>
          <EventForm platformFeePercent={platformFeePercent} />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
