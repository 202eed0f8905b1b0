"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, LinkButton } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { LocalTime } from "./local-time";

/**
 * Top-ups started but not finished, so a player who left the card step can pick it up again, or
 * cancel it. A cancel that finds the card already charged says the money is in the wallet.
 */
export function PendingTopUps({ exceptPaymentId, className = "" }: { exceptPaymentId?: string; className?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.wallet.overview.queryOptions());
  const [answer, setAnswer] = useState<{ tone: "info" | "success" | "error"; text: string } | null>(null);
  const cancel = useMutation(
    trpc.wallet.cancelTopUp.mutationOptions({
      onSuccess: (result) => {
        setAnswer({ tone: result.status === "succeeded" ? "success" : "info", text: result.message });
        void queryClient.invalidateQueries({ queryKey: trpc.wallet.overview.queryKey() });
        if (result.status === "succeeded") {
          void queryClient.invalidateQueries({ queryKey: trpc.wallet.history.infiniteQueryKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.wallet.balanceSeries.queryKey() });
        }
      },
      onError: (error) => setAnswer({ tone: "error", text: messageOf(error) }),
    }),
  );
  const open = data.pendingTopUps.filter((payment) => payment.id !== exceptPaymentId);
  if (open.length === 0 && !answer) return null;
  return (
    <Card className={className}>
      <h2 className="text-lg font-semibold">Unfinished top-ups</h2>
      {open.length > 0 ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Nothing has been charged for these yet.</p> : null}
      {answer ? (
        <div className="mt-3">
          <Alert tone={answer.tone}>{answer.text}</Alert>
        </div>
      ) : null}
      {open.length > 0 ? (
        <ul className="mt-4 divide-y divide-zinc-200 dark:divide-zinc-800">
          {open.map((payment) => {
            const money = formatMoney(payment.amount);
            const declined = payment.status === "failed";
            const cancelling = cancel.isPending && cancel.variables?.paymentId === payment.id;
            return (
              <li key={payment.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div className="min-w-0">
                  <p className="font-semibold tabular-nums">{money}</p>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    Started <LocalTime date={payment.createdAt} />
                    {declined ? ` · ${payment.failureMessage ?? "The card was declined."}` : ""}
                  </p>
                </div>
                <div className="flex flex-wrap gap-2">
                  <LinkButton variant="secondary" href={`/wallet/pay/${payment.id}`} className="px-3 py-1.5">
                    {declined ? "Try again" : "Continue"}
                    <span className="sr-only"> the top-up of {money}</span>
                  </LinkButton>
                  <Button
                    type="button"
                    variant="ghost"
                    className="px-3 py-1.5"
                    disabled={cancel.isPending}
                    onClick={() => {
                      setAnswer(null);
                      cancel.mutate({ paymentId: payment.id });
                    }}
                  >
                    {cancelling ? "Cancelling…" : "Cancel"}
                    <span className="sr-only"> the top-up of {money}</span>
                  </Button>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
    </Card>
  );
}
