"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { seriesScore, setProblem } from "@/server/brackets/set-rules";
import { sideName, type MatchData, type Side } from "./types";

const confirmedWinners = (match: MatchData) => match.games.flatMap((game) => (game.winner === 0 || game.winner === 1 ? [game.winner] : []));

/** The set `side` has reported (confirmed games first, then its reports in order), or null if not a whole finished set. */
export function reportedSet(match: MatchData, side: Side): Side[] | null {
  const confirmed = confirmedWinners(match);
  const reports = match.reports
    .filter((r) => r.side === side && r.gameNumber > confirmed.length)
    .sort((a, b) => a.gameNumber - b.gameNumber);
  if (reports.length === 0 || reports.some((r, i) => r.gameNumber !== confirmed.length + i + 1)) return null;
  const winners = [...confirmed, ...reports.map((r) => r.winnerSide as Side)];
  return setProblem(match.bestOf, winners) === null ? winners : null;
}

function useRefresh(match: MatchData) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.matches.get.queryKey({ matchId: match.id }) });
}

function SetSummary({ match, winners }: { match: MatchData; winners: Side[] }) {
  const [a, b] = seriesScore(winners);
  return (
    <>
      <p className="font-semibold">
        {sideName(match, 0)} {a}–{b} {sideName(match, 1)}
      </p>
      <ol className="mt-1 list-inside list-decimal text-zinc-700 dark:text-zinc-300">
        {winners.map((winner, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: games are numbered by position
          <li key={i}>
            Game {i + 1}: {sideName(match, winner)}
          </li>
        ))}
      </ol>
    </>
  );
}

