"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { messageOf } from "@/app/_components/errors";
import { Alert, buttonClass, Card, Spinner } from "@/app/_components/ui";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import type { EventFormat } from "@/lib/event-values";
import { FORMAT_LABEL } from "./labels";
import { PreStart } from "./pre-start";
import { RunningConsole } from "./running-console";

/** The organizer's bracket console: seeding and settings before the start, the matches and tools after it. */
export function BracketConsole({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const event = useQuery(trpc.events.get.queryOptions({ eventId }));
  const bracket = useQuery(trpc.brackets.get.queryOptions({ eventId }));
  const bracketId = bracket.data?.bracket?.id ?? null;
  const invalidate = [
    trpc.brackets.get.queryKey({ eventId }),
    trpc.events.get.queryKey({ eventId }),
    trpc.brackets.consoleMatches.pathKey(),
    trpc.brackets.history.pathKey(),
    trpc.brackets.previewSeeding.pathKey(),
    trpc.disputes.queue.pathKey(),
  ];
  useLive(`event:${eventId}`, { invalidate });
  useLive(bracketId ? `bracket:${bracketId}` : null, { invalidate });

  if (event.isPending || bracket.isPending) return <Spinner label="Loading the console" />;
  if (event.isError || bracket.isError) return <Alert>{messageOf(event.error ?? bracket.error)}</Alert>;
  const data = bracket.data.bracket;
  return (
    <div className="space-y-6">
      <Card className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">{event.data.name}</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {FORMAT_LABEL[event.data.format as EventFormat]} ·{" "}
            {data ? (data.status === "completed" ? "Completed" : "Running") : "Not started"}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link href={`/events/${eventId}/bracket`} className={buttonClass("secondary")}>
            Public bracket
          </Link>
        </div>
      </Card>
      {data ? (
        <RunningConsole eventId={eventId} entrants={data.entrants} />
      ) : (
        <PreStart eventId={eventId} format={event.data.format as EventFormat} />
      )}
    </div>
  );
}
