"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { SelectField } from "@/app/_components/field";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";
import { EvidencePicker, useEvidence } from "./evidence-picker";
import { nextGame } from "./report-panel";
import { isPlayable, reasonLabel, reasons, sideName, type DisputeData, type MatchData, type Reason } from "./types";

const TIME: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
const statusWords: Record<string, string> = { open: "Open", resolved: "Resolved", withdrawn: "Withdrawn", closed: "Closed" };

function winnerOf(resolution: unknown): number | null {
  if (resolution && typeof resolution === "object" && "winnerSide" in resolution) {
    const value = (resolution as { winnerSide: unknown }).winnerSide;
    return value === 0 || value === 1 ? value : null;
  }
  return null;
}

function TextArea({ id, label, errors, ...props }: React.ComponentProps<"textarea"> & { id: string; label: string; errors?: string[] }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        rows={3}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-base text-zinc-900 shadow-sm sm:text-sm dark:bg-zinc-900 dark:text-zinc-100 ${errors?.length ? "border-red-600 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
        {...props}
      />
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700 dark:text-red-400">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function useRefresh(matchId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.matches.get.queryKey({ matchId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.disputes.get.queryKey() });
  };
}

/** "Dispute this game": reason, description and evidence, then disputes.raise with the uploaded ids. */
function RaiseForm({ match, onDone }: { match: MatchData; onDone: () => void }) {
  const trpc = useTRPC();
  const id = useId();
  const refresh = useRefresh(match.id);
  const played = match.games.filter((g) => g.winner !== null).map((g) => g.number);
  const upcoming = nextGame(match);
  const choices = [...new Set([...played, ...(upcoming ? [upcoming] : [])])];
  const [gameNumber, setGameNumber] = useState(upcoming ?? choices[choices.length - 1] ?? 1);
  const [reason, setReason] = useState<Reason>("wrong_winner");
  const [description, setDescription] = useState("");
  const evidence = useEvidence();
  const [blocked, setBlocked] = useState<string | null>(null);
  const raise = useMutation(
    trpc.disputes.raise.mutationOptions({
      onSuccess: () => {
        evidence.reset();
        setDescription("");
        refresh();
        onDone();
      },
    }),
  );
  const errors = fieldErrorsOf(raise.error);
  return (
    <form
      className="mt-4 space-y-4 rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
      aria-label="Dispute this game"
      onSubmit={(event) => {
        event.preventDefault();
        // All or nothing: a dispute never goes out without a file the player attached.
        setBlocked(evidence.blocker);
        if (!evidence.blocker) raise.mutate({ matchId: match.id, gameNumber, reason, description, evidenceIds: evidence.ids() });
      }}
    >
      {choices.length > 1 ? (
        <SelectField id={`${id}-game`} label="Game" value={gameNumber} onChange={(event) => setGameNumber(Number(event.target.value))}>
          {choices.map((n) => (
            <option key={n} value={n}>
              Game {n}
            </option>
          ))}
        </SelectField>
      ) : null}
      <SelectField
        id={`${id}-reason`}
        label="Reason"
        value={reason}
        errors={errors.reason}
        onChange={(event) => setReason(event.target.value as Reason)}
      >
        {reasons.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </SelectField>
      <TextArea
        id={`${id}-description`}
        label="What happened?"
        value={description}
        errors={errors.description}
        onChange={(event) => setDescription(event.target.value)}
      />
      <EvidencePicker evidence={evidence} />
      {raise.error && Object.keys(errors).length === 0 ? <Alert>{messageOf(raise.error)}</Alert> : null}
      {errors.evidenceIds ? <Alert>{errors.evidenceIds.join(" ")}</Alert> : null}
      {blocked && evidence.blocker ? <Alert>{evidence.blocker}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={raise.isPending || evidence.busy}>
          {evidence.waitingFor ?? (raise.isPending ? "Sending…" : `Dispute game ${gameNumber}`)}
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function Evidence({ file }: { file: DisputeData["evidence"][number] }) {
  return file.kind === "video" ? (
    // biome-ignore lint/a11y/useMediaCaption: players upload this evidence as it was recorded; there are no captions to give
    <video
      controls
      preload="metadata"
      src={file.url}
      className="max-h-72 w-full rounded-md bg-black"
      aria-label={`Video evidence ${file.name}`}
    />
  ) : (
    // eslint-disable-next-line @next/next/no-img-element
    <a href={file.url} target="_blank" rel="noreferrer">
      <img
        src={file.url}
        alt={`Evidence ${file.name}`}
        className="h-auto max-h-72 w-full rounded-md border border-zinc-200 bg-zinc-100 object-contain dark:border-zinc-800 dark:bg-zinc-950"
      />
    </a>
  );
}

function RespondForm({ dispute, matchId }: { dispute: DisputeData; matchId: string }) {
  const trpc = useTRPC();
  const id = useId();
  const refresh = useRefresh(matchId);
  const [body, setBody] = useState("");
  const evidence = useEvidence();
  const [blocked, setBlocked] = useState<string | null>(null);
  const respond = useMutation(
    trpc.disputes.respond.mutationOptions({
      onSuccess: () => {
        setBody("");
        evidence.reset();
        refresh();
      },
    }),
  );
  const errors = fieldErrorsOf(respond.error);
  return (
    <form
      className="space-y-3"
      aria-label="Add a statement"
      onSubmit={(event) => {
        event.preventDefault();
        // All or nothing: a statement never goes out without a file the player attached.
        setBlocked(evidence.blocker);
        if (!evidence.blocker) respond.mutate({ disputeId: dispute.id, body, evidenceIds: evidence.ids() });
      }}
    >
      <TextArea
        id={`${id}-body`}
        label="Your statement"
        value={body}
        errors={errors.body}
        onChange={(event) => setBody(event.target.value)}
      />
      <EvidencePicker evidence={evidence} />
      {respond.error && !errors.body ? <Alert>{messageOf(respond.error)}</Alert> : null}
      {blocked && evidence.blocker ? <Alert>{evidence.blocker}</Alert> : null}
      <Button type="submit" variant="secondary" disabled={respond.isPending || evidence.busy}>
        {evidence.waitingFor ?? (respond.isPending ? "Sending…" : "Add statement")}
      </Button>
    </form>
  );
}

function ResolveForm({ dispute, match }: { dispute: DisputeData; match: MatchData }) {
  const trpc = useTRPC();
  const id = useId();
  const refresh = useRefresh(match.id);
  const [winner, setWinner] = useState<0 | 1 | null>(null);
  const [explanation, setExplanation] = useState("");
  const resolve = useMutation(trpc.disputes.resolve.mutationOptions({ onSuccess: refresh }));
  const errors = fieldErrorsOf(resolve.error);
  return (
    <form
      className="space-y-3 rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
      aria-label="Resolve the dispute"
      onSubmit={(event) => {
        event.preventDefault();
        if (winner !== null) resolve.mutate({ disputeId: dispute.id, winnerSide: winner, explanation });
      }}
    >
      <fieldset>
        <legend className="text-sm font-medium">Who won game {dispute.gameNumber}?</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {([0, 1] as const).map((side) => (
            <label key={side} className="inline-flex items-center gap-2 text-sm">
              <input type="radio" name={`${id}-winner`} checked={winner === side} onChange={() => setWinner(side)} />
              {sideName(match, side)}
            </label>
          ))}
        </div>
      </fieldset>
      <TextArea
        id={`${id}-explanation`}
        label="Explanation for both sides"
        value={explanation}
        errors={errors.explanation}
        onChange={(event) => setExplanation(event.target.value)}
      />
      {resolve.error && !errors.explanation ? <Alert>{messageOf(resolve.error)}</Alert> : null}
      <Button type="submit" disabled={winner === null || resolve.isPending}>
        Resolve dispute
      </Button>
    </form>
  );
}

/** One dispute with everything said about it, for the two sides and the organizer. */
function DisputePanel({ match, disputeId }: { match: MatchData; disputeId: string }) {
  const trpc = useTRPC();
  const refresh = useRefresh(match.id);
  const query = useQuery({ ...trpc.disputes.get.queryOptions({ disputeId }), retry: false });
  const withdraw = useMutation(trpc.disputes.withdraw.mutationOptions({ onSuccess: refresh }));
  if (query.isPending) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading the dispute…</p>;
  if (query.isError) return <Alert>{messageOf(query.error)}</Alert>;
  const dispute = query.data;
  const winner = winnerOf(dispute.resolution);
  return (
    <article
      aria-label={`Dispute on game ${dispute.gameNumber}`}
      className="space-y-4 rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold">
          Game {dispute.gameNumber}: {reasonLabel(dispute.reason)}
        </h3>
        <span
          className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${dispute.status === "open" ? "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200" : "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"}`}
        >
          {statusWords[dispute.status] ?? dispute.status}
        </span>
      </header>
      {dispute.status === "resolved" && winner !== null ? (
        <Alert tone="success">
          Resolved: {sideName(match, winner)} won game {dispute.gameNumber}.
        </Alert>
      ) : dispute.status === "open" ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">Disputed — the organizer will decide.</p>
      ) : null}
      {dispute.reports.length > 0 ? (
        <ul className="text-sm text-zinc-700 dark:text-zinc-300">
          {dispute.reports.map((r) => (
            <li key={r.side}>
              {sideName(match, r.side)} reported {sideName(match, r.winnerSide)} won{r.score ? ` ${r.score[0]}–${r.score[1]}` : ""}.
            </li>
          ))}
        </ul>
      ) : null}
      {dispute.statements.length > 0 ? (
        <ol className="space-y-3" aria-label="Statements">
          {dispute.statements.map((statement) => (
            <li
              key={statement.id}
              className={`rounded-md p-3 text-sm ${statement.kind === "organizer_note" ? "bg-brand-50 dark:bg-brand-800/25" : "bg-zinc-50 dark:bg-zinc-800/60"}`}
            >
              <p className="text-zinc-600 dark:text-zinc-400">
                <span className="font-semibold text-zinc-900 dark:text-zinc-100">{statement.authorName}</span>
                {statement.kind === "organizer_note"
                  ? " (organizer's decision)"
                  : statement.side !== null && sideName(match, statement.side) !== statement.authorName
                    ? ` for ${sideName(match, statement.side)}`
                    : ""}{" "}
                · <LocalTime date={new Date(statement.at)} options={TIME} />
              </p>
              <p className="mt-1 whitespace-pre-wrap break-words">{statement.body}</p>
              {statement.evidence.length > 0 ? (
                <div className="mt-2 grid gap-2 sm:grid-cols-2">
                  {statement.evidence.map((file) => (
                    <Evidence key={file.evidenceId} file={file} />
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {dispute.viewer.canRespond ? <RespondForm dispute={dispute} matchId={match.id} /> : null}
      {dispute.viewer.canWithdraw ? (
        <div>
          <Button type="button" variant="ghost" disabled={withdraw.isPending} onClick={() => withdraw.mutate({ disputeId: dispute.id })}>
            Withdraw my dispute
          </Button>
          {withdraw.error ? <Alert>{messageOf(withdraw.error)}</Alert> : null}
        </div>
      ) : null}
      {dispute.viewer.canResolve ? <ResolveForm dispute={dispute} match={match} /> : null}
    </article>
  );
}

/** The match's disputes: full panels for the sides and the organizer, a summary for everyone else. */
export function Disputes({ match }: { match: MatchData }) {
  const id = useId();
  const [raising, setRaising] = useState(false);
  const party = match.viewer.side !== null || match.viewer.canManage;
  // Open matches, and results that only the players' reports decided (a dispute outranks them).
  const canRaise =
    match.viewer.side !== null &&
    (isPlayable(match.status) || (match.status === "completed" && (match.decidedBy === "agreement" || match.decidedBy === "deadline")));
  const newestFirst = [...match.disputes].reverse();
  if (!party && match.disputes.length === 0) return null;
  return (
    <section
      aria-labelledby={`${id}-h`}
      className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${id}-h`} className="text-lg font-semibold">
          Disputes
        </h2>
        {canRaise && !raising ? (
          <Button type="button" variant="secondary" onClick={() => setRaising(true)}>
            Dispute this game
          </Button>
        ) : null}
      </div>
      {raising ? <RaiseForm match={match} onDone={() => setRaising(false)} /> : null}
      {newestFirst.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No disputes on this match.</p>
      ) : (
        <div className="mt-4 space-y-4">
          {newestFirst.map((d) =>
            party ? (
              <DisputePanel key={d.id} match={match} disputeId={d.id} />
            ) : (
              <p key={d.id} className="text-sm">
                Game {d.gameNumber}: {statusWords[d.status]?.toLowerCase() ?? d.status} dispute
                {d.status === "resolved" && winnerOf(d.resolution) !== null ? `, ${sideName(match, winnerOf(d.resolution))} won` : ""}.
              </p>
            ),
          )}
        </div>
      )}
    </section>
  );
}
