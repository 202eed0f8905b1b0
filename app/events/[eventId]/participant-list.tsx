"use client";

import { useQuery } from "@tanstack/react-query";
import { CircleCheck } from "lucide-react";
import { Avatar } from "@/app/_components/avatar";
import { messageOf } from "@/app/_components/errors";
import { Alert, Spinner } from "@/app/_components/ui";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";

export function ParticipantList({ eventId, participantType }: { eventId: string; participantType: "solo" | "team" }) {
  const trpc = useTRPC();
  const participants = useQuery(trpc.events.participants.queryOptions({ eventId }));
  // New entries, check-ins and withdrawals are announced on the event's topic; the event view
  // refetches this list on each, so here the topic is followed (one shared connection) only for
  // its status, which says whether the list is live.
  const { status: live } = useLive(`event:${eventId}`);
  const count = participants.data?.length;
  const checkedIn = participants.data?.filter((p) => p.checkedIn).length ?? 0;
  return (
    <section
      aria-labelledby="participants-heading"
      data-live={live}
      className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="participants-heading" className="text-lg font-semibold">
          Participants{count ? ` (${count})` : ""}
        </h2>
        {count ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {checkedIn} of {count} checked in
          </p>
        ) : null}
      </div>
      {participants.isPending ? (
        <div className="mt-3">
          <Spinner label="Loading participants…" />
        </div>
      ) : null}
      {participants.isError ? (
        <div className="mt-3">
          <Alert>{messageOf(participants.error)}</Alert>
        </div>
      ) : null}
      {participants.data?.length === 0 ? (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          No {participantType === "team" ? "teams have" : "one has"} registered yet. Confirmed entries appear here.
        </p>
      ) : null}
      {participants.data && participants.data.length > 0 ? (
        <ul className="mt-3 grid gap-2 sm:grid-cols-2">
          {participants.data.map((p) => (
            <li key={p.registrationId} className="flex min-w-0 items-center gap-3 rounded-md px-2 py-1.5">
              <Avatar name={p.name} image={p.image} />
              <span className="min-w-0 flex-1 truncate font-medium">{p.name}</span>
              {p.checkedIn ? (
                <span className="inline-flex shrink-0 items-center gap-1 text-xs font-semibold text-emerald-700 dark:text-emerald-400">
                  <CircleCheck aria-hidden className="size-4" />
                  Checked in
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
