"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/react";

/** Refetches the event's entries and the event (seats taken) after an entry was added or ended. */
export function useRefreshEntries(eventId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.registration.forEvent.queryKey({ eventId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) }),
    ]);
}
