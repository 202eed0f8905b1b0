import { formatMoney } from "@/lib/money";
import { ordinal } from "../_components/labels";
import type { EventDetail } from "./types";

export function PrizePool({ event }: { event: EventDetail }) {
  const grows = event.prizeFromFeesPercent > 0 && event.entryFee > 0;
  const none = event.prizePool === 0 && !grows;
  return (
    <section
      aria-labelledby="prize-heading"
      className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="prize-heading" className="text-lg font-semibold">
        Prize pool
      </h2>
      {none ? (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">This event plays for glory: there is no prize money.</p>
      ) : (
        <>
          <p className="mt-2 text-3xl font-bold tabular-nums">{formatMoney(event.prizePool)}</p>
          {grows ? (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Grows with entries: {event.prizeFromFeesPercent}% of every entry fee goes to the pool, up to{" "}
              {formatMoney(event.prizePoolAtCapacity)} when the event is full.
            </p>
          ) : null}
          {event.organizerPrize > 0 ? (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              {event.organizerPrizeGuaranteed ? (
                <>
                  <span className="mr-1 inline-flex items-center rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                    Guaranteed
                  </span>
                  {formatMoney(event.organizerPrize)} from the organizer is{" "}
                  {event.status === "published" ? "set aside in their wallet" : "in the event's escrow"}, whatever the turnout.
                </>
              ) : (
                <>Includes {formatMoney(event.organizerPrize)} from the organizer.</>
              )}
            </p>
          ) : null}
          {event.status === "completed" && event.paidOutAt ? (
            <p className="mt-1 text-sm font-medium text-emerald-800 dark:text-emerald-300">Paid out to the winners' wallets.</p>
          ) : null}
          <ol className="mt-4 divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
            {event.payouts.map((amount, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the position is the place: row n is the prize for place n + 1
              <li key={index} className="flex items-baseline justify-between gap-3 py-2">
                <span className="font-medium">
                  {ordinal(index + 1)} place{" "}
                  <span className="font-normal text-zinc-600 dark:text-zinc-400">({event.payoutSplit[index]}%)</span>
                </span>
                <span className="font-semibold tabular-nums">{formatMoney(amount)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
