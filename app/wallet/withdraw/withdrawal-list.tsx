"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import { useState } from "react";
import { Dialog } from "@/app/_components/chat/dialog";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, EmptyState } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import {
  isOnTheWay,
  nextWords,
  outcomeWords,
  type StatusTone,
  type StepState,
  statusLabel,
  statusTone,
  timelineSteps,
} from "@/server/withdrawals/display";
import { LocalTime } from "../local-time";
import type { Withdrawal } from "./types";

const toneClass: Record<StatusTone, string> = {
  waiting: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100",
  moving: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-100",
  done: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-100",
  returned: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-100",
  closed: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

const stepWords: Record<StepState, string> = { done: "done", current: "next", upcoming: "to come", ended: "ended" };

function StepDot({ state }: { state: StepState }) {
  if (state === "done") {
    return (
      <span className="flex size-5 shrink-0 items-center justify-center rounded-full bg-brand-500 text-zinc-950">
        <Check aria-hidden className="size-3.5" strokeWidth={3} />
      </span>
    );
  }
  if (state === "ended") {
    return (
      <span className="flex size-5 shrink-0 items-center justify-center rounded-full bg-zinc-700 text-white dark:bg-zinc-300 dark:text-zinc-950">
        <X aria-hidden className="size-3.5" strokeWidth={3} />
      </span>
    );
  }
  return (
    <span
      className={`size-5 shrink-0 rounded-full border-2 ${
        state === "current" ? "border-brand-500 bg-brand-50 dark:bg-brand-800/40" : "border-zinc-300 dark:border-zinc-600"
      }`}
    />
  );
}

function Timeline({ withdrawal }: { withdrawal: Withdrawal }) {
  const steps = timelineSteps(withdrawal);
  return (
    <ol aria-label="Progress" className="grid gap-3 sm:auto-cols-fr sm:grid-flow-col sm:gap-2">
      {steps.map((step) => (
        <li key={step.id} className="flex items-start gap-2 sm:flex-col sm:gap-1.5">
          <StepDot state={step.state} />
          <div className="min-w-0 text-sm">
            <p className={step.state === "upcoming" ? "text-zinc-600 dark:text-zinc-400" : "font-medium"}>
              {step.label}
              <span className="sr-only"> ({stepWords[step.state]})</span>
            </p>
            {step.at ? (
              <p className="text-xs text-zinc-600 dark:text-zinc-400">
                <LocalTime date={step.at} />
              </p>
            ) : step.state === "current" && step.id === "approved" ? (
              <p className="text-xs text-zinc-600 dark:text-zinc-400">Waiting for review</p>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

function WithdrawalItem({ withdrawal, onCancel }: { withdrawal: Withdrawal; onCancel: (withdrawal: Withdrawal) => void }) {
  const money = formatMoney(withdrawal.amount);
  const words = outcomeWords(withdrawal) ?? nextWords(withdrawal.status);
  return (
    <li className="space-y-4 py-5 first:pt-0 last:pb-0" data-testid="withdrawal">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2">
            <span className="text-xl font-bold tabular-nums">{money}</span>
            <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${toneClass[statusTone[withdrawal.status]]}`}>
              {statusLabel[withdrawal.status]}
            </span>
          </p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            To {withdrawal.bank.bankName ?? "your bank account"} •••• {withdrawal.bank.last4} · fee {formatMoney(withdrawal.fee)} ·{" "}
            {formatMoney(withdrawal.amount + withdrawal.fee)} from your wallet
          </p>
        </div>
        {withdrawal.status === "requested" ? (
          <Button type="button" variant="secondary" className="px-3 py-1.5" onClick={() => onCancel(withdrawal)}>
            Cancel<span className="sr-only"> the withdrawal of {money}</span>
          </Button>
        ) : null}
      </div>
      <Timeline withdrawal={withdrawal} />
      {words ? <p className="text-sm text-zinc-700 dark:text-zinc-300">{words}</p> : null}
    </li>
  );
}

/** The player's withdrawals: those on their way first, then the past ones, each with its timeline. */
export function WithdrawalList({ withdrawals }: { withdrawals: Withdrawal[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState<Withdrawal | null>(null);
  const cancel = useMutation(trpc.withdrawals.cancel.mutationOptions());

  const onTheWay = withdrawals.filter((w) => isOnTheWay(w.status));
  const past = withdrawals.filter((w) => !isOnTheWay(w.status));

  function close() {
    if (cancel.isPending) return;
    cancel.reset();
    setCancelling(null);
  }

  async function confirmCancel() {
    if (!cancelling) return;
    try {
      await cancel.mutateAsync({ withdrawalId: cancelling.id });
      await Promise.all([
        queryClient.invalidateQueries(trpc.withdrawals.pathFilter()),
        queryClient.invalidateQueries(trpc.wallet.pathFilter()),
      ]);
      cancel.reset();
      setCancelling(null);
    } catch {
      // Shown in the dialog from cancel.error.
    }
  }

  if (withdrawals.length === 0) {
    return (
      <section aria-labelledby="withdrawals-heading" className="space-y-4">
        <h2 id="withdrawals-heading" className="text-xl font-semibold">
          Your withdrawals
        </h2>
        <EmptyState title="No withdrawals yet.">Money you withdraw shows here, with each step until it reaches your bank.</EmptyState>
      </section>
    );
  }

  return (
    <section aria-labelledby="withdrawals-heading" className="space-y-6">
      <h2 id="withdrawals-heading" className="text-xl font-semibold">
        Your withdrawals
      </h2>
      {onTheWay.length > 0 ? (
        <Card>
          <h3 className="mb-4 text-lg font-semibold">On their way</h3>
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {onTheWay.map((w) => (
              <WithdrawalItem key={w.id} withdrawal={w} onCancel={setCancelling} />
            ))}
          </ul>
        </Card>
      ) : null}
      {past.length > 0 ? (
        <Card>
          <h3 className="mb-4 text-lg font-semibold">Past withdrawals</h3>
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {past.map((w) => (
              <WithdrawalItem key={w.id} withdrawal={w} onCancel={setCancelling} />
            ))}
          </ul>
        </Card>
      ) : null}

      <Dialog
        open={cancelling !== null}
        onClose={close}
        title="Cancel this withdrawal?"
        description={
          cancelling
            ? `${formatMoney(cancelling.amount + cancelling.fee)} (the amount and the fee) goes back to your available balance.`
            : undefined
        }
      >
        {cancel.error ? (
          <div className="mb-3">
            <Alert>{messageOf(cancel.error)}</Alert>
          </div>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="ghost" data-autofocus="" disabled={cancel.isPending} onClick={close}>
            Keep it
          </Button>
          <Button type="button" variant="danger" onClick={() => void confirmCancel()} disabled={cancel.isPending}>
            {cancel.isPending ? "Cancelling…" : "Cancel withdrawal"}
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
