import { payouts, prizePool } from "@/server/events/phase";
import { formatMoney, parseMoney } from "@/lib/money";
import { ordinal } from "./labels";
import type { EventFormValues } from "./event-form-values";

const money = (text: string) => (text.trim() === "" ? 0 : parseMoney(text));
const whole = (text: string) => (text.trim() === "" ? 0 : /^\d+$/.test(text.trim()) ? Number(text) : null);

/**
 * What the prize pool would be with every seat paid for, and what the organizer would keep (the
 * fees not promised to prizes, less the platform fee): a sanity check while typing.
 */
export function PrizePreview({ values, platformFeePercent }: { values: EventFormValues; platformFeePercent: number }) {
  const fee = money(values.entryFee);
  const organizerPrize = money(values.organizerPrize);
  const percent = whole(values.prizeFromFeesPercent);
  const capacity = whole(values.capacity);
  const split = values.payoutSplit
    .replaceAll("%", "")
    .split(/[\s/,;]+/)
    .filter(Boolean)
    .map(Number);
  const splitOk = split.length > 0 && split.every((p) => Number.isInteger(p) && p > 0) && split.reduce((a, b) => a + b, 0) === 100;
  if (fee === null || organizerPrize === null || percent === null || capacity === null || percent > 100) return null;
  const pool = prizePool({ organizerPrize, prizeFromFeesPercent: percent }, fee * capacity);
  const kept = fee * capacity - (pool - organizerPrize);
  const platformFee = Math.floor((kept * platformFeePercent) / 100);
  return (
    <div className="space-y-1 rounded-md bg-zinc-100 px-4 py-3 text-sm dark:bg-zinc-800">
      {pool === 0 ? (
        <p>No prize money: add an organizer-funded prize or a share of the entry fees.</p>
      ) : (
        <>
          <p>
            With all {capacity} seats paid, the prize pool is <strong>{formatMoney(pool)}</strong>
            {percent > 0 && fee > 0 ? "; it grows with each entry until then" : ""}.
          </p>
          {splitOk ? (
            <p className="mt-1 text-zinc-700 dark:text-zinc-300">
              {payouts(pool, split)
                .map((amount, i) => `${ordinal(i + 1)}: ${formatMoney(amount)}`)
                .join(" · ")}
            </p>
          ) : null}
        </>
      )}
      {fee > 0 ? (
        <p className="text-zinc-700 dark:text-zinc-300">
          {kept > 0 ? (
            <>
              You keep the fees not promised to prizes: <strong>{formatMoney(kept - platformFee)}</strong> with all seats paid, after the{" "}
              {platformFeePercent}% platform fee ({formatMoney(platformFee)}). It reaches your wallet when the prizes are paid.
            </>
          ) : (
            <>
              Every entry fee goes to the prizes: you keep none of it, and no platform fee is taken ({platformFeePercent}% of what you would
              keep).
            </>
          )}
        </p>
      ) : null}
    </div>
  );
}
