import { phaseLabel, type EventPhase } from "@/server/events/phase";

const tones: Record<EventPhase, string> = {
  draft: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  upcoming: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  registration_open: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  registration_closed: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  check_in: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
  live: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  completed: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  cancelled: "bg-zinc-200 text-zinc-700 line-through dark:bg-zinc-800 dark:text-zinc-300",
};

export function PhaseBadge({ phase }: { phase: EventPhase }) {
  return (
    <span className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ${tones[phase]}`}>
      {phase === "live" ? <span aria-hidden className="size-2 animate-pulse rounded-full bg-red-600" /> : null}
      {phaseLabel[phase]}
    </span>
  );
}
