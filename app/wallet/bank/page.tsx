import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/ui";
import { VerifyEmailNotice } from "@/app/_components/verify-email-notice";
import { HydrateClient, prefetch, trpc } from "@/app/_trpc/server";
import { requireUser } from "@/server/accounts/session";
import { BankAccount } from "./bank-account";

export const metadata: Metadata = { title: "Bank account for withdrawals" };

/** Where withdrawals go: the current account, a form to add or replace it, and removing it. */
export default async function BankAccountPage() {
  await requireUser("/wallet/bank");
  await prefetch(trpc.withdrawals.bankAccount.queryOptions());
  await prefetch(trpc.account.me.queryOptions());
  return (
    <HydrateClient>
      <p className="mb-4 text-sm">
        <Link href="/wallet" className="text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
          ← Back to your wallet
        </Link>
      </p>
      <PageHeader
        title="Bank account for withdrawals"
        description="Where we send the money you withdraw from your wallet. We show only its last four digits; the full number is stored encrypted."
      />
      <div className="space-y-6">
        <VerifyEmailNotice action="add a bank account for withdrawals" />
        <BankAccount />
      </div>
    </HydrateClient>
  );
}
