import type { BracketActionKind } from "@/db/schema/brackets";
import type { EventFormat } from "@/db/schema/events";

export type Seeding = "registration" | "random" | "rating" | "manual";
export type ConsoleState = "ready" | "in_progress" | "awaiting_reports" | "disputed" | "overdue";

/** An entrant of a started bracket, as the console lists them. */
export type ConsoleEntrant = { id: string; name: string; seed: number; disqualified: boolean };

export type ConsoleMatch = {
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

export const STATES: { value: ConsoleState; label: string }[] = [
  { value: "ready", label: "Ready" },
  { value: "in_progress", label: "In progress" },
  { value: "awaiting_reports", label: "Awaiting reports" },
  { value: "disputed", label: "Disputed" },
  { value: "overdue", label: "Overdue" },
];

export const ACTION_LABEL: Record<BracketActionKind, string> = {
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

export const REPORT_LABEL: Record<string, string> = {
  none: "No reports",
  awaiting: "Awaiting reports",
  disputed: "Disputed",
  overdue: "Overdue",
};

export const FORMAT_LABEL: Record<EventFormat, string> = {
  single_elimination: "Single elimination",
  double_elimination: "Double elimination",
  round_robin: "Round robin",
  swiss: "Swiss",
};

export const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
export const dateTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
