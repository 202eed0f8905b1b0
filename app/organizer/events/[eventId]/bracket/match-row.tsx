"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, buttonClass, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { dateTime, REPORT_LABEL, time, type ConsoleMatch } from "./labels";

/** One match in the console's list: its sides and score, its report state, and calling it. */
export function MatchRow({ match }: { match: ConsoleMatch }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const call = useMutation(
    trpc.brackets.callMatch.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.consoleMatches.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.history.pathKey() });
      },
    }),
  );
  const [a, b] = match.sides;
  const name = (side?: { name: string | null; entrant: string | null }) => side?.name ?? (side?.entrant ? "Unknown" : "TBD");
  return (
    <li aria-label={`${match.label}: ${name(a)} vs ${name(b)}`}>
      <Card className="p-4">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 sm:flex-1">
            <p className="text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">
              {match.label} · Bo{match.bestOf}
            </p>
            <p className="mt-1 flex flex-wrap items-baseline gap-x-2 font-medium">
              <span className="break-words">{name(a)}</span>
              <span className="font-mono tabular-nums text-zinc-600 dark:text-zinc-300">
                {match.wins[0] ?? 0}–{match.wins[1] ?? 0}
              </span>
              <span className="break-words">{name(b)}</span>
            </p>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              {REPORT_LABEL[match.reportState] ?? match.reportState}
              {match.openDisputes ? ` · ${match.openDisputes} open dispute${match.openDisputes > 1 ? "s" : ""}` : ""}
              {match.reportDeadline ? ` · report by ${dateTime(match.reportDeadline)}` : ""}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2 sm:shrink-0">
            {match.calledAt ? (
              <span className="rounded-full bg-emerald-100 px-3 py-1 text-sm font-medium text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
                Called {time(match.calledAt)}
              </span>
            ) : (
              <Button type="button" variant="secondary" onClick={() => call.mutate({ matchId: match.id })} disabled={call.isPending}>
                {call.isPending ? "Calling…" : "Call match"}
              </Button>
            )}
            <Link href={`/matches/${match.id}`} className={buttonClass("ghost")}>
              Open match
            </Link>
          </div>
        </div>
        {call.isError ? (
          <div className="mt-2">
            <Alert>{messageOf(call.error)}</Alert>
          </div>
        ) : null}
      </Card>
    </li>
  );
}
