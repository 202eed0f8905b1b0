/** Marks the round being played. */
export function NowPill() {
  return (
    <span className="shrink-0 rounded-full bg-brand-500 px-1.5 py-px text-[10px] leading-tight font-bold tracking-wide text-zinc-950 uppercase">
      Now
    </span>
  );
}
