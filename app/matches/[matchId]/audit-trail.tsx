"use client";

import { useId } from "react";
import { LocalTime } from "@/app/wallet/local-time";
import { reasonLabel, sideName, type MatchData } from "./types";

const TIME: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "medium" };

type Entry = MatchData["audit"][number];

function num(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

function outcomeWords(match: MatchData, outcome: unknown): string {
  if (!outcome || typeof outcome !== "object") return "";
  const o = outcome as { type?: string; winner?: number };
  if (o.type === "double_forfeit") return "double forfeit";
  if (o.type === "forfeit") return `${sideName(match, o.winner)} wins by forfeit`;
  return `${sideName(match, o.winner)} wins`;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

const DECIDING = new Set(["result", "record_game", "forfeit", "double_forfeit", "report_confirmed", "deadline", "dispute_resolved"]);

/**
 * An action in another match (or on the whole bracket) that changed this one: said by where it
 * happened, never with this match's sides, since its details belong to the other match.
 */
export function describeElsewhere(detail: Record<string, unknown>): string {
  const where = str(detail.originLabel);
  const who = str(detail.entrantName) ?? "An entrant";
  const effect = detail.reset ? "this match was reset" : "this match changed";
  switch (detail.originKind) {
    case "dq":
      return `${who} was disqualified: ${effect}`;
    case "reinstate":
      return `${who} was reinstated: ${effect}`;
    case "undo":
      return where ? `An organizer action on ${where} was undone: ${effect}` : `An organizer action was undone: ${effect}`;
    case "correction":
      return `${where ?? "Another match"} was corrected: ${effect}`;
    case "clear":
      return `The result of ${where ?? "another match"} was cleared: ${effect}`;
    default:
      if (detail.reset) return `${where ?? "Another match"} changed: ${effect}`;
      return DECIDING.has(String(detail.originKind))
        ? `${where ?? "Another match"} was decided: a side moved on to this match`
        : `${where ?? "Another match"} changed: ${effect}`;
  }
}

/** What one step of the trail did, in words. */
export function describeStep(match: MatchData, entry: Entry): string {
  const d = entry.detail;
  const game = num(d.gameNumber);
  const g = game !== null ? `game ${game}` : "a game";
  const winner = num(d.winnerSide);
  switch (entry.kind) {
    case "start":
      return "Started the bracket";
    case "report":
      return `Reported ${sideName(match, winner)} won ${g}`;
    case "report_confirmed":
      return `Reported ${sideName(match, winner)} won ${g}; both sides agree, confirmed`;
    case "deadline":
      return "The report deadline passed";
    case "record_game":
      return `Recorded ${sideName(match, winner)} won ${g}`;
    case "result":
      return `Set the result: ${outcomeWords(match, d.outcome)}`;
    case "correction":
      return `Changed the result: ${outcomeWords(match, d.outcome)}`;
    case "forfeit":
      return `Forfeit: ${outcomeWords(match, d.outcome)}`;
    case "double_forfeit":
      return "Double forfeit";
    case "clear":
      return "Cleared the result";
    case "dq":
      return "Disqualified an entrant";
    case "reinstate":
      return "Reinstated an entrant";
    case "undo":
      return "Undid the last organizer action";
    case "call":
      return "Called the match";
    case "announce":
      return "Announced to all participants";
    case "dispute_opened":
      return d.reason
        ? `Disputed ${g}: ${reasonLabel(String(d.reason)).toLowerCase()}`
        : winner !== null
          ? `Reported ${sideName(match, winner)} won ${g}; the reports disagree, disputed`
          : `Disputed ${g}`;
    case "dispute_resolved":
      return `Resolved the dispute on ${g}: ${sideName(match, winner)} won`;
    case "dispute_statement":
      return `Added a statement to the dispute on ${g}`;
    case "dispute_evidence": {
      const count = num(d.count) ?? 0;
      return `Attached ${count} evidence file${count === 1 ? "" : "s"} to the dispute on ${g}`;
    }
    case "dispute_withdrawn":
      return `Withdrew the dispute on ${g}`;
    case "dispute_closed":
      return `The dispute on ${g} was closed${d.note ? `: ${String(d.note)}` : ""}`;
    case "elsewhere":
      return describeElsewhere(d);
    default:
      return String(entry.kind);
  }
}

/** Every step of the match, oldest first: when, who, what. */
export function AuditTrail({ match }: { match: MatchData }) {
  const id = useId();
  return (
    <section
      aria-labelledby={`${id}-h`}
      className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        Audit trail
      </h2>
      {match.audit.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Nothing has happened in this match yet.</p>
      ) : (
        <ol className="mt-3 divide-y divide-zinc-200 text-sm dark:divide-zinc-800" aria-label="Audit trail">
          {match.audit.map((entry) => (
            <li key={String(entry.id)} className="grid gap-x-4 gap-y-0.5 py-2 sm:grid-cols-[11rem_10rem_1fr]">
              <span className="text-zinc-600 tabular-nums dark:text-zinc-400">
                <LocalTime date={new Date(entry.at)} options={TIME} />
              </span>
              <span className="truncate font-medium">{entry.actorName ?? (entry.actorHidden ? "A player" : "Driftwood")}</span>
              <span
                className={`${entry.undoneAt ? "line-through decoration-zinc-400" : ""} ${entry.kind === "elsewhere" ? "text-zinc-600 italic dark:text-zinc-400" : ""}`}
              >
                {entry.kind === "elsewhere" ? <span className="sr-only">Elsewhere in the bracket: </span> : null}
                {describeStep(match, entry)}
                {entry.undoneAt ? <span className="sr-only"> (undone)</span> : null}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
