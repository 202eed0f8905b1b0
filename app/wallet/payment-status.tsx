"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { paymentIdInput } from "@/server/wallet/schemas";
import { wasConfirmed } from "./confirmed-payments";
import { endAttempt } from "./topup-attempt";

// The webhook usually lands within a second or two; after this long something else is going on
// (often: the card was never entered), so stop asking every second and let the player decide.
const POLL_FOR_MS = 2 * 60 * 1000;

const linkClass = "font-semibold underline underline-offset-2";

/** Still on its way: pending, or accepted at the card step with our record not caught up yet. */
function isWaiting(status: string | undefined, paymentId: string) {
  return status === "pending" || (status === "failed" && wasConfirmed(paymentId));
}

/** The outcome of one top-up, for `/wallet?payment=<id>`. */
export function PaymentStatus({ paymentId }: { paymentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [gaveUp, setGaveUp] = useState(false);
  // A mangled link cannot name a payment; asking the server would only earn a 400.
  const wellFormed = paymentIdInput.safeParse({ paymentId }).success;
  const payment = useQuery(
    trpc.wallet.payment.queryOptions(
      { paymentId },
      { enabled: wellFormed, refetchInterval: (query) => (isWaiting(query.state.data?.status, paymentId) && !gaveUp ? 1000 : false) },
    ),
  );
  const status = payment.data?.status;

  useEffect(() => {
    if (!isWaiting(status, paymentId) || gaveUp) return;
    const timer = setTimeout(() => setGaveUp(true), POLL_FOR_MS);
    return () => clearTimeout(timer);
  }, [status, paymentId, gaveUp]);

  // Balances and history were read before the money arrived; refresh them once it has.
  const refreshedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!status || isWaiting(status, paymentId)) return;
    endAttempt(paymentId);
    if (status === "succeeded" && refreshedFor.current !== paymentId) {
      refreshedFor.current = paymentId;
      void queryClient.invalidateQueries({ queryKey: trpc.wallet.overview.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.wallet.history.infiniteQueryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.wallet.balanceSeries.queryKey() });
    }
  }, [status, paymentId, queryClient, trpc]);

  let body: React.ReactNode;
  if (!wellFormed) body = <Alert>We could not find that payment. Check the link, or find it in your history below.</Alert>;
  else if (payment.isPending) body = <Spinner label="Checking your payment…" />;
  else if (payment.isError) body = <Alert>{messageOf(payment.error)}</Alert>;
  else {
    const { amount, failureMessage } = payment.data;
    const money = formatMoney(amount);
    switch (isWaiting(payment.data.status, paymentId) ? "pending" : payment.data.status) {
      case "pending":
        body = (
          <div className="space-y-3">
            {gaveUp ? (
              <div className="space-y-2">
                <p role="status">Your bank has not confirmed {money} yet.</p>
                <Button
                  variant="secondary"
                  onClick={() => {
                    setGaveUp(false);
                    void payment.refetch();
                  }}
                >
                  Check again
                </Button>
              </div>
            ) : (
              <Spinner label={`Waiting for your bank to confirm ${money}…`} />
            )}
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Haven&apos;t entered your card yet?{" "}
              <Link href={`/wallet/pay/${paymentId}`} className={linkClass}>
                Continue to the card step
              </Link>
            </p>
          </div>
        );
        break;
      case "succeeded":
        body = <Alert tone="success">{money} was added to your wallet.</Alert>;
        break;
      case "failed":
        body = (
          <Alert>
            <p>{failureMessage ?? "Your payment did not go through."} No money was taken.</p>
            <p className="mt-2">
              <Link href={`/wallet/pay/${paymentId}`} className={linkClass}>
                Try again with another card
              </Link>
            </p>
          </Alert>
        );
        break;
      case "canceled":
        body = <Alert tone="info">This top-up of {money} was canceled. No money was taken.</Alert>;
        break;
    }
  }

  return (
    <Card className="mb-6">
      <div className="flex items-start justify-between gap-4">
        <h2 className="text-lg font-semibold">{payment.data ? `Your top-up of ${formatMoney(payment.data.amount)}` : "Your top-up"}</h2>
        <Link href="/wallet" scroll={false} className="text-sm text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
          Dismiss
        </Link>
      </div>
      <div className="mt-3">{body}</div>
    </Card>
  );
}
