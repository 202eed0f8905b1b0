"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { renewSession } from "@/app/_components/renew-session";
import { ConfirmationCancelled, useConfirmIdentity } from "@/app/_components/confirm-identity";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { confirmTotpInput } from "@/server/accounts/two-factor-schemas";
import { RecoveryCodesPanel } from "./recovery-codes";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long" });

/** "JBSW Y3DP EHPK 3PXP": a secret in groups of four, easier to type. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, "$1 ").trim();

/**
 * Fresh recovery codes outlive a remount of the section: the session renewal that follows turning
 * the app on refreshes the page, and the codes are shown only this once. Cleared when dismissed.
 */
let shownCodes: string[] | null = null;

/** The authenticator app (TOTP) and its recovery codes: set up, see, renew, turn off. */
export function TwoFactorSection() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.account.securityStatus.queryOptions());
  const { withConfirmation, dialog } = useConfirmIdentity();
  const begin = useMutation(trpc.account.beginTotp.mutationOptions());
  const confirm = useMutation(trpc.account.confirmTotp.mutationOptions());
  const disable = useMutation(trpc.account.disableTotp.mutationOptions());
  const regenerate = useMutation(trpc.account.regenerateRecoveryCodes.mutationOptions());
  const [setup, setSetup] = useState<{ secret: string; qrCode: string } | null>(null);
  const [codes, setCodesState] = useState<string[] | null>(() => shownCodes);
  const setCodes = (next: string[] | null) => {
    shownCodes = next;
    setCodesState(next);
  };
  const [askingOff, setAskingOff] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [codeErrors, setCodeErrors] = useState<string[] | undefined>();
  const codeRef = useRef<HTMLInputElement>(null);

  const refreshStatus = () => queryClient.invalidateQueries({ queryKey: trpc.account.securityStatus.queryKey() });

  /** Runs a change; the confirm dialog is asked for when needed; a refusal is shown in words. */
  async function act(work: () => Promise<void>) {
    setError(null);
    try {
      await work();
    } catch (caught) {
      if (caught instanceof ConfirmationCancelled) return;
      setError(messageOf(caught));
    }
  }

  const startSetup = () =>
    act(async () => {
      const started = await withConfirmation(() => begin.mutateAsync());
      setSetup({ secret: started.secret, qrCode: started.qrCode });
      requestAnimationFrame(() => codeRef.current?.focus());
    });

  async function onConfirm(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = { code: String(new FormData(event.currentTarget).get("code") ?? "") };
    const parsed = confirmTotpInput.safeParse(input);
    if (!parsed.success) {
      setCodeErrors(zodFieldErrors(parsed.error).code);
      return;
    }
    setCodeErrors(undefined);
    await act(async () => {
      try {
        const result = await withConfirmation(() => confirm.mutateAsync(parsed.data));
        // Renewed first: until then this session is one of those that just ended.
        if (result.renew) await renewSession(result.renew);
        setCodes(result.recoveryCodes);
        setSetup(null);
        toast.success("Two-factor sign-in is on");
        await refreshStatus();
        router.refresh();
      } catch (caught) {
        const fields = fieldErrorsOf(caught);
        if (fields.code) setCodeErrors(fields.code);
        else throw caught;
      }
    });
  }

  const turnOff = () =>
    act(async () => {
      const result = await withConfirmation(() => disable.mutateAsync());
      if (result.renew) await renewSession(result.renew);
      setAskingOff(false);
      setCodes(null);
      toast.success("Two-factor sign-in is off");
      await refreshStatus();
      router.refresh();
    });

  const newCodes = () =>
    act(async () => {
      const result = await withConfirmation(() => regenerate.mutateAsync());
      setCodes(result.recoveryCodes);
      await refreshStatus();
    });

  const enabledAt = status.data?.totpEnabledAt ?? null;
  const left = status.data?.recoveryCodesLeft ?? 0;

  return (
    <Card>
      <section aria-labelledby="two-factor-title" className="space-y-4">
        <div>
          <h2 id="two-factor-title" className="text-lg font-semibold">
            Two-factor sign-in
          </h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            After your password, Driftwood also asks for a 6-digit code from an authenticator app on your phone (such as Google
            Authenticator, Microsoft Authenticator, 1Password or Aegis). Someone who learns your password still cannot sign in.
          </p>
        </div>
        {error ? <Alert>{error}</Alert> : null}
        {codes ? <RecoveryCodesPanel codes={codes} onDone={() => setCodes(null)} /> : null}
        {status.isPending ? (
          <Spinner label="Loading your two-factor settings" />
        ) : status.isError ? (
          <Alert>We could not load your two-factor settings. Reload the page to try again.</Alert>
        ) : enabledAt ? (
          <div className="space-y-3">
            <p className="text-sm">
              <span className="mr-2 inline-block rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                On
              </span>
              Authenticator app since {dateFormat.format(enabledAt)}.
            </p>
            <p className="text-sm" id="recovery-codes-left">
              {left === 0
                ? "You have no recovery codes left. Get new ones so you can still sign in if you lose your phone."
                : `${left} recovery code${left === 1 ? "" : "s"} left.`}
              {left > 0 && left <= 3 ? " Get new ones soon." : ""}
            </p>
            {askingOff ? (
              <div className="space-y-3 rounded-md border border-red-300 p-4 dark:border-red-800">
                <p className="text-sm">
                  Turn off two-factor sign-in? Your password alone will then be enough to sign in, your recovery codes stop working, and you
                  are signed out on your other devices.
                </p>
                <div className="flex flex-wrap gap-2">
                  <Button type="button" variant="danger" onClick={turnOff} disabled={disable.isPending}>
                    {disable.isPending ? "Turning off…" : "Turn off"}
                  </Button>
                  <Button type="button" variant="secondary" onClick={() => setAskingOff(false)}>
                    Keep it on
                  </Button>
                </div>
              </div>
            ) : (
              <div className="flex flex-wrap gap-2">
                <Button type="button" variant="secondary" onClick={newCodes} disabled={regenerate.isPending}>
                  {regenerate.isPending ? "Making new codes…" : "Get new recovery codes"}
                </Button>
                <Button type="button" variant="ghost" onClick={() => setAskingOff(true)}>
                  Turn off two-factor sign-in
                </Button>
              </div>
            )}
          </div>
        ) : setup ? (
          <form onSubmit={onConfirm} noValidate className="space-y-4">
            <ol className="list-decimal space-y-4 pl-5 text-sm">
              <li>
                <p>Scan this QR code with your authenticator app.</p>
                <img
                  src={setup.qrCode}
                  alt="QR code for setting up your authenticator app"
                  width={220}
                  height={220}
                  className="mt-2 rounded-md border border-zinc-200 bg-white dark:border-zinc-700"
                />
                <p className="mt-2">
                  Cannot scan it? Enter this key in the app instead:{" "}
                  <code data-testid="totp-secret" className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono break-all dark:bg-zinc-800">
                    {grouped(setup.secret)}
                  </code>
                </p>
              </li>
              <li>
                <TextField
                  ref={codeRef}
                  id="totp-setup-code"
                  name="code"
                  label="Enter the 6-digit code the app shows"
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  maxLength={9}
                  errors={codeErrors}
                  className="max-w-40"
                />
              </li>
            </ol>
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={confirm.isPending}>
                {confirm.isPending ? "Checking…" : "Turn on"}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setSetup(null)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <div className="space-y-3">
            <p className="text-sm">
              <span className="mr-2 inline-block rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                Off
              </span>
              {status.data?.passkeys.length
                ? "No authenticator app: signing in with your password asks for one of your passkeys."
                : "Your password is enough to sign in."}
            </p>
            <Button type="button" onClick={startSetup} disabled={begin.isPending}>
              {begin.isPending ? "Starting…" : "Set up authenticator app"}
            </Button>
          </div>
        )}
      </section>
      {dialog}
    </Card>
  );
}
