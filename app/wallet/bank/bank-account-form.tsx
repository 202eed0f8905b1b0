"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { ChoiceChips } from "@/app/_components/choice-chips";
import { ConfirmationCancelled, useConfirmIdentity } from "@/app/_components/confirm-identity";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LOCAL_ACCOUNT_COUNTRIES, saveBankAccountInput } from "@/server/withdrawals/bank-schemas";

type Kind = "iban" | "local";
const kinds: Record<Kind, string> = { iban: "IBAN", local: "Account number" };

/**
 * Adds or replaces the bank account. One idempotency key per attempt: a retry (or the
 * "Confirm it is you" round trip) sends the same key, and any change to the form starts a new one.
 */
export function BankAccountForm({
  replacing,
  simulated,
  onSaved,
}: {
  replacing: string | null;
  simulated: boolean;
  onSaved: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const save = useMutation(trpc.withdrawals.saveBankAccount.mutationOptions());
  const { withConfirmation, dialog } = useConfirmIdentity();
  const [kind, setKind] = useState<Kind>("iban");
  const [country, setCountry] = useState("US");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const attempt = useRef<string | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const changed = () => {
    attempt.current = null;
  };

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "");
    const account =
      kind === "iban"
        ? { kind, holderName: text("holderName"), iban: text("iban") }
        : {
            kind,
            holderName: text("holderName"),
            country,
            accountNumber: text("accountNumber"),
            routingNumber: text("routingNumber") || undefined,
          };
    attempt.current ??= crypto.randomUUID();
    const input = { account, idempotencyKey: attempt.current };
    const parsed = saveBankAccountInput.safeParse(input);
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error));
      return;
    }
    setErrors({});
    try {
      const saved = await withConfirmation(() => save.mutateAsync(parsed.data));
      attempt.current = null;
      form.current?.reset();
      toast.success(`Bank account ending ${saved.last4} saved`);
      await onSaved();
    } catch (error) {
      if (error instanceof ConfirmationCancelled) return;
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setErrors(fields);
      else setFormError(messageOf(error));
    }
  }

  const us = kind === "local" && country === "US";
  return (
    <section aria-labelledby="bank-form-title" className="space-y-4">
      <div>
        <h2 id="bank-form-title" className="text-lg font-semibold">
          {replacing ? "Replace your bank account" : "Add a bank account"}
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {replacing ? `The account ending ${replacing} stops receiving new withdrawals. ` : ""}
          Withdrawals to a new account wait for a quick review during its first day. We will ask you to confirm it is you.
        </p>
      </div>
      {simulated ? (
        <Alert tone="info">
          <span className="font-medium">Test payments are on.</span> Use IBAN <code>DE89370400440532013000</code> (payouts succeed) or{" "}
          <code>DE62370400440532013001</code> (payouts fail), or US routing <code>110000000</code> with account <code>000123456789</code>{" "}
          (succeed) or <code>000111111116</code> (fail).
        </Alert>
      ) : null}
      {formError ? <Alert>{formError}</Alert> : null}
      <form ref={form} onSubmit={onSubmit} onChange={changed} noValidate className="space-y-4">
        <ChoiceChips
          name="kind"
          legend="Kind of account"
          options={kinds}
          value={kind}
          onChange={(value) => {
            changed();
            setErrors({});
            setKind(value);
          }}
        />
        <TextField
          id="bank-holder"
          name="holderName"
          label="Account holder's name"
          autoComplete="name"
          maxLength={70}
          required
          errors={errors["account.holderName"]}
          hint="As your bank has it: letters and spaces (an apostrophe or hyphen inside a name is fine)."
        />
        {kind === "iban" ? (
          <TextField
            id="bank-iban"
            name="iban"
            label="IBAN"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="characters"
            maxLength={64}
            required
            errors={errors["account.iban"]}
            hint="Banks in the SEPA area (the EU, the UK, Switzerland, Norway…). Spaces are fine."
          />
        ) : (
          <>
            <SelectField
              id="bank-country"
              name="country"
              label="Bank's country"
              value={country}
              onChange={(event) => setCountry(event.target.value)}
              errors={errors["account.country"]}
            >
              {LOCAL_ACCOUNT_COUNTRIES.map((option) => (
                <option key={option.code} value={option.code}>
                  {option.name}
                </option>
              ))}
            </SelectField>
            <TextField
              id="bank-routing"
              name="routingNumber"
              label={us ? "Routing number" : "Bank code (if your bank gave you one)"}
              inputMode={us ? "numeric" : "text"}
              autoComplete="off"
              maxLength={64}
              required={us}
              errors={errors["account.routingNumber"]}
              hint={us ? "9 digits, printed at the bottom left of a cheque." : undefined}
            />
            <TextField
              id="bank-account-number"
              name="accountNumber"
              label="Account number"
              inputMode={us ? "numeric" : "text"}
              autoComplete="off"
              maxLength={64}
              required
              errors={errors["account.accountNumber"]}
              hint={us ? "4 to 17 digits." : "4 to 34 letters and digits."}
            />
          </>
        )}
        {errors._form ? <Alert>{errors._form.join(" ")}</Alert> : null}
        <Button type="submit" disabled={save.isPending} aria-busy={save.isPending || undefined}>
          {save.isPending ? "Saving…" : replacing ? "Replace bank account" : "Save bank account"}
        </Button>
      </form>
      {dialog}
    </section>
  );
}
