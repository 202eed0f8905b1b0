"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { renewSession } from "@/app/_components/renew-session";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { changePasswordInput } from "@/server/accounts/recovery-schemas";

/** Changing the password: the current one, the new one twice; every other device is signed out. */
export function PasswordSection() {
  const trpc = useTRPC();
  const router = useRouter();
  const status = useQuery(trpc.account.emailStatus.queryOptions());
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  const formRef = useRef<HTMLFormElement>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = changePasswordInput.safeParse({ currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") });
    setFormError(null);
    setDone(false);
    const problems = parsed.success ? {} : zodFieldErrors(parsed.error);
    if (!problems.newPassword && form.get("newPassword") !== form.get("confirmPassword")) {
      problems.confirmPassword = ["The two new passwords are not the same."];
    }
    setFieldErrors(problems);
    if (!parsed.success || Object.keys(problems).length > 0) return;
    try {
      const { renew } = await change.mutateAsync(parsed.data);
      // The change ended every session; the ticket keeps this one.
      if (renew) await renewSession(renew);
      formRef.current?.reset();
      setDone(true);
      router.refresh();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
    }
  }

  return (
    <Card>
      <section aria-labelledby="password-heading" className="space-y-4">
        <div>
          <h2 id="password-heading" className="text-lg font-semibold">
            Password
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Changing it signs out every other device signed in to your account.</p>
        </div>
        {status.isPending ? <Spinner label="Loading…" /> : null}
        {status.data && !status.data.hasPassword ? (
          <Alert tone="info">
            Your account has no password: you sign in with Discord or Google. To add one, use{" "}
            <Link href="/forgot-password" className="font-medium underline">
              Forgot password
            </Link>{" "}
            and we will email you a link to set it.
          </Alert>
        ) : null}
        {status.data?.hasPassword ? (
          <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4">
            {formError ? <Alert>{formError}</Alert> : null}
            {done ? <Alert tone="success">Your password was changed. Your other devices were signed out.</Alert> : null}
            <TextField
              id="currentPassword"
              name="currentPassword"
              type="password"
              label="Current password"
              autoComplete="current-password"
              required
              errors={fieldErrors.currentPassword}
              hint={
                <>
                  Forgot it?{" "}
                  <Link href="/forgot-password" className="underline">
                    Reset it by email
                  </Link>
                  .
                </>
              }
            />
            <TextField
              id="newPassword"
              name="newPassword"
              type="password"
              label="New password"
              autoComplete="new-password"
              required
              hint="At least 8 characters."
              errors={fieldErrors.newPassword}
            />
            <TextField
              id="confirmPassword"
              name="confirmPassword"
              type="password"
              label="New password, again"
              autoComplete="new-password"
              required
              errors={fieldErrors.confirmPassword}
            />
            <Button type="submit" disabled={change.isPending}>
              {change.isPending ? "Changing…" : "Change password"}
            </Button>
          </form>
        ) : null}
      </section>
    </Card>
  );
}
