"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Landmark } from "lucide-react";
import { EmptyState, LinkButton } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { WithdrawForm } from "./withdraw-form";
import { WithdrawalList } from "./withdrawal-list";

/**
 * The withdraw page's body: the form (or, without a bank account, the way to add one) and the
 * player's withdrawals. The header's live follow of `user:<id>` refetches the overview when the
 * wallet changes (a request, an admin's decision, a payout sent or returned).
 */
export function Withdraw() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.withdrawals.overview.queryOptions());
  return (
    <div className="space-y-8">
      {data.account ? (
        <WithdrawForm overview={data} account={data.account} />
      ) : (
        <EmptyState
          title="Add a bank account to withdraw"
          action={
            <LinkButton href="/wallet/bank">
              <Landmark aria-hidden className="size-4" />
              Add a bank account
            </LinkButton>
          }
        >
          Withdrawals go to a bank account in your name. We keep only its last four digits on show, and you can change it at any time.
        </EmptyState>
      )}
      <WithdrawalList withdrawals={data.withdrawals} />
    </div>
  );
}
