import { Trophy } from "lucide-react";
import { useId } from "react";
import type { FinalStandings } from "@/server/brackets/engine/types";
import { ordinal } from "./round-names";
import type { BracketNames } from "./types";

/** Once the bracket is complete: the champion and the next places (shared places shown as such). */
export function Placements({ standings, names, limit = 4 }: { standings: FinalStandings; names: BracketNames; limit?: number }) {
  const id = useId();
  if (!standings.complete) return null;
  const shown = standings.placements.filter((placement) => placement.place <= limit);
  return (
    <section
      aria-labelledby={id}
      className="rounded-lg border border-brand-300 bg-brand-50 px-4 py-3 dark:border-brand-800 dark:bg-zinc-900"
    >
      <h3 id={id} className="flex items-center gap-2 text-sm font-semibold text-brand-800 dark:text-brand-300">
        <Trophy aria-hidden className="size-4" />
        Final standings
      </h3>
      {standings.champion === null ? (
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">No champion: the final ended in a double forfeit.</p>
      ) : null}
      <ol className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {shown.map((placement) => (
          <li key={placement.entrant} className="flex items-baseline gap-2">
            <span
              className={`tabular-nums ${placement.place === 1 ? "font-bold text-brand-800 dark:text-brand-300" : "text-zinc-600 dark:text-zinc-400"}`}
            >
              {ordinal(placement.place)}
            </span>
            <span className={placement.place === 1 ? "font-semibold" : ""}>{names[placement.entrant]?.name ?? placement.entrant}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