/** The captain enters the winner of each game and sends the whole set in one action. */
export function SetReportForm({ match }: { match: MatchData }) {
  const id = useId();
  const trpc = useTRPC();
  const refresh = useRefresh(match);
  const confirmed = confirmedWinners(match);
  const [chosen, setChosen] = useState<Side[]>([]);
  const winners = [...confirmed, ...chosen];
  const problem = setProblem(match.bestOf, winners);
  const finished = problem === null;
  const report = useMutation(
    trpc.matches.reportSet.mutationOptions({
      onSuccess: async () => {
        setChosen([]);
        toast.success("Set reported. The other side confirms it or disputes it.");
        await refresh();
      },
    }),
  );
  const rows = finished ? winners.length : winners.length + 1;
  const choose = (game: number, side: Side) =>
    setChosen((current) => [...current.slice(0, game - 1 - confirmed.length), side].slice(0, Math.max(0, game - confirmed.length)));
  const errors = fieldErrorsOf(report.error);

  return (
    <details className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <summary className="cursor-pointer font-medium">Report the whole set at once</summary>
      <form
        className="mt-3 space-y-3"
        aria-describedby={`${id}-score`}
        onSubmit={(event) => {
          event.preventDefault();
          if (finished) report.mutate({ matchId: match.id, winners });
        }}
      >
        {Array.from({ length: Math.min(rows, match.bestOf) }, (_, i) => i + 1).map((game) => {
          const fixed = game <= confirmed.length;
          return (
            <fieldset key={game} className="flex flex-wrap items-center gap-2" disabled={fixed || report.isPending}>
              <legend className="sr-only">Winner of game {game}</legend>
              <span aria-hidden className="w-16 font-medium">
                Game {game}
              </span>
              {([0, 1] as const).map((side) => (
                <label
                  key={side}
                  className="flex min-h-11 cursor-pointer items-center gap-2 rounded-md border border-zinc-300 px-3 has-checked:border-brand-600 has-checked:bg-brand-50 has-focus-visible:ring-2 has-focus-visible:ring-brand-500 dark:border-zinc-700 dark:has-checked:bg-brand-950"
                >
                  <input
                    type="radio"
                    name={`${id}-game-${game}`}
                    checked={winners[game - 1] === side}
                    onChange={() => choose(game, side)}
                    className="accent-brand-600"
                  />
                  {sideName(match, side)}
                </label>
              ))}
              {fixed ? <span className="text-zinc-600 dark:text-zinc-400">(confirmed)</span> : null}
            </fieldset>
          );
        })}
        <p id={`${id}-score`} role="status" className="text-zinc-700 dark:text-zinc-300">
          {winners.length === 0
            ? `Best of ${match.bestOf}: choose who won game 1.`
            : `Series: ${sideName(match, 0)} ${seriesScore(winners)[0]}–${seriesScore(winners)[1]} ${sideName(match, 1)}${finished ? "." : " so far."}`}
        </p>
        {report.error ? <Alert>{errors.winners?.[0] ?? messageOf(report.error)}</Alert> : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={!finished || report.isPending}>
            {report.isPending ? "Sending…" : "Report set"}
          </Button>
          {chosen.length > 0 ? (
            <Button type="button" variant="ghost" onClick={() => setChosen([])}>
              Start over
            </Button>
          ) : null}
        </div>
      </form>
    </details>
  );
}

/** The other side's reported set, with "Confirm" (record it as both agreed) and "Dispute" (the dispute flow on its first open game). */
export function TheirSet({ match, theirs }: { match: MatchData; theirs: Side[] }) {
  const id = useId();
  const trpc = useTRPC();
  const refresh = useRefresh(match);
  const [disputing, setDisputing] = useState(false);
  const [description, setDescription] = useState("");
  const confirm = useMutation(
    trpc.matches.confirmSet.mutationOptions({
      onSuccess: async () => {
        toast.success("Result confirmed.");
        await refresh();
      },
      onError: () => void refresh(),
    }),
  );
  const dispute = useMutation(
    trpc.disputes.raise.mutationOptions({
      onSuccess: async () => {
        setDisputing(false);
        toast.success("Dispute opened. The organizer will decide; add evidence in the dispute below.");
        await refresh();
      },
    }),
  );
  const firstOpen = confirmedWinners(match).length + 1;
  const disputeErrors = fieldErrorsOf(dispute.error);
  return (
    <section
      aria-labelledby={`${id}-h`}
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
    >
      <h3 id={`${id}-h`} className="font-semibold">
        The other side reported the set
      </h3>
      <div className="mt-1">
        <SetSummary match={match} winners={theirs} />
      </div>
      {match.viewer.canReport ? (
        <div className="mt-3 flex flex-wrap gap-2">
          <Button type="button" disabled={confirm.isPending} onClick={() => confirm.mutate({ matchId: match.id, winners: theirs })}>
            {confirm.isPending ? "Confirming…" : "Confirm"}
          </Button>
          <Button type="button" variant="danger" aria-expanded={disputing} onClick={() => setDisputing((open) => !open)}>
            Dispute
          </Button>
        </div>
      ) : (
        <p className="mt-2 text-zinc-700 dark:text-zinc-300">Your captain confirms or disputes it.</p>
      )}
      {confirm.error ? <Alert>{messageOf(confirm.error)}</Alert> : null}
      {disputing ? (
        <form
          className="mt-3 space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            dispute.mutate({ matchId: match.id, gameNumber: firstOpen, reason: "wrong_winner", description, evidenceIds: [] });
          }}
        >
          <label htmlFor={`${id}-why`} className="block font-medium">
            What happened? (the organizer reads this)
          </label>
          <textarea
            id={`${id}-why`}
            required
            minLength={10}
            maxLength={2000}
            rows={3}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            aria-invalid={disputeErrors.description ? true : undefined}
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900"
          />
          {dispute.error ? <Alert>{disputeErrors.description?.[0] ?? messageOf(dispute.error)}</Alert> : null}
          <Button type="submit" variant="danger" disabled={dispute.isPending}>
            {dispute.isPending ? "Sending…" : `Dispute game ${firstOpen}`}
          </Button>
        </form>
      ) : null}
    </section>
  );
}
