"use client";

import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useState, type DragEvent } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, buttonClass, Card, EmptyState, Spinner } from "@/app/_components/ui";
import { useLive } from "@/app/_live/use-live";
import { useTRPC } from "@/app/_trpc/react";
import type { BracketActionKind, EventFormat } from "@/db/schema";

type Seeding = "registration" | "random" | "rating" | "manual";
type ConsoleState = "ready" | "in_progress" | "awaiting_reports" | "disputed" | "overdue";

const STATES: { value: ConsoleState; label: string }[] = [
  { value: "ready", label: "Ready" },
  { value: "in_progress", label: "In progress" },
  { value: "awaiting_reports", label: "Awaiting reports" },
  { value: "disputed", label: "Disputed" },
  { value: "overdue", label: "Overdue" },
];

const ACTION_LABEL: Record<BracketActionKind, string> = {
  start: "Started the bracket",
  result: "Set a result",
  record_game: "Recorded a game",
  correction: "Corrected a result",
  forfeit: "Recorded a forfeit",
  double_forfeit: "Recorded a double forfeit",
  clear: "Cleared a result",
  dq: "Disqualified an entrant",
  reinstate: "Reinstated an entrant",
  undo: "Undid an action",
  call: "Called a match",
  report: "A player reported a game",
  report_confirmed: "A game was confirmed",
  deadline: "A report deadline passed",
  dispute_opened: "A dispute was opened",
  dispute_resolved: "A dispute was resolved",
  announce: "Sent an announcement",
};

const REPORT_LABEL: Record<string, string> = {
  none: "No reports",
  awaiting: "Awaiting reports",
  disputed: "Disputed",
  overdue: "Overdue",
};

const FORMAT_LABEL: Record<EventFormat, string> = {
  single_elimination: "Single elimination",
  double_elimination: "Double elimination",
  round_robin: "Round robin",
  swiss: "Swiss",
};

