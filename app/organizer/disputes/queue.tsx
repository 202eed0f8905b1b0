"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ChoiceChips } from "@/app/_components/choice-chips";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, EmptyState, Spinner } from "@/app/_components/ui";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";

type Status = "open" | "resolved" | "all";

const statusLabel: Record<Status, string> = { open: "Open", resolved: "Closed", all: "All" };
const reasonLabel: Record<string, string> = {
  wrong_winner: "Wrong winner reported",
  opponent_no_show: "Opponent did not show up",
  cheating: "Cheating",
  connection_issue: "Connection issue",
  other: "Other",
};

/** "3 min", "2 h", "4 days": how long a dispute has waited. */
function age(seconds: number): string {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 2 * 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export function DisputeQueue({ viewerId }: { viewerId: string }) {
  const trpc = useTRPC();
  // One topic covers every event the organizer runs: disputes are announced on the organizer's own
  // user topic when raised, answered, withdrawn or resolved (server/disputes/service.ts), and a
  // dispute opened by disagreeing reports notifies the organizer, which announces there too. Only
  // the organizer may follow it, its payload names nothing, and the queue refetches through its
  // authorized query. (Following each listed event's topic would miss a dispute in an event that
  // has none listed yet.)
  const { status: live } = useLive(`user:${viewerId}`, { invalidate: [trpc.disputes.queue.pathKey()] });
  const [status, setStatus] = useState<Status>("open");
  const [eventId, setEventId] = useState<string>("");
  const queue = useInfiniteQuery(
    trpc.disputes.queue.infiniteQueryOptions(
      { status, ...(eventId ? { eventId } : {}) },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = queue.data?.pages.flatMap((page) => page.disputes) ?? [];
  const events = [...new Map(items.map((item) => [item.event.id, item.event.name])).entries()];

  return (
    <div className="space-y-4" data-live={live}>
      <div className="flex flex-wrap items-end gap-4">
        <ChoiceChips name="dispute-status" legend="Show disputes" options={statusLabel} value={status} onChange={setStatus} />
        {events.length > 1 || eventId ? (
          <label className="text-sm">
            <span className="mr-2 font-medium">Event</span>
            <select
              value={eventId}
              onChange={(event) => setEventId(event.target.value)}
              className="h-8 rounded-md border border-zinc-300 bg-white px-2 dark:border-zinc-700 dark:bg-zinc-900"
            >
              <option value="">All my events</option>
              {events.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>

      {queue.isError ? <Alert>{messageOf(queue.error)}</Alert> : null}
      {queue.isPending ? <Spinner label="Loading disputes…" /> : null}
      {queue.isSuccess && items.length === 0 ? (
        <EmptyState title={status === "open" ? "No open disputes" : "No disputes here"}>
          {status === "open"
            ? "When players disagree on a result or raise a dispute, it waits here for your decision."
            : "Decided and withdrawn disputes are listed here."}
        </EmptyState>
      ) : null}

      <ul className="space-y-3">
        {items.map((dispute) => (
          <li key={dispute.id}>
            <Card className="flex flex-wrap items-center justify-between gap-3 p-4">
              <div className="min-w-0">
                <p className="font-semibold">
                  {dispute.sides[0] ?? "TBD"} vs {dispute.sides[1] ?? "TBD"} · game {dispute.gameNumber}
                </p>
                <p className="text-sm text-zinc-700 dark:text-zinc-300">
                  {dispute.event.name} · {dispute.match.label} ·{" "}
                  {dispute.reason ? (reasonLabel[dispute.reason] ?? dispute.reason) : "The reports disagree"}
                </p>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  {dispute.status === "open" ? `Waiting ${age(dispute.ageSeconds)}` : dispute.status} · {dispute.statementCount} statement
                  {dispute.statementCount === 1 ? "" : "s"} · {dispute.evidenceCount} file{dispute.evidenceCount === 1 ? "" : "s"}
                </p>
              </div>
              <Link
                href={`/matches/${dispute.match.id}`}
                className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-semibold hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
              >
                {dispute.status === "open" ? "Decide" : "View"}
              </Link>
            </Card>
          </li>
        ))}
      </ul>
      {queue.hasNextPage ? (
        <Button variant="secondary" disabled={queue.isFetchingNextPage} onClick={() => queue.fetchNextPage()}>
          {queue.isFetchingNextPage ? "Loading…" : "Show more"}
        </Button>
      ) : null}
    </div>
  );
}
