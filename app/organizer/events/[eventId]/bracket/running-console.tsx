"use client";

import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { AnnounceForm } from "./announce-form";
import { DisqualifyEntrant } from "./disqualify-entrant";
import { STATES, type ConsoleEntrant, type ConsoleState } from "./labels";
import { MatchRow } from "./match-row";
import { OpenDisputes } from "./open-disputes";
import { RecentActions } from "./recent-actions";

/** After the start: the matches by state, and beside them disputes, announcements, disqualification and the history. */
export function RunningConsole({ eventId, entrants }: { eventId: string; entrants: ConsoleEntrant[] }) {
  const trpc = useTRPC();
  const [state, setState] = useState<ConsoleState>("ready");
  const lists = useQueries({
    queries: STATES.map((s) => trpc.brackets.consoleMatches.queryOptions({ eventId, state: s.value })),
  });
  const current = lists[STATES.findIndex((s) => s.value === state)]!;

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <section aria-labelledby="matches-heading" className="min-w-0 space-y-3">
        <h2 id="matches-heading" className="text-lg font-semibold">
          Matches
        </h2>
        <div role="tablist" aria-label="Match state" className="flex flex-wrap gap-2">
          {STATES.map((s, index) => {
            const count = lists[index]?.data?.total;
            const selected = s.value === state;
            return (
              <button
                key={s.value}
                type="button"
                role="tab"
                aria-selected={selected}
                aria-controls="match-list"
                onClick={() => setState(s.value)}
                className={`rounded-full border px-3 py-1 text-sm font-medium transition-colors ${
                  selected
                    ? "border-brand-500 bg-brand-500 text-zinc-950"
                    : "border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
                }`}
              >
                {s.label} <span className="tabular-nums">({count ?? "…"})</span>
              </button>
            );
          })}
        </div>
        <div id="match-list" role="tabpanel" aria-label={`${STATES.find((s) => s.value === state)!.label} matches`}>
          {current.isPending ? (
            <Spinner label="Loading matches" />
          ) : current.isError ? (
            <Alert>{messageOf(current.error)}</Alert>
          ) : current.data.matches.length === 0 ? (
            <EmptyState title="No matches here">Matches move between these lists as they are called, played and reported.</EmptyState>
          ) : (
            <ul className="space-y-2">
              {current.data.matches.map((match) => (
                <MatchRow key={match.id} match={match} />
              ))}
            </ul>
          )}
        </div>
      </section>

      <div className="min-w-0 space-y-6">
        <OpenDisputes eventId={eventId} />
        <AnnounceForm eventId={eventId} />
        <DisqualifyEntrant eventId={eventId} entrants={entrants} />
        <RecentActions eventId={eventId} />
      </div>
    </div>
  );
}
