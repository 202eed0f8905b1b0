import { formatMoney } from "@/server/wallet/money";
import { ordinal } from "../_components/labels";
import type { EventDetail } from "./types";

export function PrizePool({ event }: { event: EventDetail }) {
  const grows = event.prizeFromFeesPercent > 0 && event.entryFee > 0;
  const none = event.prizePool === 0 && !grows;
  return (
    <section aria-labelledby="prize-heading" className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
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
          {event.organizerPrize > 0 && grows ? (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Includes {formatMoney(event.organizerPrize)} from the organizer.</p>
          ) : null}
          <ol className="mt-4 divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
            {event.payouts.map((amount, index) => (
              <li key={index} className="flex items-baseline justify-between gap-3 py-2">
                <span className="font-medium">
                  {ordinal(index + 1)} place <span className="font-normal text-zinc-600 dark:text-zinc-400">({event.payoutSplit[index]}%)</span>
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
