"use client";

import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useMemo } from "react";
import { fromSentBracket } from "@/app/_components/bracket/adapter";
import { BracketView } from "@/app/_components/bracket/bracket-view";
import { useScrollToOwnMatch } from "@/app/_components/bracket/use-scroll-to-own-match";
import { ordinal } from "@/app/_components/bracket/round-names";
import type { BracketVariant } from "@/app/_components/bracket/types";
import { LiveStatus } from "@/app/_live/live-status";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { DeadlineCountdown } from "../../_components/deadline-countdown";

const statusLabel: Record<string, string> = {
  draft: "Draft",
  published: "Not started",
  live: "Live",
  completed: "Completed",
  cancelled: "Cancelled",
};

/**
 * The public bracket of an event, following `bracket:<id>` (every result) and `event:<id>` (the
 * start and the completion) so it moves without a refresh. `embed`: the drawing alone, for a stream.
 */
export function LiveBracket({
  eventId,
  variant = "full",
  signedIn = false,
}: {
  eventId: string;
  variant?: BracketVariant;
  signedIn?: boolean;
}) {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.brackets.get.queryOptions({ eventId }));
  const { data: event } = useSuspenseQuery(trpc.events.get.queryOptions({ eventId }));
  const bracketKey = trpc.brackets.get.queryKey({ eventId });
  const mine = useQuery({ ...trpc.matches.mine.queryOptions({ eventId }), enabled: signedIn && data.bracket !== null });
  const mineKey = trpc.matches.mine.queryKey({ eventId });
  // The event's topic: the start (the bracket appears), the completion, edits. The bracket's: every result.
  const { status: eventStatus } = useLive(`event:${eventId}`, { invalidate: [bracketKey, trpc.events.get.queryKey({ eventId }), mineKey] });
  const { status: bracketStatus } = useLive(data.bracket ? `bracket:${data.bracket.id}` : null, { invalidate: [bracketKey, mineKey] });
  const live = data.bracket ? bracketStatus : eventStatus;

  const sent = data.bracket;
  const adapted = useMemo(() => (sent ? fromSentBracket(sent) : null), [sent]);
  const linkForMatch = useCallback(
    (matchId: string) => (adapted?.publicIds[matchId] ? `/matches/${adapted.publicIds[matchId]}` : null),
    [adapted],
  );
  const embed = variant === "embed";
  const entrantLabel = event.participantType === "team" ? "Team" : "Player";
  const highlight = mine.data?.entrantId ?? null;
  useScrollToOwnMatch(mine.data?.matches.find((match) => match.status !== "completed")?.id);

  if (embed) {
    return (
      <div data-live={live} className="p-4">
        {adapted ? (
          <BracketView bracket={adapted.bracket} names={adapted.names} variant="embed" entrantLabel={entrantLabel} />
        ) : (
          <p className="w-fit rounded-md bg-white/90 px-3 py-2 text-2xl font-semibold dark:bg-zinc-900/90">
            {data.event.name}: the bracket appears here when the organizer starts it.
          </p>
        )}
      </div>
    );
  }

  const names = adapted?.names ?? {};
  return (
    <div className="space-y-6" data-live={live}>
      <p className="text-sm">
        <Link href={`/events/${eventId}`} className="text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
          ← {data.event.name}
        </Link>
      </p>
      <header className="flex flex-col gap-2 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold tracking-tight break-words sm:text-3xl">{data.event.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
            <span>Bracket{data.event.status === "live" ? "" : ` · ${statusLabel[data.event.status] ?? data.event.status}`}</span>
            {data.event.status === "live" ? (
              <span className="inline-flex items-center gap-1.5 rounded-full bg-red-100 px-2.5 py-0.5 text-xs font-semibold text-red-900 dark:bg-red-950 dark:text-red-200">
                <span aria-hidden className="size-2 animate-pulse rounded-full bg-red-600" />
                Live
              </span>
            ) : null}
            <LiveStatus status={live} />
          </p>
        </div>
        {sent ? (
          <Link
            href={`/embed/events/${eventId}/bracket`}
            className="text-sm text-zinc-600 underline underline-offset-2 dark:text-zinc-400"
            prefetch={false}
          >
            Stream overlay
          </Link>
        ) : null}
      </header>

      {adapted && sent ? (
        <>
          {highlight && names[highlight] ? (
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              You play as <span className="font-semibold">{names[highlight].name}</span>: your matches are marked.
            </p>
          ) : null}
          <BracketView
            bracket={adapted.bracket}
            names={adapted.names}
            highlightEntrant={highlight}
            linkForMatch={linkForMatch}
            entrantLabel={entrantLabel}
          />
          {sent.payoutStatus === "paid" && sent.payouts.length > 0 ? (
            <section
              aria-labelledby="payouts-heading"
              className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
            >
              <h2 id="payouts-heading" className="text-sm font-semibold">
                Prize payouts
              </h2>
              <ol className="mt-2 space-y-1 text-sm">
                {sent.payouts.map((payout) => (
                  <li key={payout.entrantId} className="flex justify-between gap-4">
                    <span>
                      <span className="text-zinc-600 tabular-nums dark:text-zinc-400">{ordinal(payout.place)}</span>{" "}
                      {names[payout.entrantId]?.name ?? "—"}
                    </span>
                    <span className="font-semibold tabular-nums">{formatMoney(payout.amount)}</span>
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
        </>
      ) : (
        <div className="rounded-lg border border-dashed border-zinc-300 px-5 py-10 text-center dark:border-zinc-700">
          <p className="font-semibold">The bracket appears here when the organizer starts it.</p>
          {data.event.status === "published" && event.startsAt.getTime() > Date.now() ? (
            <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
              <DeadlineCountdown label="Starts" at={event.startsAt} variant="clock" />
            </p>
          ) : null}
        </div>
      )}
    </div>
  );
}
