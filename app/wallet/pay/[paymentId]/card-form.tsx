"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";
import { simulatedCardInput } from "@/server/wallet/schemas";
import { caretAfterDigits, digitsOnly, formatCardNumber, formatExpiry } from "./card-format";
import type { CheckoutView } from "./checkout-view";

function TestCards() {
  return (
    <div className="rounded-md border border-dashed border-zinc-300 px-4 py-3 text-sm text-zinc-700 dark:border-zinc-700 dark:text-zinc-300">
      <p>This is test mode: no real card is charged. Use any future expiry date and any 3-digit CVC.</p>
      <ul className="mt-2 space-y-1">
        <li>
          <span className="font-mono tabular-nums">4242 4242 4242 4242</span> succeeds
        </li>
        <li>
          <span className="font-mono tabular-nums">4000 0000 0000 0002</span> is declined
        </li>
        <li>
          <span className="font-mono tabular-nums">4000 0025 0000 3155</span> asks your bank to confirm
        </li>
      </ul>
    </div>
  );
}

export interface CardValues {
  cardNumber: string;
  expiry: string;
  cvc: string;
  name: string;
}

export const emptyCard: CardValues = { cardNumber: "", expiry: "", cvc: "", name: "" };

export function CardForm({
  paymentId,
  amount,
  declined,
  values,
  onValues,
  onAnswer,
}: {
  paymentId: string;
  amount: number;
  /** Why the last card did not work, if one did not. */
  declined: string | null;
  /** Kept by the checkout, so the details survive a trip through the bank step. */
  values: CardValues;
  onValues: (update: (values: CardValues) => CardValues) => void;
  onAnswer: (view: CheckoutView) => void;
}) {
  const trpc = useTRPC();
  const { cardNumber, expiry, cvc, name } = values;
  const set = (field: keyof CardValues, value: string) => onValues((current) => ({ ...current, [field]: value }));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const cardInput = useRef<HTMLInputElement>(null);
  const caret = useRef<number | null>(null);
  // Blocks a second submit that arrives before the button re-renders as disabled.
  const submitting = useRef(false);
  const confirm = useMutation(trpc.payments.confirmSimulatedCard.mutationOptions());

  // biome-ignore lint/correctness/useExhaustiveDependencies: puts the caret back after the reformatted card number renders, so it runs on each new number
  useEffect(() => {
    if (caret.current !== null && cardInput.current === document.activeElement) {
      cardInput.current?.setSelectionRange(caret.current, caret.current);
    }
    caret.current = null;
  }, [cardNumber]);

  function clearError(field: string) {
    setFieldErrors((current) => (current[field] ? { ...current, [field]: [] } : current));
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting.current) return;
    setFormError(null);
    const input = { paymentId, cardNumber, expiry, cvc, name };
    const parsed = simulatedCardInput.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors({});
    submitting.current = true;
    try {
      const answer = await confirm.mutateAsync(input);
      if (answer.intentStatus === "requires_payment_method" && answer.error) {
        // Most people fix a declined payment by typing a different card number.
        set("cvc", "");
        cardInput.current?.focus();
        cardInput.current?.select();
      }
      onAnswer(answer);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
    } finally {
      submitting.current = false;
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <div>
        <h2 className="text-lg font-semibold">Card details — test mode</h2>
        <div className="mt-3">
          <TestCards />
        </div>
      </div>
      {declined ? (
        <Alert>
          <p className="font-semibold">{declined}</p>
          <p className="mt-1">No money was taken. Try another card.</p>
        </Alert>
      ) : null}
      {formError ? <Alert>{formError}</Alert> : null}
      <TextField
        ref={cardInput}
        id="card-number"
        name="cardnumber"
        label="Card number"
        inputMode="numeric"
        autoComplete="cc-number"
        placeholder="1234 1234 1234 1234"
        value={cardNumber}
        onChange={(event) => {
          const input = event.target;
          const digitsBeforeCaret = input.value.slice(0, input.selectionStart ?? input.value.length).replace(/\D/g, "").length;
          const formatted = formatCardNumber(input.value);
          caret.current = caretAfterDigits(formatted, digitsBeforeCaret);
          set("cardNumber", formatted);
          clearError("cardNumber");
        }}
        errors={fieldErrors.cardNumber}
      />
      <div className="grid grid-cols-2 gap-4">
        <TextField
          id="card-expiry"
          name="exp-date"
          label="Expiry (MM/YY)"
          inputMode="numeric"
          autoComplete="cc-exp"
          placeholder="MM/YY"
          value={expiry}
          onChange={(event) => {
            set("expiry", formatExpiry(event.target.value));
            clearError("expiry");
          }}
          errors={fieldErrors.expiry}
        />
        <TextField
          id="card-cvc"
          name="cvc"
          label="CVC"
          inputMode="numeric"
          autoComplete="cc-csc"
          placeholder="123"
          value={cvc}
          onChange={(event) => {
            set("cvc", digitsOnly(event.target.value, 4));
            clearError("cvc");
          }}
          errors={fieldErrors.cvc}
        />
      </div>
      <TextField
        id="card-name"
        name="ccname"
        label="Name on card"
        autoComplete="cc-name"
        value={name}
        maxLength={100}
        onChange={(event) => {
          set("name", event.target.value);
          clearError("name");
        }}
        errors={fieldErrors.name}
      />
      {fieldErrors.paymentId || fieldErrors._form ? (
        <Alert>{[...(fieldErrors.paymentId ?? []), ...(fieldErrors._form ?? [])].join(" ")}</Alert>
      ) : null}
      <Button type="submit" className="w-full" disabled={confirm.isPending}>
        {confirm.isPending ? "Paying…" : `Pay ${formatMoney(amount)}`}
      </Button>
    </form>
  );
}
