"use client";

import { keepPreviousData, useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { EventCard } from "./event-card";
import { EventFiltersBar } from "./event-filters";
import { Pagination } from "@/app/_components/pagination";
import { filtersToQuery, hasNarrowingFilters, listInputOf, type EventFilters } from "./search-params";

const cleared: Omit<EventFilters, "sort"> = {
  search: "",
  game: "",
  format: undefined,
  price: undefined,
  from: "",
  to: "",
  phase: undefined,
  page: 1,
};

/** The discovery list: filters live in the address bar, so a filtered view can be shared. */
export function EventsBrowser({ initial }: { initial: EventFilters }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setFilters] = useState<EventFilters>(initial);
  const [searchText, setSearchText] = useState(initial.search);
  const { data: games } = useSuspenseQuery(trpc.games.list.queryOptions());

  // Typing waits a moment before searching, so each keystroke is not a request.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilters((current) => (current.search === searchText.trim() ? current : { ...current, search: searchText.trim(), page: 1 }));
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText]);

  useEffect(() => {
    const query = filtersToQuery(filters);
    router.replace(query.size > 0 ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [filters, pathname, router]);

  const input = useMemo(() => listInputOf(filters, games), [filters, games]);
  const list = useQuery({ ...trpc.events.list.queryOptions(input), placeholderData: keepPreviousData });
  const change = (next: Partial<EventFilters>) => setFilters((current) => ({ ...current, ...next, page: 1 }));
  const goTo = (page: number) => {
    setFilters((current) => ({ ...current, page }));
    document.getElementById("events-results")?.scrollIntoView({ block: "start" });
  };

  return (
    <div className="space-y-6">
      <EventFiltersBar filters={filters} searchText={searchText} games={games} onSearchText={setSearchText} onChange={change} />
      <section id="events-results" aria-labelledby="events-results-heading" className="scroll-mt-4 space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="events-results-heading" className="sr-only">
            Results
          </h2>
          <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
            {list.data ? `${list.data.total} event${list.data.total === 1 ? "" : "s"} found` : list.isPending ? "Looking for events…" : ""}
          </p>
          {hasNarrowingFilters(filters) ? (
            <Button
              type="button"
              variant="ghost"
              className="px-2 py-1"
              onClick={() => {
                setSearchText("");
                setFilters((current) => ({ ...cleared, sort: current.sort }));
              }}
            >
              Clear filters
            </Button>
          ) : null}
        </div>
        {list.isError ? (
          <Alert>
            {messageOf(list.error)}{" "}
            <button type="button" className="font-semibold underline" onClick={() => void list.refetch()}>
              Try again
            </button>
          </Alert>
        ) : null}
        {list.isPending ? <Spinner label="Loading events…" /> : null}
        {list.data && list.data.events.length === 0 ? (
          <EmptyState
            title={hasNarrowingFilters(filters) ? "No events match your search" : "No upcoming or live events right now"}
            action={
              filters.page > 1 ? (
                <Button variant="secondary" onClick={() => goTo(1)}>
                  Back to the first page
                </Button>
              ) : undefined
            }
          >
            {filters.page > 1
              ? `There is no page ${filters.page} of results.`
              : hasNarrowingFilters(filters)
                ? "Try another name, widen the dates or clear some filters."
                : "Check back soon: organizers publish new tournaments every week."}
          </EmptyState>
        ) : null}
        {list.data && list.data.events.length > 0 ? (
          <>
            <ul aria-busy={list.isFetching} className={`grid gap-4 sm:grid-cols-2 lg:grid-cols-3 ${list.isFetching ? "opacity-70" : ""}`}>
              {list.data.events.map((event) => (
                <li key={event.id}>
                  <EventCard event={event} />
                </li>
              ))}
            </ul>
            <Pagination page={list.data.page} pageCount={list.data.pageCount} onPage={goTo} />
          </>
        ) : null}
      </section>
    </div>
  );
}
