"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Card, LinkButton } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { LocalTime } from "./local-time";

/** Top-ups started but not finished, so a player who left the card step can pick it up again. */
export function PendingTopUps({ exceptPaymentId, className = "" }: { exceptPaymentId?: string; className?: string }) {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.wallet.overview.queryOptions());
  const open = data.pendingTopUps.filter((payment) => payment.id !== exceptPaymentId);
  if (open.length === 0) return null;
  return (
    <Card className={className}>
      <h2 className="text-lg font-semibold">Unfinished top-ups</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Nothing has been charged for these yet.</p>
      <ul className="mt-4 divide-y divide-zinc-200 dark:divide-zinc-800">
        {open.map((payment) => {
          const money = formatMoney(payment.amount);
          const declined = payment.status === "failed";
          return (
            <li key={payment.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="font-semibold tabular-nums">{money}</p>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  Started <LocalTime date={payment.createdAt} />
                  {declined ? ` · ${payment.failureMessage ?? "The card was declined."}` : ""}
                </p>
              </div>
              <LinkButton variant="secondary" href={`/wallet/pay/${payment.id}`} className="px-3 py-1.5">
                {declined ? "Try again" : "Continue"}
                <span className="sr-only"> the top-up of {money}</span>
              </LinkButton>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
