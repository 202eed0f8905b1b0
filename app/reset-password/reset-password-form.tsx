"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, LinkButton } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { resetPasswordInput } from "@/server/accounts/recovery-schemas";

const NO_TOKEN = "This page needs the link from your email. Open the link again, or ask for a new one.";

/** A link that cannot be used (wrong, expired, used), said in words, with the way to a new one. */
function LinkProblem({ message }: { message: string }) {
  return (
    <div className="mt-6 space-y-4">
      <Alert>{message}</Alert>
      <LinkButton href="/forgot-password" className="w-full">
        Ask for a new link
      </LinkButton>
    </div>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const reset = useMutation(trpc.account.resetPassword.mutationOptions());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [linkError, setLinkError] = useState<string | null>(token ? null : NO_TOKEN);
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = resetPasswordInput.safeParse({ token, password: form.get("password") });
    setFormError(null);
    const problems = parsed.success ? {} : zodFieldErrors(parsed.error);
    if (!problems.password && form.get("password") !== form.get("confirm")) problems.confirm = ["The two passwords are not the same."];
    if (problems.token) {
      setLinkError(problems.token.join(" "));
      return;
    }
    setFieldErrors(problems);
    if (!parsed.success || Object.keys(problems).length > 0) return;
    try {
      setDone((await reset.mutateAsync(parsed.data)).email);
      // Every session ended, this browser's too: the header should say so.
      router.refresh();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields.token) setLinkError(fields.token.join(" "));
      else if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
    }
  }

  if (linkError) return <LinkProblem message={linkError} />;
  if (done) {
    return (
      <div className="mt-6 space-y-4">
        <Alert tone="success">Your password was changed and every device was signed out. Sign in as {done} with your new password.</Alert>
        <LinkButton href="/sign-in" className="w-full">
          Sign in
        </LinkButton>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      {formError ? <Alert>{formError}</Alert> : null}
      <TextField
        id="password"
        name="password"
        type="password"
        label="New password"
        autoComplete="new-password"
        required
        autoFocus
        hint="At least 8 characters."
        errors={fieldErrors.password}
      />
      <TextField
        id="confirm"
        name="confirm"
        type="password"
        label="New password, again"
        autoComplete="new-password"
        required
        errors={fieldErrors.confirm}
      />
      <Button type="submit" className="w-full" disabled={reset.isPending}>
        {reset.isPending ? "Saving…" : "Save new password"}
      </Button>
    </form>
  );
}
