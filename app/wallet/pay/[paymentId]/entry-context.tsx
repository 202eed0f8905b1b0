"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";
import { useCountdown } from "@/app/_components/use-countdown";
import { Alert } from "@/app/_components/ui";
import { clockDuration, spokenDuration } from "@/app/events/_components/duration";
import { formatMoney } from "@/lib/money";
import type { PayerContext } from "@/server/payments/purposes";
import { LocalTime } from "../../local-time";

const TIME: Intl.DateTimeFormatOptions = { timeStyle: "short" };
const never = () => () => {};

/** Seconds left on the held seat, ticking; null when nothing waits on this payment. */
export function useSeatTimer(context: PayerContext | null) {
  const until = context?.heldUntil ? new Date(context.heldUntil).getTime() : null;
  const seconds = useCountdown(until);
  return until === null ? null : seconds;
}

/**
 * What an entry fee's card step is for: the event (a way back to it), the fee split into what the
 * wallet already holds and what the card pays, and the seat's countdown with what happens at zero.
 */
export function EntryContext({ context, seconds, paid }: { context: PayerContext; seconds: number | null; paid: boolean }) {
  const heldUntil = context.heldUntil ? new Date(context.heldUntil) : null;
  // The server's clock is not the browser's: the ticking part waits for the browser, so the first
  // render matches (the end time, in words, shows either way).
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  return (
    <section aria-label="What you are paying for" className="mb-6 space-y-4">
      <p className="text-sm">
        Entry fee for{" "}
        <Link href={context.path} className="font-semibold text-brand-700 underline underline-offset-2 dark:text-brand-300">
          {context.title}
        </Link>
      </p>
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 rounded-md border border-zinc-200 p-4 text-sm dark:border-zinc-800">
        <dt>Entry fee</dt>
        <dd className="text-right tabular-nums">{formatMoney(context.total)}</dd>
        {context.walletHeld > 0 ? (
          <>
            <dt className="text-zinc-700 dark:text-zinc-300">Held from your wallet</dt>
            <dd className="text-right tabular-nums text-zinc-700 dark:text-zinc-300">−{formatMoney(context.walletHeld)}</dd>
          </>
        ) : null}
        <dt className="border-t border-zinc-200 pt-1 font-semibold dark:border-zinc-800">On your card</dt>
        <dd className="border-t border-zinc-200 pt-1 text-right font-semibold tabular-nums dark:border-zinc-800">
          {formatMoney(context.card)}
        </dd>
      </dl>
      {!paid && heldUntil && seconds !== null ? (
        seconds > 0 ? (
          <div
            role="timer"
            aria-live="off"
            className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          >
            <p>
              Your seat is held
              {inBrowser ? (
                <>
                  {" "}
                  for <span className="font-semibold tabular-nums">{clockDuration(seconds)}</span>
                  <span className="sr-only"> ({spokenDuration(seconds)})</span>,
                </>
              ) : null}{" "}
              until <LocalTime date={heldUntil} options={TIME} />.
            </p>
            <p className="mt-1">
              If the time runs out before your card pays, the seat goes to someone else
              {context.walletHeld > 0 ? ` and the ${formatMoney(context.walletHeld)} held from your wallet is released back to you` : ""}.
              Nothing is charged to your card.
            </p>
          </div>
        ) : (
          <Alert>
            The time to pay has run out: your seat was released
            {context.walletHeld > 0 ? ` and the ${formatMoney(context.walletHeld)} held from your wallet is yours again` : ""}. You can
            register again from the event page if seats are left.
          </Alert>
        )
      ) : null}
    </section>
  );
}

/** The way out, saying whether leaving keeps the seat. */
export function BackToEvent({ context, seconds }: { context: PayerContext; seconds: number | null }) {
  const keeps = seconds !== null && seconds > 0 && context.heldUntil;
  return (
    <p className="mt-4 text-sm">
      <Link href={context.path} className="font-semibold text-brand-700 underline underline-offset-2 dark:text-brand-300">
        Back to the event
      </Link>
      <span className="text-zinc-600 dark:text-zinc-400">
        {keeps ? (
          <>
            {" "}
            — leaving keeps your seat until <LocalTime date={new Date(context.heldUntil!)} options={TIME} />; you can finish paying from the
            event page.
          </>
        ) : null}
      </span>
    </p>
  );
}

/** The context and the way back with their own timer, for the card step the page renders without Checkout (Stripe's). */
export function EntryContextWithTimer({ context, paid, children }: { context: PayerContext; paid: boolean; children: React.ReactNode }) {
  const seconds = useSeatTimer(context);
  return (
    <>
      <EntryContext context={context} seconds={seconds} paid={paid} />
      {children}
      {paid ? null : <BackToEvent context={context} seconds={seconds} />}
    </>
  );
}
