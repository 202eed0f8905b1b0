"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney, parseMoney } from "@/lib/money";
import { TOPUP_MAX, TOPUP_MIN, TOPUP_PRESETS, topUpInput } from "@/server/wallet/schemas";
import { attemptFor, endAttempt, rememberPayment } from "./topup-attempt";

const amountOnly = topUpInput.pick({ amount: true });

export function AddFunds() {
  const trpc = useTRPC();
  const router = useRouter();
  const [preset, setPreset] = useState<number | null>(null);
  const [other, setOther] = useState("");
  const [amountErrors, setAmountErrors] = useState<string[] | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  // A second click can land before React re-renders the disabled button.
  const submitting = useRef(false);
  const start = useMutation(trpc.wallet.startTopUp.mutationOptions());

  const typed = other.trim();
  const amount = typed ? parseMoney(typed) : preset;
  const busy = start.isPending || leaving;

  function choosePreset(value: number) {
    setPreset(value);
    setOther("");
    setAmountErrors(undefined);
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting.current) return;
    setFormError(null);
    if (amount === null) {
      setAmountErrors([typed ? "Enter an amount in dollars, like 25 or 25.50." : "Choose an amount or enter another amount."]);
      return;
    }
    const parsed = amountOnly.safeParse({ amount });
    if (!parsed.success) {
      setAmountErrors(zodFieldErrors(parsed.error).amount);
      return;
    }
    setAmountErrors(undefined);
    submitting.current = true;
    const attempt = attemptFor(amount);
    try {
      const payment = await start.mutateAsync({ amount, idempotencyKey: attempt.key });
      rememberPayment(attempt, payment.id);
      setLeaving(true);
      router.push(`/wallet/pay/${payment.id}`);
    } catch (error) {
      // The key is tied to other details on the server; a fresh attempt is the way out.
      if (error instanceof TRPCClientError && error.data?.code === "CONFLICT") endAttempt();
      const fields = fieldErrorsOf(error);
      if (fields.amount) setAmountErrors(fields.amount);
      else setFormError(messageOf(error));
    } finally {
      submitting.current = false;
    }
  }

  return (
    <Card>
      <h2 className="text-lg font-semibold">Add funds</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Pay by card. The money is in your wallet as soon as your bank confirms.
      </p>
      <form onSubmit={onSubmit} noValidate className="mt-4 space-y-4">
        {formError ? <Alert>{formError}</Alert> : null}
        <fieldset>
          <legend className="text-sm font-medium">Amount</legend>
          <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-2">
            {TOPUP_PRESETS.map((value) => {
              const selected = !typed && preset === value;
              return (
                <button
                  key={value}
                  type="button"
                  aria-pressed={selected}
                  onClick={() => choosePreset(value)}
                  className={`rounded-md border px-3 py-2 text-sm font-semibold tabular-nums transition-colors ${
                    selected
                      ? "border-brand-500 bg-brand-50 text-brand-800 ring-1 ring-brand-500 dark:bg-brand-800/30 dark:text-brand-100"
                      : "border-zinc-300 bg-white hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
                  }`}
                >
                  {formatMoney(value)}
                </button>
              );
            })}
          </div>
        </fieldset>
        <TextField
          id="topup-other"
          name="other"
          label="Other amount (dollars)"
          inputMode="decimal"
          autoComplete="off"
          placeholder="e.g. 25.00"
          value={other}
          onChange={(event) => {
            setOther(event.target.value);
            setAmountErrors(undefined);
          }}
          hint={`Between ${formatMoney(TOPUP_MIN)} and ${formatMoney(TOPUP_MAX)}.`}
          errors={amountErrors}
        />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Starting…" : amount !== null && amount > 0 ? `Add ${formatMoney(amount)}` : "Add funds"}
        </Button>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">You enter your card on the next step. Nothing is charged until then.</p>
      </form>
    </Card>
  );
}
