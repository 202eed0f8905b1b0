"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmationCancelled, useConfirmIdentity } from "@/app/_components/confirm-identity";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "../local-time";
import { BankAccountForm } from "./bank-account-form";
import { PayoutReadiness } from "./payout-readiness";

const dateOnly: Intl.DateTimeFormatOptions = { dateStyle: "medium" };

/** The current bank account (or none), removing it, and the form that adds or replaces it. */
export function BankAccount() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.withdrawals.bankAccount.queryOptions());
  const { withConfirmation, dialog } = useConfirmIdentity();
  const remove = useMutation(trpc.withdrawals.removeBankAccount.mutationOptions());
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const { account, reviewUntil } = data;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.withdrawals.pathKey() });

  async function onRemove() {
    setRemoveError(null);
    try {
      await withConfirmation(() => remove.mutateAsync());
      setConfirmingRemove(false);
      toast.success("Bank account removed");
      await refresh();
    } catch (error) {
      if (error instanceof ConfirmationCancelled) return;
      setRemoveError(messageOf(error));
    }
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] lg:items-start">
      <Card>
        <section aria-labelledby="current-bank-title" className="space-y-4">
          <h2 id="current-bank-title" className="text-lg font-semibold">
            Your bank account
          </h2>
          {account ? (
            <>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="current-bank-account">
                <dt className="text-zinc-600 dark:text-zinc-400">Holder</dt>
                <dd className="font-medium">{account.holderName}</dd>
                <dt className="text-zinc-600 dark:text-zinc-400">Bank</dt>
                <dd className="font-medium">{account.bankName ?? "Your bank"}</dd>
                <dt className="text-zinc-600 dark:text-zinc-400">Account</dt>
                <dd className="font-mono font-medium">
                  <span aria-hidden="true">•••• </span>
                  <span className="sr-only">ending </span>
                  {account.last4}
                </dd>
                <dt className="text-zinc-600 dark:text-zinc-400">Added</dt>
                <dd>
                  <LocalTime date={account.createdAt} options={dateOnly} />
                </dd>
              </dl>
              {reviewUntil && reviewUntil.getTime() > Date.now() ? (
                <Alert tone="info">
                  This account is new: withdrawals to it wait for a quick review until <LocalTime date={reviewUntil} />. After that they are
                  sent without waiting.
                </Alert>
              ) : null}
              <PayoutReadiness />
              {removeError ? <Alert>{removeError}</Alert> : null}
              {confirmingRemove ? (
                <div className="space-y-3 rounded-md border border-red-200 p-3 dark:border-red-900">
                  <p className="text-sm">
                    Remove the account ending {account.last4}? You will need to add one again before you can withdraw.
                  </p>
                  <div className="flex flex-wrap gap-2">
                    <Button variant="danger" onClick={onRemove} disabled={remove.isPending}>
                      {remove.isPending ? "Removing…" : "Remove it"}
                    </Button>
                    <Button variant="secondary" onClick={() => setConfirmingRemove(false)} disabled={remove.isPending}>
                      Keep it
                    </Button>
                  </div>
                </div>
              ) : (
                <Button variant="secondary" onClick={() => setConfirmingRemove(true)}>
                  Remove this account
                </Button>
              )}
            </>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              You have no bank account yet. Add one to withdraw money from your wallet.
            </p>
          )}
        </section>
      </Card>
      <Card>
        <BankAccountForm replacing={account?.last4 ?? null} simulated={data.simulated} onSaved={refresh} />
      </Card>
      {dialog}
    </div>
  );
}