const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
const dateTime = (iso: string) => new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function BracketConsole({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const event = useQuery(trpc.events.get.queryOptions({ eventId }));
  const bracket = useQuery(trpc.brackets.get.queryOptions({ eventId }));
  const bracketId = bracket.data?.bracket?.id ?? null;
  const invalidate = [
    trpc.brackets.get.queryKey({ eventId }),
    trpc.events.get.queryKey({ eventId }),
    trpc.brackets.consoleMatches.pathKey(),
    trpc.brackets.history.pathKey(),
    trpc.brackets.previewSeeding.pathKey(),
    trpc.disputes.queue.pathKey(),
  ];
  useLive(`event:${eventId}`, { invalidate });
  useLive(bracketId ? `bracket:${bracketId}` : null, { invalidate });

  if (event.isPending || bracket.isPending) return <Spinner label="Loading the console" />;
  if (event.isError || bracket.isError) return <Alert>{messageOf(event.error ?? bracket.error)}</Alert>;
  const data = bracket.data.bracket;
  return (
    <div className="space-y-6">
      <Card className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">{event.data.name}</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {FORMAT_LABEL[event.data.format as EventFormat]} · {data ? (data.status === "completed" ? "Completed" : "Running") : "Not started"}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link href={`/events/${eventId}/bracket`} className={buttonClass("secondary")}>
            Public bracket
          </Link>
        </div>
      </Card>
      {data ? (
        <RunningConsole eventId={eventId} entrants={data.entrants} />
      ) : (
        <PreStart eventId={eventId} format={event.data.format as EventFormat} />
      )}
    </div>
  );
}

/* ───────────────────────────── Before the start ───────────────────────────── */

function PreStart({ eventId, format }: { eventId: string; format: EventFormat }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [seeding, setSeeding] = useState<Seeding>("registration");
  const [seedText, setSeedText] = useState("");
  const [order, setOrder] = useState<string[] | null>(null);
  const [moved, setMoved] = useState("");
  const [dragging, setDragging] = useState<string | null>(null);
  const [thirdPlace, setThirdPlace] = useState(false);
  const [grandFinal, setGrandFinal] = useState<"none" | "single" | "reset">("reset");
  const [groups, setGroups] = useState("1");
  const [meetings, setMeetings] = useState<"1" | "2">("1");
  const [swissRounds, setSwissRounds] = useState("");
  const [bestOf, setBestOf] = useState("1");
  const [finalsBestOf, setFinalsBestOf] = useState("");
  const [reportMinutes, setReportMinutes] = useState("30");
  const [confirming, setConfirming] = useState(false);

  // Manual seeding starts from the registration order; the preview is only asked for the field.
  const previewSeeding = seeding === "manual" ? "registration" : seeding;
  const preview = useQuery({
    ...trpc.brackets.previewSeeding.queryOptions({
      eventId,
      seeding: previewSeeding,
      randomSeed: previewSeeding === "random" && seedText.trim() ? seedText.trim() : undefined,
    }),
    retry: false,
    placeholderData: (previous) => previous,
  });

  useEffect(() => {
    if (seeding === "random" && !seedText && !preview.isPlaceholderData && preview.data?.randomSeed) setSeedText(preview.data.randomSeed);
  }, [seeding, seedText, preview.isPlaceholderData, preview.data?.randomSeed]);

  const entries = preview.data?.entries ?? [];
  const byId = new Map(entries.map((entry) => [entry.registrationId, entry]));
  // Entries that checked in after the order was made go to the end; withdrawn ones drop out.
  const baseOrder = (order ?? []).filter((id) => byId.has(id));
  const manualOrder = [...baseOrder, ...entries.map((entry) => entry.registrationId).filter((id) => !baseOrder.includes(id))];
  const shown = seeding === "manual" ? manualOrder.map((id, index) => ({ ...byId.get(id)!, seed: index + 1 })) : entries;

  const move = (from: number, to: number) => {
    if (to < 0 || to >= manualOrder.length || from === to) return;
    const next = [...manualOrder];
    const [id] = next.splice(from, 1);
    next.splice(to, 0, id!);
    setOrder(next);
    setMoved(`${byId.get(id!)?.name ?? "Entry"} is now seed ${to + 1}.`);
  };

  const start = useMutation(
    trpc.brackets.start.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        toast.success("The bracket has started.");
        await queryClient.invalidateQueries({ queryKey: trpc.brackets.get.queryKey({ eventId }) });
      },
      onError: () => setConfirming(false),
    }),
  );
  const errors = fieldErrorsOf(start.error);

  const settings = {
    thirdPlace,
    grandFinal,
    groups: Math.max(1, Number(groups) || 1),
    meetings: Number(meetings) as 1 | 2,
    swissRounds: format === "swiss" && swissRounds ? Number(swissRounds) : undefined,
    bestOf: finalsBestOf ? { default: Number(bestOf), overrides: { finals: Number(finalsBestOf) } } : Number(bestOf),
  };
  const submit = () =>
    start.mutate({
      eventId,
      seeding,
      randomSeed: seeding === "random" ? seedText.trim() || undefined : undefined,
      order: seeding === "manual" ? manualOrder : undefined,
      settings,
      reportMinutes: Number(reportMinutes),
    });

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <section aria-labelledby="field-heading" className="space-y-4">
        <Card className="space-y-4">
          <h2 id="field-heading" className="text-lg font-semibold">
            Checked-in field
          </h2>
          <SelectField
            id="seeding"
            label="Seeding"
            value={seeding}
            onChange={(e) => {
              const next = e.target.value as Seeding;
              if (next === "manual" && !order) setOrder(entries.map((entry) => entry.registrationId));
              setSeeding(next);
            }}
          >
            <option value="registration">Registration order</option>
            <option value="random">Random</option>
            <option value="rating">Rating</option>
            <option value="manual">Manual (drag or move)</option>
          </SelectField>
          {seeding === "random" ? (
            <div className="flex flex-wrap items-end gap-2">
              <div className="min-w-48 flex-1">
                <TextField
                  id="random-seed"
                  label="Random seed"
                  value={seedText}
                  onChange={(e) => setSeedText(e.target.value)}
                  hint="The same seed always gives the same draw."
                  errors={errors.randomSeed}
                />
              </div>
              <Button type="button" variant="secondary" onClick={() => setSeedText("")}>
                New draw
              </Button>
            </div>
          ) : null}
          {preview.isError ? (
            <Alert>{messageOf(preview.error)}</Alert>
          ) : preview.isPending ? (
            <Spinner label="Loading the field" />
          ) : (
            <>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {entries.length} checked in.{" "}
                {seeding === "manual" ? "Drag a row, or use Move up and Move down, to change the seeds." : null}
              </p>
              <p className="sr-only" role="status" aria-live="polite">
                {moved}
              </p>
              <ol aria-label="Seeds" className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
                {shown.map((entry, index) => {
                  const manual = seeding === "manual";
                  const dragProps = manual
                    ? {
                        draggable: true,
                        onDragStart: (e: DragEvent) => {
                          e.dataTransfer.effectAllowed = "move";
                          e.dataTransfer.setData("text/plain", entry.registrationId);
                          setDragging(entry.registrationId);
                        },
                        onDragOver: (e: DragEvent) => e.preventDefault(),
                        onDrop: (e: DragEvent) => {
                          e.preventDefault();
                          const id = e.dataTransfer.getData("text/plain") || dragging;
                          if (id) move(manualOrder.indexOf(id), index);
                          setDragging(null);
                        },
                        onDragEnd: () => setDragging(null),
                      }
                    : {};
                  return (
                    <li
                      key={entry.registrationId}
                      {...dragProps}
                      className={`flex items-center gap-3 px-3 py-2 ${manual ? "cursor-grab" : ""} ${dragging === entry.registrationId ? "opacity-50" : ""}`}
                    >
                      <span className="w-8 shrink-0 text-right font-mono text-sm text-zinc-500">{entry.seed}</span>
                      {manual ? (
                        <span aria-hidden className="select-none text-zinc-400">
                          ⠿
                        </span>
                      ) : null}
                      <span className="min-w-0 flex-1 truncate font-medium">{entry.name}</span>
                      {entry.players > 1 ? <span className="text-xs text-zinc-500">{entry.players} players</span> : null}
                      {manual ? (
                        <span className="flex shrink-0 gap-1">
                          <Button
                            type="button"
                            variant="ghost"
                            className="px-2 py-1 disabled:opacity-40"
                            aria-label={`Move ${entry.name} up`}
                            disabled={index === 0}
                            onClick={() => move(index, index - 1)}
                          >
                            ↑<span className="sr-only sm:not-sr-only">Up</span>
                          </Button>
                          <Button
                            type="button"
                            variant="ghost"
                            className="px-2 py-1 disabled:opacity-40"
                            aria-label={`Move ${entry.name} down`}
                            disabled={index === shown.length - 1}
                            onClick={() => move(index, index + 1)}
                          >
                            ↓<span className="sr-only sm:not-sr-only">Down</span>
                          </Button>
                        </span>
                      ) : null}
                    </li>
                  );
                })}
              </ol>
            </>
          )}
        </Card>
      </section>

      <section aria-labelledby="settings-heading">
        <Card className="space-y-4">
          <h2 id="settings-heading" className="text-lg font-semibold">
            Settings · {FORMAT_LABEL[format]}
          </h2>
          {format === "single_elimination" ? (
            <label className="flex items-center gap-2 text-sm font-medium">
              <input type="checkbox" checked={thirdPlace} onChange={(e) => setThirdPlace(e.target.checked)} className="size-4" />
              Third-place match
            </label>
          ) : null}
          {format === "double_elimination" ? (
            <SelectField id="grand-final" label="Grand final" value={grandFinal} onChange={(e) => setGrandFinal(e.target.value as typeof grandFinal)} hint="With a reset, a second final is played only if the lower-bracket finalist wins the first.">
              <option value="reset">With bracket reset</option>
              <option value="single">Single match</option>
              <option value="none">None</option>
            </SelectField>
          ) : null}
          {format === "round_robin" ? (
            <div className="grid grid-cols-2 gap-3">
              <TextField id="groups" label="Groups" type="number" min={1} value={groups} onChange={(e) => setGroups(e.target.value)} errors={errors["settings.groups"]} />
              <SelectField id="meetings" label="Each pair meets" value={meetings} onChange={(e) => setMeetings(e.target.value as "1" | "2")}>
                <option value="1">Once</option>
                <option value="2">Twice</option>
              </SelectField>
            </div>
          ) : null}
          {format === "swiss" ? (
            <TextField
              id="swiss-rounds"
              label="Rounds"
              type="number"
              min={1}
              max={99}
              value={swissRounds}
              placeholder={entries.length ? String(Math.max(1, Math.ceil(Math.log2(entries.length)))) : "Automatic"}
              onChange={(e) => setSwissRounds(e.target.value)}
              hint="Empty: enough rounds to find a winner."
              errors={errors["settings.swissRounds"]}
            />
          ) : null}
          <div className="grid grid-cols-2 gap-3">
            <SelectField id="best-of" label="Best of" value={bestOf} onChange={(e) => setBestOf(e.target.value)}>
              {[1, 3, 5, 7].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </SelectField>
            <SelectField id="finals-best-of" label="Finals best of" value={finalsBestOf} onChange={(e) => setFinalsBestOf(e.target.value)}>
              <option value="">Same</option>
              {[1, 3, 5, 7].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </SelectField>
          </div>
          <TextField
            id="report-minutes"
            label="Minutes to report a result"
            type="number"
            min={5}
            max={10080}
            value={reportMinutes}
            onChange={(e) => setReportMinutes(e.target.value)}
            errors={errors.reportMinutes}
          />
          {start.isError && !Object.keys(errors).length ? <Alert>{messageOf(start.error)}</Alert> : null}
          {start.isError && Object.keys(errors).length ? <Alert>Check the settings above.</Alert> : null}
          {confirming ? (
            <div role="group" aria-labelledby="confirm-start" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950">
              <p id="confirm-start" className="text-sm">
                Start the bracket with {shown.length} entrants? The seeds and settings cannot be changed afterwards.
              </p>
              <div className="flex flex-wrap gap-2">
                <Button type="button" onClick={submit} disabled={start.isPending}>
                  {start.isPending ? "Starting…" : "Yes, start the bracket"}
                </Button>
                <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
              </div>
            </div>
          ) : (
            <Button type="button" className="w-full" onClick={() => setConfirming(true)} disabled={preview.isError || preview.isPending}>
              Start bracket
            </Button>
          )}
          {preview.isError ? <p className="text-sm text-zinc-600 dark:text-zinc-400">The bracket can start once the problem above is solved.</p> : null}
        </Card>
      </section>
    </div>
  );
}

