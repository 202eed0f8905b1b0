"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { requestPasswordResetInput } from "@/server/accounts/recovery-schemas";

export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.account.requestPasswordReset.mutationOptions());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = requestPasswordResetInput.safeParse({ email: new FormData(event.currentTarget).get("email") });
    setFormError(null);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors({});
    try {
      setSent((await request.mutateAsync(parsed.data)).message);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
    }
  }

  if (sent) {
    return (
      <div className="mt-6 space-y-4">
        <Alert tone="success">{sent}</Alert>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Nothing arrived after a few minutes? Check your spam folder, or{" "}
          <button type="button" className="font-medium text-brand-700 underline dark:text-brand-300" onClick={() => setSent(null)}>
            try another address
          </button>
          .
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      {formError ? <Alert>{formError}</Alert> : null}
      <TextField id="email" name="email" type="email" label="Email" autoComplete="email" required autoFocus errors={fieldErrors.email} />
      <Button type="submit" className="w-full" disabled={request.isPending}>
        {request.isPending ? "Sending…" : "Send me a link"}
      </Button>
    </form>
  );
}
