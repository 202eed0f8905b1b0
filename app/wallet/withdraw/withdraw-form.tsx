"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import Link from "next/link";
import { useRef, useState } from "react";
import { ConfirmationCancelled, useConfirmIdentity } from "@/app/_components/confirm-identity";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney, parseMoney } from "@/lib/money";
import { accountIsNew, amountSummary, arrivalWords, isSecondFactorRefusal } from "@/server/withdrawals/display";
import { requestWithdrawalInput, type RequestWithdrawalInput } from "@/server/withdrawals/schemas";
import { SecondFactorStep } from "./second-factor-step";
import type { PayoutAccount, WithdrawOverview } from "./types";

const amountOnly = requestWithdrawalInput.pick({ amount: true });

type SecondFactor = NonNullable<RequestWithdrawalInput["secondFactor"]>;

/** One attempt at a withdrawal: its key is reused for every retry of the same amount (confirmation, second factor, a lost answer). */
interface Attempt {
  amount: number;
  key: string;
}

export function WithdrawForm({ overview, account }: { overview: WithdrawOverview; account: PayoutAccount }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { rules, room, balances } = overview;
  const { withConfirmation, dialog } = useConfirmIdentity();
  const request = useMutation(trpc.withdrawals.request.mutationOptions());

  const [text, setText] = useState("");
  const [amountErrors, setAmountErrors] = useState<string[] | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The second-factor step: shown when the server asks for it, for the attempt in `attempt`.
  const [secondFactor, setSecondFactor] = useState<{ error: string | null } | null>(null);
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  // A second click can land before React re-renders the disabled button.
  const submitting = useRef(false);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  const typed = text.trim();
  const amount = typed ? parseMoney(typed) : null;
  const isNew = accountIsNew(account.createdAt, rules.newAccountReviewHours);
  const overBalance = amount !== null && amount > 0 && amount + rules.fee > balances.available;
  const bank = `${account.bankName ?? "Your bank account"} •••• ${account.last4}`;

  function changeAmount(value: string) {
    setText(value);
    setAmountErrors(undefined);
    setDone(null);
    // Another amount is another withdrawal: the second factor is asked again if it needs one.
    setSecondFactor(null);
  }

  async function submit(proof?: SecondFactor) {
    if (submitting.current) return;
    setFormError(null);
    setDone(null);
    if (amount === null) {
      setAmountErrors([typed ? "Enter an amount in dollars, like 50 or 50.00." : "Enter an amount."]);
      input.current?.focus();
      return;
    }
    const parsed = amountOnly.safeParse({ amount });
    if (!parsed.success) {
      setAmountErrors(zodFieldErrors(parsed.error).amount);
      input.current?.focus();
      return;
    }
    setAmountErrors(undefined);
    const current = attempt?.amount === amount ? attempt : { amount, key: crypto.randomUUID() };
    setAttempt(current);
    submitting.current = true;
    setBusy(true);
    try {
      const created = await withConfirmation(() =>
        request.mutateAsync({ amount: current.amount, idempotencyKey: current.key, ...(proof ? { secondFactor: proof } : {}) }),
      );
      setAttempt(null);
      setSecondFactor(null);
      setText("");
      setDone(
        created.status === "requested"
          ? `Requested: ${formatMoney(created.amount)} to ${bank}. It waits for a quick review before it is sent.`
          : `Requested: ${formatMoney(created.amount)} to ${bank}. It is on its way.`,
      );
      await Promise.all([
        queryClient.invalidateQueries(trpc.withdrawals.pathFilter()),
        queryClient.invalidateQueries(trpc.wallet.pathFilter()),
      ]);
    } catch (error) {
      if (error instanceof ConfirmationCancelled) return;
      if (isSecondFactorRefusal(error)) {
        setSecondFactor({ error: proof ? "That did not work: the code may be wrong or already used. Try again." : null });
        return;
      }
      // The key is tied to other details on the server; a fresh attempt is the way out.
      if (error instanceof TRPCClientError && error.data?.code === "CONFLICT") setAttempt(null);
      const fields = fieldErrorsOf(error);
      if (fields.amount) {
        setSecondFactor(null);
        setAmountErrors(fields.amount);
        input.current?.focus();
      } else if (proof) {
        // A code the input schema refuses comes back as a field error of secondFactor.
        setSecondFactor({ error: Object.values(fields)[0]?.[0] ?? messageOf(error) });
      } else {
        setFormError(messageOf(error));
      }
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,26rem)_minmax(0,1fr)] lg:items-start">
      <Card>
        <h2 className="text-lg font-semibold">New withdrawal</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          To <span className="font-medium text-zinc-900 dark:text-zinc-100">{bank}</span> ({account.holderName}).{" "}
          <Link href="/wallet/bank" className="font-medium underline underline-offset-2">
            Change
            <span className="sr-only"> bank account</span>
          </Link>
        </p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            // With the second-factor step open, its own form sends the request.
            if (!secondFactor) void submit();
          }}
          noValidate
          className="mt-4 space-y-4"
        >
          {formError ? <Alert>{formError}</Alert> : null}
          {done ? <Alert tone="success">{done}</Alert> : null}
          <TextField
            ref={input}
            id="withdraw-amount"
            name="amount"
            label="Amount to receive (dollars)"
            inputMode="decimal"
            autoComplete="off"
            placeholder="e.g. 50.00"
            value={text}
            onChange={(event) => changeAmount(event.target.value)}
            hint={`Between ${formatMoney(rules.min)} and ${formatMoney(rules.max)}. The fee of ${formatMoney(rules.fee)} comes on top.`}
            errors={amountErrors}
          />
          <p
            aria-live="polite"
            data-testid="withdraw-summary"
            className="rounded-md bg-zinc-100 px-3 py-2 text-sm tabular-nums text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"
          >
            {amount !== null && amount > 0
              ? amountSummary(amount, rules.fee)
              : "Enter an amount to see the fee and what leaves your wallet."}
          </p>
          {overBalance ? (
            <p className="text-sm font-medium text-amber-800 dark:text-amber-300">
              That is more than your available balance of {formatMoney(balances.available)} (the fee included).
            </p>
          ) : null}
          {secondFactor ? null : (
            <Button type="submit" className="w-full" disabled={busy}>
              {busy ? "Requesting…" : amount !== null && amount > 0 ? `Withdraw ${formatMoney(amount)}` : "Withdraw"}
            </Button>
          )}
        </form>
        {secondFactor ? (
          <SecondFactorStep
            busy={busy}
            error={secondFactor.error}
            onSubmit={(proof) => void submit(proof)}
            onCancel={() => setSecondFactor(null)}
          />
        ) : null}
        <p className="mt-4 text-xs text-zinc-600 dark:text-zinc-400">{arrivalWords(isNew)}</p>
        {dialog}
      </Card>

      <Card>
        <h2 className="text-lg font-semibold">What you can withdraw</h2>
        <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-3">
          <div>
            <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Available</dt>
            <dd className="mt-1 text-xl font-bold tabular-nums sm:text-2xl" data-testid="withdraw-available">
              {formatMoney(balances.available)}
            </dd>
          </div>
          <div>
            <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Left in the next 24 hours</dt>
            <dd className="mt-1 text-xl font-bold tabular-nums sm:text-2xl" data-testid="withdraw-daily-left">
              {formatMoney(room.dailyLeft)}
            </dd>
            <dd className="text-sm text-zinc-600 dark:text-zinc-400">of {formatMoney(rules.dailyLimit)}</dd>
          </div>
          <div className="col-span-2 sm:col-span-1">
            <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Requests you can still start</dt>
            <dd className="mt-1 text-xl font-bold tabular-nums sm:text-2xl" data-testid="withdraw-slots-left">
              {room.slotsLeft}
            </dd>
            <dd className="text-sm text-zinc-600 dark:text-zinc-400">at most {rules.maxPending} may wait to be sent at once</dd>
          </div>
        </dl>
        <h3 className="mt-6 text-sm font-semibold">The rules</h3>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>{rules.words}</li>
          <li>Over {formatMoney(rules.secondFactorOver)}, you also confirm with your authenticator app, a recovery code or a passkey.</li>
          <li>
            A bank account added in the last {rules.newAccountReviewHours} hours, or many requests in an hour, send a withdrawal to a quick
            review by Driftwood staff first. You can cancel a request until it is approved.
          </li>
          <li>
            Once sent, money usually arrives 1–3 business days later. If your bank returns it, the amount and the fee come back to your
            wallet.
          </li>
        </ul>
      </Card>
    </div>
  );
}
