import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

type Outputs = inferRouterOutputs<AppRouter>;
export type MatchData = Outputs["matches"]["get"];
export type DisputeData = Outputs["disputes"]["get"];
export type Side = 0 | 1;

export const reasons = [
  { value: "wrong_winner", label: "Wrong winner reported" },
  { value: "opponent_no_show", label: "Opponent did not show up" },
  { value: "cheating", label: "Cheating" },
  { value: "connection_issue", label: "Connection issue" },
  { value: "other", label: "Other" },
] as const;
export type Reason = (typeof reasons)[number]["value"];

export function reasonLabel(reason: string | null): string {
  return reasons.find((r) => r.value === reason)?.label ?? "Reports disagree";
}

/** The name of a side for sentences: the entrant, or "Side 1" while undecided. */
export function sideName(match: MatchData, side: number | null | undefined): string {
  if (side !== 0 && side !== 1) return "nobody";
  return match.sides[side]?.entrant?.name ?? `Side ${side + 1}`;
}

export const statusLabels: Record<string, string> = {
  pending: "Waiting for players",
  ready: "Ready to play",
  in_progress: "In progress",
  completed: "Completed",
  bye: "Bye",
  skipped: "Not played",
};

export const authorityLabels: Record<string, string> = {
  organizer: "decided by the organizer",
  dispute: "decided in a dispute",
  agreement: "confirmed by both sides",
  deadline: "the single report at the deadline",
};

export function isPlayable(status: string) {
  return status === "ready" || status === "in_progress";
}
