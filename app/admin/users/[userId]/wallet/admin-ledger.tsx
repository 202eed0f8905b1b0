"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, EmptyState, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { categoryLabel } from "@/app/wallet/labels";
import { LocalTime } from "@/app/wallet/local-time";
import { formatMoney } from "@/lib/money";

/** Every movement of one user's available balance, newest first. */
export function AdminLedger({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const history = useInfiniteQuery(
    trpc.admin.walletHistory.infiniteQueryOptions({ userId, limit: 25 }, { getNextPageParam: (page) => page.nextCursor }),
  );
  if (history.isPending) return <Spinner label="Loading ledger…" />;
  if (history.isError) return <Alert>{messageOf(history.error)}</Alert>;
  const rows = history.data.pages.flatMap((page) => page.rows);
  if (rows.length === 0) return <EmptyState title="No movements yet" />;
  return (
    <div className="space-y-3">
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Ledger entries of this wallet</caption>
          <thead className="bg-zinc-100 text-xs uppercase text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
            <tr>
              <th scope="col" className="px-3 py-2">
                When
              </th>
              <th scope="col" className="px-3 py-2">
                Description
              </th>
              <th scope="col" className="px-3 py-2">
                Type
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Amount
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Balance after
              </th>
              <th scope="col" className="hidden px-3 py-2 lg:table-cell">
                Transfer
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950">
            {rows.map((row) => (
              <tr key={row.key}>
                <td className="whitespace-nowrap px-3 py-2">
                  <LocalTime date={row.createdAt} />
                </td>
                <td className="px-3 py-2">{row.description}</td>
                <td className="px-3 py-2">{categoryLabel[row.category]}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {row.kind === "card_refund" ? `${formatMoney(row.amount)} to card` : formatMoney(row.amount, { signed: true })}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{row.balanceAfter === null ? "—" : formatMoney(row.balanceAfter)}</td>
                <td className="hidden px-3 py-2 font-mono text-xs lg:table-cell">{row.transferId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {history.hasNextPage ? (
        <Button variant="secondary" disabled={history.isFetchingNextPage} onClick={() => history.fetchNextPage()}>
          {history.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}
