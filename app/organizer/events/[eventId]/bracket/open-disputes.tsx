"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { messageOf } from "@/app/_components/errors";
import { Alert, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { dateTime } from "./labels";

/** The event's open disputes, each linking to its match. */
export function OpenDisputes({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queue = useQuery(trpc.disputes.queue.queryOptions({ eventId, status: "open" }));
  return (
    <section aria-labelledby="disputes-heading">
      <Card className="space-y-3">
        <h2 id="disputes-heading" className="text-lg font-semibold">
          Open disputes {queue.data ? <span className="text-zinc-600 dark:text-zinc-400">({queue.data.disputes.length})</span> : null}
        </h2>
        {queue.isPending ? (
          <Spinner label="Loading disputes" />
        ) : queue.isError ? (
          <Alert>{messageOf(queue.error)}</Alert>
        ) : queue.data.disputes.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No open disputes.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {queue.data.disputes.map((dispute) => (
              <li key={dispute.id} className="py-2">
                <Link href={`/matches/${dispute.match.id}`} className="font-medium underline-offset-2 hover:underline">
                  {dispute.match.label}, game {dispute.gameNumber}
                </Link>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  {dispute.sides[0] ?? "TBD"} vs {dispute.sides[1] ?? "TBD"} · opened {dateTime(dispute.createdAt)}
                  {dispute.evidenceCount ? ` · ${dispute.evidenceCount} evidence` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </section>
  );
}
