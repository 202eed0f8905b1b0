"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { reportedSet, SetReportForm, TheirSet } from "./set-report";
import { authorityLabels, isPlayable, sideName, type MatchData, type Side } from "./types";

/** The next game nobody has decided yet (1-based), or null once the match has a result. */
export function nextGame(match: MatchData): number | null {
  if (match.result || !isPlayable(match.status)) return null;
  const game = match.games.find((g) => g.winner === null);
  return game ? game.number : null;
}

function scoreOf(a: string, b: string): [number, number] | undefined {
  if (a.trim() === "" && b.trim() === "") return undefined;
  return [Number(a || 0), Number(b || 0)];
}

/** The two sides report each game; agreement confirms it, disagreement opens a dispute. */
export function ReportPanel({ match }: { match: MatchData }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const mySide = match.viewer.side as Side;
  const theirSide = (mySide === 0 ? 1 : 0) as Side;
  const number = nextGame(match);
  const [scores, setScores] = useState<[string, string]>(["", ""]);
  const report = useMutation(
    trpc.matches.reportGame.mutationOptions({
      onSuccess: () => {
        setScores(["", ""]);
        void queryClient.invalidateQueries({ queryKey: trpc.matches.get.queryKey({ matchId: match.id }) });
      },
    }),
  );

  const reports = match.reports.filter((r) => r.gameNumber === number);
  const mine = reports.find((r) => r.side === mySide);
  const theirs = reports.find((r) => r.side === theirSide);
  const disputed =
    number !== null &&
    (match.disputes.some((d) => d.gameNumber === number && d.status === "open") ||
      (mine && theirs && mine.winnerSide !== theirs.winnerSide));
  const decided = match.games.filter((g) => g.winner !== null);
  const theirSet = reportedSet(match, theirSide);
  const mySet = reportedSet(match, mySide);
  const sameSet = (a: Side[] | null, b: Side[] | null) =>
    a !== null && b !== null && a.length === b.length && a.every((w, i) => w === b[i]);

  return (
    <section
      aria-labelledby={`${id}-h`}
      className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        Report
      </h2>
      {decided.length > 0 ? (
        <ul className="mt-2 space-y-1 text-sm text-zinc-700 dark:text-zinc-300">
          {decided.map((game) => (
            <li key={game.number}>
              Game {game.number}: {sideName(match, game.winner)} won{game.score ? ` ${game.score[0]}–${game.score[1]}` : ""} (
              {game.authority ? authorityLabels[game.authority] : "confirmed"})
            </li>
          ))}
        </ul>
      ) : null}

      {match.result ? (
        <p className="mt-3 text-sm font-medium text-emerald-800 dark:text-emerald-300">
          Match confirmed: {match.result.winner === null ? "nobody advances" : `${sideName(match, match.result.winner)} won`}.
        </p>
      ) : number === null ? (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          {match.status === "pending" ? "Reporting opens once both sides are known." : "Nothing to report."}
        </p>
      ) : (
        <div className="mt-3 space-y-4">
          <div role="status" className="space-y-1 text-sm">
            {mine ? (
              <p>
                You reported {sideName(match, mine.winnerSide)} won game {number}
                {mine.score ? ` ${mine.score[0]}–${mine.score[1]}` : ""}
                {theirs ? "." : "; waiting for the other side."}
              </p>
            ) : null}
            {theirs ? (
              <p>
                They reported {sideName(match, theirs.winnerSide)} won game {number}
                {theirs.score ? ` ${theirs.score[0]}–${theirs.score[1]}` : ""}.
              </p>
            ) : null}
            {mySet && !theirSet ? (
              <p>
                You reported the whole set ({mySet.filter((w) => w === mySide).length}–{mySet.filter((w) => w === theirSide).length});
                waiting for the other side to confirm it.
              </p>
            ) : null}
            {disputed ? (
              <p className="font-semibold text-amber-800 dark:text-amber-300">
                Disputed — the organizer will decide. Add a statement or evidence in the dispute below.
              </p>
            ) : null}
          </div>

          {theirSet && !sameSet(theirSet, mySet) && !disputed ? <TheirSet match={match} theirs={theirSet} /> : null}

          {match.viewer.canReport ? (
            <fieldset className="space-y-3">
              <legend className="font-medium">Who won game {number}?</legend>
              <div className="flex flex-wrap gap-2">
                {([0, 1] as const).map((side) => (
                  <Button
                    key={side}
                    type="button"
                    variant={mine?.winnerSide === side ? "primary" : "secondary"}
                    aria-pressed={mine?.winnerSide === side}
                    disabled={report.isPending}
                    onClick={() =>
                      report.mutate({ matchId: match.id, gameNumber: number, winnerSide: side, score: scoreOf(scores[0], scores[1]) })
                    }
                  >
                    {sideName(match, side)}
                  </Button>
                ))}
              </div>
              <details className="text-sm">
                <summary className="cursor-pointer text-zinc-700 dark:text-zinc-300">Add the score (optional)</summary>
                <div className="mt-2 flex flex-wrap items-end gap-3">
                  {([0, 1] as const).map((side) => (
                    <label key={side} className="block">
                      <span className="block text-sm">{sideName(match, side)}</span>
                      <input
                        type="number"
                        min={0}
                        inputMode="numeric"
                        value={scores[side]}
                        onChange={(event) =>
                          setScores((current) => (side === 0 ? [event.target.value, current[1]] : [current[0], event.target.value]))
                        }
                        className="mt-1 w-24 rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900"
                      />
                    </label>
                  ))}
                </div>
              </details>
              {mine ? (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">Reported the wrong winner? Choose again to change your report.</p>
              ) : null}
            </fieldset>
          ) : null}
          {match.viewer.canReport ? (
            <SetReportForm match={match} />
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Your captain reports the results for your side.</p>
          )}
          {report.error ? <Alert>{messageOf(report.error)}</Alert> : null}
        </div>
      )}
    </section>
  );
}
