"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { isOnTheWay, statusLabel } from "@/server/withdrawals/display";

/** A line per withdrawal requested, approved or sent, on the wallet page; nothing when there are none. */
export function WithdrawalsOnTheWay() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.withdrawals.overview.queryOptions());
  const open = data.withdrawals.filter((w) => isOnTheWay(w.status));
  if (open.length === 0) return null;
  const total = open.reduce((sum, w) => sum + w.amount, 0);
  return (
    <Card>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">Withdrawals on their way</h2>
        <Link href="/wallet/withdraw" className="text-sm font-medium underline underline-offset-2">
          See all withdrawals
        </Link>
      </div>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {formatMoney(total)} in {open.length === 1 ? "one withdrawal" : `${open.length} withdrawals`}, not yet arrived at your bank.
      </p>
      <ul className="mt-3 divide-y divide-zinc-200 dark:divide-zinc-800">
        {open.map((w) => (
          <li key={w.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
            <span className="font-semibold tabular-nums">{formatMoney(w.amount)}</span>
            <span className="text-zinc-600 dark:text-zinc-400">
              {statusLabel[w.status]} · •••• {w.bank.last4}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
