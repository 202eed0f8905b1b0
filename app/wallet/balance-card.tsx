"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { BalanceChart } from "@/app/_components/balance-chart";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

export function BalanceCard() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.wallet.balanceSeries.queryOptions());
  return (
    <Card>
      <h2 className="text-lg font-semibold">Available balance</h2>
      <p className="mb-4 mt-1 text-sm text-zinc-600 dark:text-zinc-400">At the end of each day (UTC), last {data.length} days.</p>
      <BalanceChart points={data} />
    </Card>
  );
}
