"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useRef, useState } from "react";
import { renewSession } from "@/app/_components/renew-session";
import { Dialog } from "@/app/_components/chat/dialog";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { PasskeyPromptError, promptPasskey } from "@/app/_components/passkey-errors";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { isRecentAuthRefusal } from "@/server/accounts/recent-auth";
import type { ConfirmIdentityInput } from "@/server/accounts/two-factor-schemas";

/** Thrown by `withConfirmation` when the person closed "Confirm it is you": nothing to report. */
export class ConfirmationCancelled extends Error {
  override name = "ConfirmationCancelled";
}

type Method = "password" | "totp" | "recovery" | "passkey";

/**
 * Recent authentication for any sensitive action. `withConfirmation(action)` runs the action; when
 * it is refused for an old proof of identity (RECENT_AUTH_MESSAGE), it asks "Confirm it is you"
 * (password, authenticator code, recovery code or passkey), renews this session and runs the
 * action again. Render `dialog` once in the component.
 *
 *   const { withConfirmation, dialog } = useConfirmIdentity();
 *   await withConfirmation(() => disable.mutateAsync());
 */
export function useConfirmIdentity(): { withConfirmation: <T>(action: () => Promise<T>) => Promise<T>; dialog: ReactNode } {
  const [open, setOpen] = useState(false);
  const waiting = useRef<{ resolve: () => void; reject: (error: Error) => void } | null>(null);

  const withConfirmation = useCallback(async <T,>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (!isRecentAuthRefusal(error)) throw error;
    }
    await new Promise<void>((resolve, reject) => {
      waiting.current = { resolve, reject };
      setOpen(true);
    });
    return action();
  }, []);

  const dialog = (
    <ConfirmIdentityDialog
      open={open}
      onConfirmed={() => {
        setOpen(false);
        waiting.current?.resolve();
        waiting.current = null;
      }}
      onCancel={() => {
        setOpen(false);
        waiting.current?.reject(new ConfirmationCancelled("Cancelled"));
        waiting.current = null;
      }}
    />
  );
  return { withConfirmation, dialog };
}

const methodLabels: Record<Method, string> = {
  password: "Password",
  totp: "Authenticator app",
  recovery: "Recovery code",
  passkey: "Passkey",
};

export function ConfirmIdentityDialog({ open, onConfirmed, onCancel }: { open: boolean; onConfirmed: () => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const status = useQuery({ ...trpc.account.securityStatus.queryOptions(), enabled: open });
  const confirm = useMutation(trpc.account.confirmIdentity.mutationOptions());
  const beginPasskey = useMutation(trpc.account.beginPasskeyConfirmation.mutationOptions());
  const [chosen, setChosen] = useState<Method | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string[] | undefined>();
  const [busy, setBusy] = useState(false);

  const methods: Method[] = status.data
    ? [
        ...(status.data.hasPassword ? (["password"] as const) : []),
        ...(status.data.totpEnabledAt ? (["totp", "recovery"] as const) : []),
        ...(status.data.passkeys.length > 0 ? (["passkey"] as const) : []),
      ]
    : [];
  const method = chosen && methods.includes(chosen) ? chosen : methods[0];

  /** Closed without confirming: the next time it opens, it starts afresh (no error of this attempt). */
  function cancel() {
    setChosen(null);
    setError(null);
    setFieldError(undefined);
    onCancel();
  }

  async function finish(input: ConfirmIdentityInput) {
    const { renew } = await confirm.mutateAsync(input as never);
    if (renew) await renewSession(renew);
    router.refresh();
    setChosen(null);
    onConfirmed();
  }

  async function run(work: () => Promise<void>) {
    setError(null);
    setFieldError(undefined);
    setBusy(true);
    try {
      await work();
    } catch (caught) {
      const fields = fieldErrorsOf(caught);
      const first = Object.values(fields)[0];
      if (first?.length && method !== "passkey") setFieldError(first);
      else setError(caught instanceof PasskeyPromptError ? caught.message : messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("proof") ?? "");
    if (!method) return;
    void run(async () => {
      if (method === "password") await finish({ method, password: value });
      else if (method === "totp" || method === "recovery") await finish({ method, code: value });
      else {
        const { challengeId, options } = await beginPasskey.mutateAsync();
        const response = await promptPasskey(() => startAuthentication({ optionsJSON: options }));
        await finish({ method: "passkey", challengeId, response: response as never });
      }
    });
  }

  return (
    <Dialog
      open={open}
      onClose={cancel}
      title="Confirm it is you"
      description="This change protects your account, so we ask you to prove it is you first. You will not be asked again for 10 minutes."
    >
      {status.isPending ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>
      ) : methods.length === 0 || !method ? (
        <Alert>We could not load how you sign in. Close this and try again.</Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          {methods.length > 1 ? (
            <fieldset>
              <legend className="text-sm font-medium">Confirm with</legend>
              <div className="mt-2 flex flex-wrap gap-2">
                {methods.map((m) => (
                  <label key={m} className="flex items-center gap-1.5 text-sm">
                    <input
                      type="radio"
                      name="method"
                      value={m}
                      checked={m === method}
                      onChange={() => {
                        setChosen(m);
                        setError(null);
                        setFieldError(undefined);
                      }}
                    />
                    {methodLabels[m]}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          {error ? <Alert>{error}</Alert> : null}
          {method === "password" ? (
            <TextField
              key="password"
              id="confirm-proof"
              name="proof"
              type="password"
              label="Password"
              autoComplete="current-password"
              errors={fieldError}
              data-autofocus
            />
          ) : method === "totp" ? (
            <TextField
              key="totp"
              id="confirm-proof"
              name="proof"
              label="6-digit code from your authenticator app"
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={9}
              errors={fieldError}
              data-autofocus
            />
          ) : method === "recovery" ? (
            <TextField
              key="recovery"
              id="confirm-proof"
              name="proof"
              label="Recovery code"
              autoComplete="off"
              spellCheck={false}
              errors={fieldError}
              data-autofocus
            />
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Your browser will ask you to use one of your passkeys.</p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={cancel}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy} data-autofocus={method === "passkey" ? true : undefined}>
              {busy ? "Checking…" : method === "passkey" ? "Use a passkey" : "Confirm"}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
