"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Card, LinkButton } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";

export function Balances() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.wallet.overview.queryOptions());
  const { available, held, current } = data.balances;
  return (
    <section aria-labelledby="balances-heading">
      <Card>
        <h2 id="balances-heading" className="sr-only">
          Balances
        </h2>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-6 sm:grid-cols-3 sm:gap-6">
          <div className="col-span-2 sm:col-span-1">
            <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Available</dt>
            <dd className="mt-1 text-3xl font-bold tabular-nums" data-testid="balance-available">
              {formatMoney(available)}
            </dd>
            <dd className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Ready to spend on entry fees or withdraw.</dd>
            <dd className="mt-3">
              <LinkButton href="/wallet/withdraw" variant="secondary" className="px-3 py-1.5">
                Withdraw
              </LinkButton>
            </dd>
          </div>
          <div>
            <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Held</dt>
            <dd className="mt-1 text-2xl font-bold tabular-nums sm:text-3xl" data-testid="balance-held">
              {formatMoney(held)}
            </dd>
            <dd className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Set aside for entries and withdrawals not settled yet.</dd>
          </div>
          <div className="sm:border-l sm:border-zinc-200 sm:pl-6 dark:sm:border-zinc-800">
            <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Current balance</dt>
            <dd className="mt-1 text-2xl font-bold tabular-nums sm:text-3xl" data-testid="balance-current">
              {formatMoney(current)}
            </dd>
            <dd className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Available + held.</dd>
          </div>
        </dl>
      </Card>
    </section>
  );
}
