"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import type { CheckoutView } from "./checkout-view";

/** The simulated 3-D Secure step: the cardholder approves or refuses at their bank. */
export function BankConfirmation({
  paymentId,
  amount,
  onAnswer,
}: {
  paymentId: string;
  amount: number;
  onAnswer: (view: CheckoutView) => void;
}) {
  const trpc = useTRPC();
  const heading = useRef<HTMLHeadingElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<boolean | null>(null);
  const complete = useMutation(trpc.payments.completeSimulatedAuthentication.mutationOptions());

  // The form just disappeared under the player's focus; put them where the question is.
  useEffect(() => heading.current?.focus(), []);

  async function answer(approve: boolean) {
    if (complete.isPending) return;
    setError(null);
    setChoice(approve);
    try {
      onAnswer(await complete.mutateAsync({ paymentId, approve }));
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <div className="space-y-4">
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold">
        Confirm with your bank
      </h2>
      <p>Your bank wants to confirm this payment of {formatMoney(amount)}.</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">In test mode, you play the part of the bank.</p>
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex flex-col gap-2 sm:flex-row">
        <Button onClick={() => void answer(true)} disabled={complete.isPending}>
          {complete.isPending && choice ? "Confirming…" : "Confirm payment"}
        </Button>
        <Button variant="secondary" onClick={() => void answer(false)} disabled={complete.isPending}>
          {complete.isPending && choice === false ? "Canceling…" : "Cancel"}
        </Button>
      </div>
    </div>
  );
}
