"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import type { ImportMode, ImportRowError } from "@/server/registration/import";

const MAX_BYTES = 2 * 1024 * 1024;
/** A table of thousands of rows helps nobody; the first ones show what to fix. */
const SHOWN_ERRORS = 200;

const modes: Record<ImportMode, { label: string; headers: string[]; example: string; help: string }> = {
  participants: {
    label: "Add participants",
    headers: ["email", "email,seed"],
    example: "email,seed\nnova@example.com,1\nkai@example.com,\nzed@example.com,3",
    help: "One player per row, by the email of their Driftwood account. The seed column is optional. Imported players are confirmed as free entries: Driftwood charges them nothing, so collect any entry fee yourself.",
  },
  seeds: {
    label: "Set seeds",
    headers: ["email,seed"],
    example: "email,seed\nnova@example.com,1\nkai@example.com,2",
    help: "One confirmed player per row with their seed, from 1 up to the event's capacity. Players not in the file keep their seeds.",
  },
};

type Outcome =
  | { kind: "imported"; mode: ImportMode; count: number }
  | { kind: "rows"; errors: ImportRowError[] }
  | { kind: "failed"; message: string };

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

function sizeLabel(bytes: number) {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The organizer uploads a CSV of participants or seeds; all rows are imported, or none. */
export function ImportForm({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<ImportMode>("participants");
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setOutcome(null);
    if (!file) {
      setFileError("Choose a CSV file to upload.");
      return;
    }
    if (file.size > MAX_BYTES) {
      setFileError("That file is larger than 2 MB. Split it into smaller files.");
      return;
    }
    setFileError(null);
    setSending(true);
    try {
      // The File itself is the body: the browser streams it from disk.
      const response = await fetch(`/api/organizer/events/${eventId}/import?mode=${mode}`, {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: file,
      });
      const body = (await response.json().catch(() => ({}))) as {
        ok?: boolean;
        imported?: number;
        errors?: ImportRowError[];
        error?: string;
      };
      if (response.ok && body.ok) {
        setOutcome({ kind: "imported", mode, count: body.imported ?? 0 });
        setFile(null);
        if (fileInput.current) fileInput.current.value = "";
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.registration.forEvent.queryKey({ eventId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) }),
        ]);
      } else if (response.status === 422 && body.errors) {
        setOutcome({ kind: "rows", errors: body.errors });
      } else {
        setOutcome({ kind: "failed", message: body.error ?? "The import did not work. Nothing was imported; please try again." });
      }
    } catch {
      setOutcome({ kind: "failed", message: "We could not reach Driftwood. Check your connection and try again. Nothing was imported." });
    } finally {
      setSending(false);
    }
  }

  const current = modes[mode];
  return (
    <Card>
      <section aria-labelledby={`${id}-heading`} className="space-y-4">
        <div>
          <h2 id={`${id}-heading`} className="text-lg font-semibold">
            Import from a spreadsheet
          </h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Upload a CSV file (UTF-8, up to 2 MB and 10,000 rows). Every row is checked first: if any row has a problem, nothing is
            imported.
          </p>
        </div>
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <fieldset className="space-y-2" disabled={sending}>
            <legend className="text-sm font-medium">The file</legend>
            <div className="flex flex-col gap-2 sm:flex-row sm:gap-6">
              {(Object.keys(modes) as ImportMode[]).map((value) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="mode"
                    value={value}
                    checked={mode === value}
                    onChange={() => {
                      setMode(value);
                      setOutcome(null);
                    }}
                    className="size-4 accent-brand-500"
                  />
                  {modes[value].label}
                </label>
              ))}
            </div>
          </fieldset>

          <div className="space-y-2 text-sm">
            <p className="text-zinc-700 dark:text-zinc-300">{current.help}</p>
            <figure>
              <figcaption className="font-medium">
                First line (the header):{" "}
                {current.headers.map((header, i) => (
                  <span key={header}>
                    {i > 0 ? " or " : null}
                    <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono dark:bg-zinc-800">{header}</code>
                  </span>
                ))}
                . For example:
              </figcaption>
              <pre className="mt-1 relative overflow-x-auto rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs leading-relaxed dark:border-zinc-800 dark:bg-zinc-950">
                {current.example}
              </pre>
            </figure>
          </div>

          <div className="space-y-1">
            <label htmlFor={`${id}-file`} className="block text-sm font-medium">
              CSV file
            </label>
            <input
              ref={fileInput}
              id={`${id}-file`}
              type="file"
              accept=".csv,text/csv"
              disabled={sending}
              aria-invalid={fileError ? true : undefined}
              aria-describedby={fileError ? `${id}-file-error` : undefined}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setFileError(null);
                setOutcome(null);
              }}
              className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-zinc-200 file:px-3 file:py-2 file:text-sm file:font-semibold dark:file:bg-zinc-800 dark:file:text-zinc-100"
            />
            {fileError ? (
              <p id={`${id}-file-error`} className="text-sm font-medium text-red-700 dark:text-red-400">
                {fileError}
              </p>
            ) : null}
          </div>

          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={sending}>
              {sending ? "Importing…" : mode === "participants" ? "Import participants" : "Import seeds"}
            </Button>
            {sending && file ? <Spinner label={`Uploading and checking ${file.name} (${sizeLabel(file.size)})…`} /> : null}
          </div>
        </form>

        {outcome ? <ImportOutcome outcome={outcome} /> : null}
      </section>
    </Card>
  );
}

function ImportOutcome({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === "imported") {
    return (
      <Alert tone="success">
        {outcome.mode === "participants"
          ? `Imported ${plural(outcome.count, "participant", "participants")}.`
          : `Set the seeds of ${plural(outcome.count, "player", "players")}.`}
      </Alert>
    );
  }
  if (outcome.kind === "failed") return <Alert>{outcome.message}</Alert>;

  const rowsWithErrors = new Set(outcome.errors.map((e) => e.row)).size;
  const shown = outcome.errors.slice(0, SHOWN_ERRORS);
  return (
    <div className="space-y-3">
      <Alert>
        <p className="font-semibold">Nothing was imported. Fix these rows and upload again.</p>
        <p className="mt-1">
          {plural(rowsWithErrors, "row has", "rows have")} problems. Rows are counted from the first line under the header.
        </p>
      </Alert>
      <div className="relative max-h-96 overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Problems found in the file, by row</caption>
          <thead className="sticky top-0 bg-zinc-100 text-xs uppercase text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
            <tr>
              <th scope="col" className="px-3 py-2 text-right">
                Row
              </th>
              <th scope="col" className="px-3 py-2">
                Column
              </th>
              <th scope="col" className="px-3 py-2">
                Problem
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950">
            {shown.map((error, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one import's problems, shown as returned and never reordered; a cell can have several
              <tr key={`${error.row}-${error.column}-${i}`}>
                <td className="px-3 py-2 text-right align-top tabular-nums">{error.row}</td>
                <td className="px-3 py-2 align-top font-mono text-xs">{error.column || "—"}</td>
                <td className="px-3 py-2 align-top break-words">{error.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {outcome.errors.length > shown.length ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Showing the first {SHOWN_ERRORS} of {outcome.errors.length.toLocaleString()} problems.
        </p>
      ) : null}
    </div>
  );
}
