import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Card, PageHeader, Spinner } from "@/app/_components/ui";
import { VerifyEmailNotice } from "@/app/_components/verify-email-notice";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { Withdraw } from "./withdraw";

export const metadata: Metadata = { title: "Withdraw" };

export default async function WithdrawPage() {
  await requireUser("/wallet/withdraw");
  await prefetch(trpc.withdrawals.overview.queryOptions());
  await prefetch(trpc.account.me.queryOptions());

  return (
    <HydrateClient>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/wallet" className="font-medium text-zinc-700 underline-offset-4 hover:underline dark:text-zinc-300">
          ← Wallet
        </Link>
      </nav>
      <PageHeader title="Withdraw" description="Send money from your wallet to your bank account." />
      <div className="space-y-6">
        <VerifyEmailNotice action="withdraw from your wallet" />
        <Suspense
          fallback={
            <Card>
              <Spinner label="Loading your withdrawals…" />
            </Card>
          }
        >
          <Withdraw />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