/* ───────────────────────────── Running ───────────────────────────── */

function RunningConsole({ eventId, entrants }: { eventId: string; entrants: { id: string; name: string; seed: number; disqualified: boolean }[] }) {
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
        <Disputes eventId={eventId} />
        <Announce eventId={eventId} />
        <Disqualify eventId={eventId} entrants={entrants} />
        <History eventId={eventId} />
      </div>
    </div>
  );
}

type ConsoleMatch = {
  id: string;
  label: string;
  bestOf: number;
  sides: { entrant: string | null; name: string | null }[];
  wins: number[];
  reportState: string;
  calledAt: string | null;
  reportDeadline: string | null;
  openDisputes: number;
};

function MatchRow({ match }: { match: ConsoleMatch }) {
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
            <p className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">
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

function Disputes({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queue = useQuery(trpc.disputes.queue.queryOptions({ eventId, status: "open" }));
  return (
    <section aria-labelledby="disputes-heading">
      <Card className="space-y-3">
        <h2 id="disputes-heading" className="text-lg font-semibold">
          Open disputes {queue.data ? <span className="text-zinc-500">({queue.data.disputes.length})</span> : null}
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

function Announce({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [message, setMessage] = useState("");
  const announce = useMutation(
    trpc.brackets.announce.mutationOptions({
      onSuccess: () => {
        setMessage("");
        toast.success("Announcement sent to all participants.");
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.history.pathKey() });
      },
    }),
  );
  const errors = fieldErrorsOf(announce.error).message;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <Card>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            announce.mutate({ eventId, message });
          }}
        >
          <h2 id={`${id}-heading`} className="text-lg font-semibold">
            Announce to all participants
          </h2>
          <div className="space-y-1">
            <label htmlFor={`${id}-message`} className="block text-sm font-medium">
              Message
            </label>
            <textarea
              id={`${id}-message`}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              rows={3}
              maxLength={1000}
              aria-invalid={errors?.length ? true : undefined}
              className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
            {errors?.length ? <p className="text-sm font-medium text-red-700 dark:text-red-400">{errors.join(" ")}</p> : null}
          </div>
          {announce.isError && !errors?.length ? <Alert>{messageOf(announce.error)}</Alert> : null}
          <Button type="submit" disabled={announce.isPending}>
            {announce.isPending ? "Sending…" : "Send announcement"}
          </Button>
        </form>
      </Card>
    </section>
  );
}

