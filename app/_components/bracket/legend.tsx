import { NowPill } from "./now-pill";

/** What the dots, chips and badges mean. */
export function BracketLegend({ elimination }: { elimination: boolean }) {
  const item = "inline-flex items-center gap-1.5";
  const badge = "rounded-full px-1.5 py-px text-[10px] leading-tight font-bold";
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300">
      <h3 className="sr-only">Legend</h3>
      <ul className="flex flex-wrap gap-x-4 gap-y-1.5">
        <li className={item}>
          <span aria-hidden className="size-2 rounded-full bg-emerald-600 dark:bg-emerald-400" /> game won
        </li>
        <li className={item}>
          <span aria-hidden className="size-2 rounded-full border-[1.5px] border-zinc-500 dark:border-zinc-400" /> game lost
        </li>
        <li className={item}>
          <span aria-hidden className="size-1 rounded-full bg-zinc-400 dark:bg-zinc-500" /> game not played yet
        </li>
        <li className={item}>
          <span aria-hidden className="rounded bg-brand-500 px-1.5 font-bold text-zinc-950">
            2
          </span>{" "}
          match winner
        </li>
        <li className={item}>
          <span className="font-semibold">W</span> / <span className="font-semibold">FF</span> / <span className="font-semibold">DQ</span>{" "}
          won without games / forfeit / disqualified
        </li>
        {elimination ? (
          <li className={item}>
            <span className="font-semibold tracking-wider text-zinc-500 dark:text-zinc-400">BYE</span> no opponent: the other side advances
          </li>
        ) : null}
        <li className={item}>
          <NowPill /> round being played
        </li>
        <li className={item}>
          <span className={`${badge} bg-emerald-700 text-white dark:bg-emerald-500 dark:text-emerald-950`}>Live</span>
          <span className={`${badge} bg-sky-700 text-white dark:bg-sky-400 dark:text-sky-950`}>Called</span>
          <span className={`${badge} bg-amber-400 text-amber-950`}>Overdue</span>
          <span className={`${badge} bg-red-600 text-white dark:bg-red-600`}>Disputed</span>
        </li>
        <li>Hover, tap or focus a player to follow their path.</li>
      </ul>
    </div>
  );
}
