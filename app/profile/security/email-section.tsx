"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { requestEmailChangeInput } from "@/server/accounts/recovery-schemas";

function Badge({ verified }: { verified: boolean }) {
  return verified ? (
    <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
      Verified
    </span>
  ) : (
    <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-200">
      Not verified
    </span>
  );
}

/** The sign-in email: verified or not (with a new link), a pending change (with cancel) and the change form. */
export function EmailSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.account.emailStatus.queryOptions());
  const resend = useMutation(trpc.account.resendVerification.mutationOptions());
  const cancel = useMutation(trpc.account.cancelEmailChange.mutationOptions());
  const change = useMutation(trpc.account.requestEmailChange.mutationOptions());
  const [changing, setChanging] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.emailStatus.queryKey() });

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = requestEmailChangeInput.safeParse({ newEmail: form.get("newEmail"), password: form.get("password") });
    setFormError(null);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors({});
    try {
      const { pendingEmail } = await change.mutateAsync(parsed.data);
      toast.success(`We sent a link to ${pendingEmail}. Open it to finish the change.`);
      setChanging(false);
      await refresh();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(messageOf(error));
    }
  }

  return (
    <Card>
      <section aria-labelledby="email-heading" className="space-y-4">
        <h2 id="email-heading" className="text-lg font-semibold">
          Sign-in email
        </h2>
        {status.isPending ? <Spinner label="Loading your email…" /> : null}
        {status.isError ? <Alert>{messageOf(status.error)}</Alert> : null}
        {status.data ? (
          <>
            <div className="flex flex-wrap items-center gap-2">
              <span className="break-all font-medium" data-testid="current-email">
                {status.data.email}
              </span>
              <Badge verified={status.data.verified} />
            </div>
            {!status.data.verified ? (
              <Alert tone="info">
                <p>
                  Open the link we sent to {status.data.email} to verify it. Until then you can browse, chat and enter free events, but not
                  pay entry fees or top up your wallet.
                </p>
                <Button
                  type="button"
                  variant="secondary"
                  className="mt-3"
                  disabled={resend.isPending}
                  onClick={async () => {
                    try {
                      const { email } = await resend.mutateAsync();
                      toast.success(`We sent a new link to ${email}. It is valid for 48 hours.`);
                    } catch (error) {
                      toast.error(messageOf(error));
                    }
                  }}
                >
                  {resend.isPending ? "Sending…" : "Send the link again"}
                </Button>
              </Alert>
            ) : null}
            {status.data.pendingEmail ? (
              <Alert tone="info">
                <p>
                  Waiting for you to confirm <strong className="break-all">{status.data.pendingEmail}</strong>: open the link we sent there
                  {status.data.pendingExpiresAt ? ` before ${new Date(status.data.pendingExpiresAt).toLocaleString()}` : ""}. Until then you
                  keep signing in with {status.data.email}.
                </p>
                <Button
                  type="button"
                  variant="secondary"
                  className="mt-3"
                  disabled={cancel.isPending}
                  onClick={async () => {
                    try {
                      await cancel.mutateAsync();
                      toast.success("Email change cancelled.");
                      await refresh();
                    } catch (error) {
                      toast.error(messageOf(error));
                    }
                  }}
                >
                  {cancel.isPending ? "Cancelling…" : "Cancel the change"}
                </Button>
              </Alert>
            ) : null}
            {!status.data.hasPassword ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                To change your sign-in email you need a password first: your account signs in with Discord or Google.{" "}
                <Link href="/forgot-password" className="font-medium text-brand-700 underline dark:text-brand-300">
                  Set a password
                </Link>
                .
              </p>
            ) : changing ? (
              <form onSubmit={onSubmit} noValidate className="space-y-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
                {formError ? <Alert>{formError}</Alert> : null}
                <TextField
                  id="newEmail"
                  name="newEmail"
                  type="email"
                  label="New email"
                  autoComplete="email"
                  required
                  autoFocus
                  hint="We send a link there; nothing changes until you open it."
                  errors={fieldErrors.newEmail}
                />
                <TextField
                  id="email-password"
                  name="password"
                  type="password"
                  label="Current password"
                  autoComplete="current-password"
                  required
                  errors={fieldErrors.password}
                />
                <div className="flex flex-col gap-2 sm:flex-row">
                  <Button type="submit" disabled={change.isPending}>
                    {change.isPending ? "Sending the link…" : "Send confirmation link"}
                  </Button>
                  <Button
                    type="button"
                    variant="ghost"
                    onClick={() => {
                      setChanging(false);
                      setFieldErrors({});
                      setFormError(null);
                    }}
                  >
                    Keep my email
                  </Button>
                </div>
              </form>
            ) : (
              <Button type="button" variant="secondary" onClick={() => setChanging(true)}>
                Change email
              </Button>
            )}
          </>
        ) : null}
      </section>
    </Card>
  );
}
