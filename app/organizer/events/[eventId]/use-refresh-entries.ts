"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";

/** The queries the dashboard shows that move with the event's entries: the entries, the event (seats taken) and its money. */
function useEntryQueryKeys(eventId: string) {
  const trpc = useTRPC();
  return [
    trpc.registration.forEvent.queryKey({ eventId }),
    trpc.events.get.queryKey({ eventId }),
    trpc.events.money.queryKey({ eventId }),
  ] as const;
}

/** Refetches the event's entries, the event and its money after an entry was added or ended. */
export function useRefreshEntries(eventId: string) {
  const queryClient = useQueryClient();
  const keys = useEntryQueryKeys(eventId);
  return () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/**
 * Keeps the dashboard live: the event's topic is announced on whenever an entry is added, paid,
 * checked in, waitlisted or ended (and when the event changes), after the change commits. Its
 * payload names nobody (the topic is public); the entries come from the refetched queries, which
 * only the event's organizer (or an admin) may read.
 */
export function useLiveEntries(eventId: string) {
  return useLive(`event:${eventId}`, { invalidate: useEntryQueryKeys(eventId) });
}
