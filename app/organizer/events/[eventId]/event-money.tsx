"use client";

import { useQuery } from "@tanstack/react-query";
import { messageOf } from "@/app/_components/errors";
import { Alert, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { Stat } from "./stat";

const prizeState: Record<string, string> = {
  held: "held from your wallet until the bracket starts",
  in_escrow: "in the event's escrow since the bracket started",
  released: "released back to your wallet",
  not_held: "not held yet: it is taken from your wallet when the bracket starts",
};

const moneyPhaseWords: Record<string, string> = {
  draft: "Draft: nothing is collected yet.",
  upcoming: "Registration has not opened yet.",
  registration_open: "Entry fees are coming in. Players may withdraw (refunded less the penalty) until registration closes.",
  check_in: "Registration is closed; entry fees stay in the escrow.",
  registration_closed:
    "Registration and check-in are closed. Starting the bracket drops no-shows (refunded by your policy) and fixes the prize pool.",
  bracket_started:
    "The bracket is running: nothing leaves the escrow until the prizes are paid. Withdrawals are forfeits, removals are disqualifications.",
  completed: "The bracket is complete: the prizes are being paid.",
  paid_out: "Paid out: the escrow is empty.",
  cancelled: "Cancelled: every entry is refunded in full and your prize money returned.",
};

/** Where the event's money is: the escrow, the organizer's prize, and what the payout gave the organizer. */
export function EventMoney({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const money = useQuery(trpc.events.money.queryOptions({ eventId }));
  if (money.isPending) return <Spinner label="Loading the event's money…" />;
  if (money.isError) return <Alert>{messageOf(money.error)}</Alert>;
  const m = money.data;
  return (
    <Card>
      <section aria-labelledby="money-heading" className="space-y-3">
        <h2 id="money-heading" className="text-lg font-semibold">
          Money
        </h2>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{moneyPhaseWords[m.phase]}</p>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat label="In escrow" value={formatMoney(m.escrow)} />
          <Stat label="Platform fee" value={`${m.platformFeePercent}% of your share`} />
          {m.paidOutAt ? (
            <>
              <Stat label="Your share, paid" value={formatMoney(m.organizerShare)} />
              <Stat label="Platform fee, paid" value={formatMoney(m.platformFee)} />
            </>
          ) : null}
        </dl>
        {m.organizerPrize.state !== "none" ? (
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            Your {formatMoney(m.organizerPrize.amount)} prize is {prizeState[m.organizerPrize.state]}.
          </p>
        ) : null}
      </section>
    </Card>
  );
}