function Disqualify({ eventId, entrants }: { eventId: string; entrants: { id: string; name: string; seed: number; disqualified: boolean }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [entrantId, setEntrantId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const eligible = entrants.filter((entrant) => !entrant.disqualified).sort((a, b) => a.seed - b.seed);
  const chosen = eligible.find((entrant) => entrant.id === entrantId);
  const dq = useMutation(
    trpc.brackets.disqualify.mutationOptions({
      onSuccess: () => {
        toast.success(`${chosen?.name ?? "The entrant"} was disqualified.`);
        setConfirming(false);
        setEntrantId("");
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.get.queryKey({ eventId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.consoleMatches.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.history.pathKey() });
      },
      onError: () => setConfirming(false),
    }),
  );
  return (
    <section aria-labelledby="dq-heading">
      <Card className="space-y-3">
        <h2 id="dq-heading" className="text-lg font-semibold">
          Disqualify an entrant
        </h2>
        <SelectField
          id="dq-entrant"
          label="Entrant"
          value={entrantId}
          onChange={(e) => {
            setEntrantId(e.target.value);
            setConfirming(false);
          }}
        >
          <option value="">Choose an entrant…</option>
          {eligible.map((entrant) => (
            <option key={entrant.id} value={entrant.id}>
              {entrant.seed}. {entrant.name}
            </option>
          ))}
        </SelectField>
        {dq.isError ? <Alert>{messageOf(dq.error)}</Alert> : null}
        {confirming && chosen ? (
          <div role="group" aria-labelledby="confirm-dq" className="space-y-2 rounded-md border border-red-300 bg-red-50 p-3 dark:border-red-800 dark:bg-red-950">
            <p id="confirm-dq" className="text-sm">
              Disqualify {chosen.name}? Their opponents advance.
            </p>
            <div className="flex flex-wrap gap-2">
              <Button type="button" variant="danger" disabled={dq.isPending} onClick={() => dq.mutate({ eventId, entrantId: chosen.id })}>
                {dq.isPending ? "Disqualifying…" : `Yes, disqualify ${chosen.name}`}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </div>
          </div>
        ) : (
          <Button type="button" variant="danger" disabled={!chosen} onClick={() => setConfirming(true)}>
            Disqualify
          </Button>
        )}
      </Card>
    </section>
  );
}

function History({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.brackets.history.queryOptions({ eventId, limit: 10 }));
  const [confirming, setConfirming] = useState(false);
  const undo = useMutation(
    trpc.brackets.undo.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        toast.success("The last action was undone.");
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.get.queryKey({ eventId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.consoleMatches.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.brackets.history.pathKey() });
      },
      onError: () => setConfirming(false),
    }),
  );
  const undoable = history.data?.undoable ?? null;
  const undoLabel = undoable ? ACTION_LABEL[undoable.kind].toLowerCase() : "";
  return (
    <section aria-labelledby="history-heading">
      <Card className="space-y-3">
        <h2 id="history-heading" className="text-lg font-semibold">
          Recent actions
        </h2>
        {history.isPending ? (
          <Spinner label="Loading history" />
        ) : history.isError ? (
          <Alert>{messageOf(history.error)}</Alert>
        ) : (
          <>
            <div className="space-y-2">
              {undoable ? (
                confirming ? (
                  <div role="group" aria-labelledby="confirm-undo" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950">
                    <p id="confirm-undo" className="text-sm">
                      Undo “{undoLabel}”? Players affected are notified.
                    </p>
                    <div className="flex flex-wrap gap-2">
                      <Button type="button" disabled={undo.isPending} onClick={() => undo.mutate({ eventId })}>
                        {undo.isPending ? "Undoing…" : "Yes, undo"}
                      </Button>
                      <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
                        Cancel
                      </Button>
                    </div>
                  </div>
                ) : (
                  <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
                    Undo: {undoLabel}
                  </Button>
                )
              ) : (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing to undo.</p>
              )}
              {undo.isError ? <Alert>{messageOf(undo.error)}</Alert> : null}
            </div>
            <ol className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
              {history.data.actions.map((action) => (
                <li key={action.id} className={`flex justify-between gap-3 py-1.5 ${action.undoneAt ? "text-zinc-400 line-through" : ""}`}>
                  <span className="min-w-0">
                    {ACTION_LABEL[action.kind]}
                    {action.actorName ? <span className="text-zinc-500"> · {action.actorName}</span> : null}
                  </span>
                  <time dateTime={action.at} className="shrink-0 tabular-nums text-zinc-500">
                    {time(action.at)}
                  </time>
                </li>
              ))}
            </ol>
          </>
        )}
      </Card>
    </section>
  );
}
