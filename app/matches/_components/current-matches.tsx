"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Copy } from "lucide-react";
import Link from "next/link";
import { toast } from "sonner";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, EmptyState, LinkButton, Spinner } from "@/app/_components/ui";
import { DeadlineCountdown } from "@/app/events/_components/deadline-countdown";
import type { AppRouter } from "@/server/root";

type Match = inferRouterOutputs<AppRouter>["matches"]["current"][number];

const stateLabels: Record<Match["state"], { text: string; tone: string }> = {
  waiting_for_opponent: { text: "Waiting for opponent", tone: "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200" },
  ready: { text: "Ready", tone: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  in_progress: { text: "In progress", tone: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" },
  awaiting_confirmation: { text: "Awaiting confirmation", tone: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
  disputed: { text: "Disputed", tone: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  overdue: { text: "Report overdue", tone: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
};

function Handle({ handle }: { handle: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <span className="font-mono text-sm">{handle}</span>
      <Button
        type="button"
        variant="ghost"
        className="px-2 py-1"
        aria-label={`Copy ${handle}`}
        onClick={() =>
          navigator.clipboard.writeText(handle).then(
            () => toast.success("Handle copied."),
            () => toast.error("Could not copy: select the handle instead."),
          )
        }
      >
        <Copy aria-hidden className="size-4" />
      </Button>
    </span>
  );
}

function MatchCard({ match }: { match: Match }) {
  const state = stateLabels[match.state];
  const playable = match.state !== "waiting_for_opponent";
  return (
    <article
      aria-label={`${match.label} in ${match.eventName}`}
      className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
            <Link href={`/events/${match.eventId}`} className="underline-offset-2 hover:underline">
              {match.eventName}
            </Link>
          </p>
          <h3 className="font-semibold">{match.label}</h3>
        </div>
        <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${state.tone}`}>{state.text}</span>
      </div>
      <dl className="mt-3 grid gap-1 text-sm">
        <div className="flex flex-wrap gap-x-2">
          <dt className="text-zinc-600 dark:text-zinc-400">Opponent</dt>
          <dd className="font-medium">{match.opponent ? match.opponent.name : "Decided by an earlier match"}</dd>
        </div>
        {match.opponent ? (
          <div className="flex flex-wrap items-center gap-x-2">
            <dt className="text-zinc-600 dark:text-zinc-400">{match.opponent.isTeam ? "Invite their captain" : "Invite in game"}</dt>
            <dd>{match.opponent.handle ? <Handle handle={match.opponent.handle} /> : <span>No game handle on their profile</span>}</dd>
          </div>
        ) : null}
        {match.score[0] + match.score[1] > 0 ? (
          <div className="flex gap-x-2">
            <dt className="text-zinc-600 dark:text-zinc-400">Series</dt>
            <dd className="tabular-nums">
              {match.score[match.mySide]}–{match.score[match.mySide === 0 ? 1 : 0]} (best of {match.bestOf})
            </dd>
          </div>
        ) : null}
      </dl>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        {match.reportDeadline && playable ? (
          <DeadlineCountdown label="Report" at={new Date(match.reportDeadline)} variant="clock" className="text-sm font-medium" />
        ) : (
          <span className="text-sm text-zinc-600 dark:text-zinc-400">
            {playable ? "No report deadline" : "Starts when the opponent is known"}
          </span>
        )}
        <LinkButton
          href={`/matches/${match.id}`}
          variant={playable ? "primary" : "secondary"}
          aria-label={`${playable ? "Report" : "View"} ${match.label}`}
        >
          {playable ? "Report" : "View"}
        </LinkButton>
      </div>
    </article>
  );
}

export function CurrentMatches({ query }: { query: UseQueryResult<Match[], unknown> }) {
  return (
    <section aria-labelledby="current-heading" className="space-y-3">
      <h2 id="current-heading" className="text-lg font-semibold">
        Current and next matches
      </h2>
      {query.isPending ? (
        <Spinner label="Loading your matches…" />
      ) : query.isError ? (
        <Alert>We could not load your matches: {messageOf(query.error)} Try reloading the page.</Alert>
      ) : query.data.length === 0 ? (
        <EmptyState title="No matches yet" action={<LinkButton href="/events">Find an event</LinkButton>}>
          When a bracket you play in starts, your matches show up here.
        </EmptyState>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2">
          {query.data.map((match) => (
            <li key={match.id}>
              <MatchCard match={match} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
