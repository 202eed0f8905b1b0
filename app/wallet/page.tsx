import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Card, PageHeader, Spinner } from "@/app/_components/ui";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { paymentIdInput } from "@/server/wallet/schemas";
import { VerifyEmailNotice } from "@/app/_components/verify-email-notice";
import { AddFunds } from "./add-funds";
import { BalanceCard } from "./balance-card";
import { Balances } from "./balances";
import { History } from "./history";
import { HISTORY_PAGE_SIZE, historyPaging } from "./history-query";
import { PaymentStatus } from "./payment-status";
import { PendingTopUps } from "./pending-topups";
import { WithdrawalsOnTheWay } from "./withdrawals-on-the-way";

export const metadata: Metadata = { title: "Wallet" };

function Loading({ label }: { label: string }) {
  return (
    <Card>
      <Spinner label={label} />
    </Card>
  );
}

export default async function WalletPage({ searchParams }: { searchParams: Promise<{ payment?: string | string[] }> }) {
  await requireUser("/wallet");
  const { payment } = await searchParams;
  const paymentId = typeof payment === "string" && payment ? payment : undefined;
  const paymentIdValid = paymentId !== undefined && paymentIdInput.safeParse({ paymentId }).success;

  await prefetch(trpc.wallet.overview.queryOptions());
  await prefetch(trpc.account.me.queryOptions());
  await prefetch(trpc.wallet.balanceSeries.queryOptions());
  await prefetch(trpc.withdrawals.overview.queryOptions());
  // History and the payment status use plain (non-suspense) queries. Streamed to them still
  // pending, the server would render their loading state while the browser, finding the data
  // already arrived, renders rows: a hydration mismatch. So these two are awaited.
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchInfiniteQuery(trpc.wallet.history.infiniteQueryOptions({ filters: {}, limit: HISTORY_PAGE_SIZE }, historyPaging)),
    paymentIdValid ? queryClient.prefetchQuery({ ...trpc.wallet.payment.queryOptions({ paymentId }), retry: false }) : null,
  ]);

  return (
    <HydrateClient>
      <PageHeader title="Wallet" description="Add funds by card, pay entry fees, receive prizes and withdraw to your bank." />
      {paymentId ? <PaymentStatus key={paymentId} paymentId={paymentId} /> : null}
      <div className="space-y-6">
        <VerifyEmailNotice action="add funds to your wallet" />
        <Suspense fallback={<Loading label="Loading your balances…" />}>
          <Balances />
        </Suspense>
        <p className="text-sm">
          <Link
            href="/wallet/bank"
            className="font-medium text-zinc-700 underline underline-offset-2 hover:text-zinc-950 dark:text-zinc-300 dark:hover:text-white"
          >
            Bank account for withdrawals
          </Link>
        </p>
        <Suspense fallback={null}>
          <WithdrawalsOnTheWay />
        </Suspense>
        {/* On a phone: add funds, unfinished top-ups, chart. On a wide screen the chart and the
            unfinished top-ups share the right column, beside add funds. */}
        <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)] lg:items-start">
          <div className="lg:row-span-2">
            <AddFunds />
          </div>
          <Suspense fallback={null}>
            <PendingTopUps exceptPaymentId={paymentId} className="lg:col-start-2" />
          </Suspense>
          <div className="lg:col-start-2 lg:row-start-1">
            <Suspense fallback={<Loading label="Loading your balance chart…" />}>
              <BalanceCard />
            </Suspense>
          </div>
        </div>
        <History />
      </div>
    </HydrateClient>
  );
}
