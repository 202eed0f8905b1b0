import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader, Spinner } from "@/app/_components/ui";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { EventsBrowser } from "./_components/events-browser";
import { filtersFromParams, listInputOf } from "./_components/search-params";

export const metadata: Metadata = { title: "Events" };

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filters = filtersFromParams(await searchParams);
  const games = await getQueryClient().fetchQuery(trpc.games.list.queryOptions());
  // Awaited, so the first render already has the events (useQuery would otherwise render
  // "loading" on the server and the list in the browser). A date range depends on the viewer's
  // time zone, which only the browser knows: then the browser fetches.
  if (!filters.from && !filters.to) await getQueryClient().prefetchQuery(trpc.events.list.queryOptions(listInputOf(filters, games)));
  return (
    <HydrateClient>
      <PageHeader title="Events" description="Find a tournament to join or watch: upcoming and live events first." />
      <Suspense fallback={<Spinner label="Loading events…" />}>
        <EventsBrowser initial={filters} />
      </Suspense>
    </HydrateClient>
  );
}
