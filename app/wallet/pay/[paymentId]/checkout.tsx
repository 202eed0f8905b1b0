"use client";

import type { CheckoutView } from "./checkout-view";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, LinkButton, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { markConfirmed } from "@/app/wallet/confirmed-payments";
import { endAttempt } from "@/app/wallet/topup-attempt";
import { BankConfirmation } from "./bank-confirmation";
import { CardForm, emptyCard, type CardValues } from "./card-form";
import { BackToEvent, EntryContext, useSeatTimer } from "./entry-context";

export function Checkout({ paymentId }: { paymentId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const checkout = useQuery(trpc.payments.simulatedCheckout.queryOptions({ paymentId }, { refetchOnWindowFocus: false }));
  // What the last card or bank answer said; it is newer than the page's first read.
  const [answer, setAnswer] = useState<CheckoutView | null>(null);
  const [leaving, setLeaving] = useState(false);
  const [card, setCard] = useState<CardValues>(emptyCard);
  const seconds = useSeatTimer(answer?.context ?? checkout.data?.context ?? null);

  if (checkout.isPending) return <Spinner label="Loading your payment…" />;
  if (checkout.isError) {
    return (
      <div className="space-y-4">
        <Alert>{messageOf(checkout.error)}</Alert>
        <Button variant="secondary" onClick={() => void checkout.refetch()}>
          Try again
        </Button>
      </div>
    );
  }

  const view = answer ?? checkout.data;
  const money = formatMoney(view.amount);
  const paid = view.paymentStatus === "succeeded" || view.intentStatus === "succeeded";
  // The seat's time ran out: the card would pay for an entry that has ended, so it is not asked.
  const timedOut = seconds === 0 && !paid;

  function onAnswer(next: CheckoutView) {
    setAnswer(next);
    if (next.intentStatus === "succeeded") {
      markConfirmed(paymentId);
      endAttempt(paymentId);
      setLeaving(true);
      router.push(next.returnTo);
    } else if (next.intentStatus === "requires_payment_method" && next.error) {
      // This attempt is over; a new top-up from the wallet starts fresh, while this page can still
      // take another card for the same payment.
      endAttempt(paymentId);
    }
  }

  let step: React.ReactNode;
  if (leaving) {
    step = <Spinner label={`Payment accepted. Taking you back to ${view.returnLabel}…`} />;
  } else if (view.paymentStatus === "succeeded" || view.intentStatus === "succeeded") {
    step = (
      <div className="space-y-4">
        <Alert tone="success">
          This payment of {money} is complete{view.purpose === "wallet_topup" ? ": the money is in your wallet (or on its way there)" : ""}.
        </Alert>
        <LinkButton href={view.returnTo}>Back to {view.returnLabel}</LinkButton>
      </div>
    );
  } else if (view.paymentStatus === "canceled" || view.intentStatus === "canceled") {
    step = (
      <div className="space-y-4">
        <Alert tone="info">This payment was canceled. No money was taken.</Alert>
        <LinkButton href={view.purpose === "registration" ? view.returnTo : "/wallet"}>
          {view.purpose === "registration" ? "Back to the event" : "Start a new top-up"}
        </LinkButton>
      </div>
    );
  } else if (timedOut && view.context) {
    step = <LinkButton href={view.context.path}>Back to the event</LinkButton>;
  } else if (view.intentStatus === "requires_action") {
    step = <BankConfirmation paymentId={paymentId} amount={view.amount} onAnswer={onAnswer} />;
  } else {
    step = (
      <CardForm paymentId={paymentId} amount={view.amount} declined={view.error} values={card} onValues={setCard} onAnswer={onAnswer} />
    );
  }

  return (
    <>
      <div className="mb-6">
        <p className="text-sm font-medium text-zinc-600 dark:text-zinc-400">
          {view.purpose === "registration" ? (view.context ? "Card part of your entry fee" : "Entry fee") : "Wallet top-up"}
        </p>
        <h1 className="mt-1 text-4xl font-bold tabular-nums tracking-tight">
          <span className="sr-only">Pay </span>
          {money}
        </h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {view.purpose === "registration"
            ? "Your entry is confirmed once your bank confirms."
            : "Added to your Driftwood wallet once your bank confirms."}
        </p>
      </div>
      {view.context ? <EntryContext context={view.context} seconds={seconds} paid={paid} /> : null}
      <Card>{step}</Card>
      {view.context && !paid ? <BackToEvent context={view.context} seconds={seconds} /> : null}
    </>
  );
}
