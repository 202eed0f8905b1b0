"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { PasskeyPromptError, promptPasskey } from "@/app/_components/passkey-errors";
import { Alert, Button, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import type { RequestWithdrawalInput } from "@/server/withdrawals/schemas";

type SecondFactor = NonNullable<RequestWithdrawalInput["secondFactor"]>;
type Method = "totp" | "recovery" | "passkey";

const methodLabels: Record<Method, string> = {
  totp: "Authenticator app",
  recovery: "Recovery code",
  passkey: "Passkey",
};

/**
 * The second factor a large withdrawal asks for: a code from the authenticator app, a recovery
 * code, or a passkey (the same confirmation challenge as "Confirm it is you"). The parent sends the
 * request again with it, under the same idempotency key.
 */
export function SecondFactorStep({
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  error: string | null;
  onSubmit: (proof: SecondFactor) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const status = useQuery(trpc.account.securityStatus.queryOptions());
  const beginPasskey = useMutation(trpc.account.beginPasskeyConfirmation.mutationOptions());
  const [chosen, setChosen] = useState<Method | null>(null);
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const codeInput = useRef<HTMLInputElement>(null);

  // The step replaces the submit button: move the focus to it so it is read out.
  useEffect(() => heading.current?.focus(), []);
  // A refused code: back to the field, its text selected, so the next one replaces it.
  useEffect(() => {
    if (error) codeInput.current?.select();
  }, [error]);

  const methods: Method[] = status.data
    ? [
        ...(status.data.totpEnabledAt ? (["totp", "recovery"] as const) : []),
        ...(status.data.passkeys.length > 0 ? (["passkey"] as const) : []),
      ]
    : [];
  // An account whose only second factor is a passkey has recovery codes too.
  if (status.data && !status.data.totpEnabledAt && status.data.passkeys.length > 0) methods.push("recovery");
  const method = chosen && methods.includes(chosen) ? chosen : methods[0];

  async function confirmWithPasskey() {
    setPasskeyError(null);
    try {
      const { challengeId, options } = await beginPasskey.mutateAsync();
      const response = await promptPasskey(() => startAuthentication({ optionsJSON: options }));
      onSubmit({ method: "passkey", challengeId, response: response as never });
    } catch (caught) {
      setPasskeyError(caught instanceof PasskeyPromptError ? caught.message : messageOf(caught));
    }
  }

  return (
    <section aria-labelledby="withdraw-second-factor" className="mt-4 space-y-4 rounded-md border border-brand-500 p-4">
      <div>
        <h3 id="withdraw-second-factor" ref={heading} tabIndex={-1} className="font-semibold outline-none">
          Confirm with your second factor
        </h3>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">A withdrawal this large needs your second factor as well.</p>
      </div>
      {status.isPending ? (
        <Spinner label="Loading…" />
      ) : status.isError ? (
        <Alert>{messageOf(status.error)}</Alert>
      ) : !method ? (
        <Alert tone="info">
          Your account has no second factor yet. Turn on an authenticator app or add a passkey in{" "}
          <Link href="/profile/security" className="font-medium underline">
            Security settings
          </Link>
          , then come back, or withdraw a smaller amount.
        </Alert>
      ) : (
        <form
          noValidate
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (method === "passkey") {
              void confirmWithPasskey();
              return;
            }
            const code = String(new FormData(event.currentTarget).get("code") ?? "").trim();
            onSubmit({ method, code });
          }}
        >
          {methods.length > 1 ? (
            <fieldset>
              <legend className="text-sm font-medium">Confirm with</legend>
              <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
                {methods.map((m) => (
                  <label key={m} className="flex items-center gap-1.5 text-sm">
                    <input
                      type="radio"
                      name="method"
                      value={m}
                      checked={m === method}
                      onChange={() => {
                        setChosen(m);
                        setPasskeyError(null);
                      }}
                    />
                    {methodLabels[m]}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          {method === "passkey" && (passkeyError || error) ? <Alert>{passkeyError ?? error}</Alert> : null}
          {method === "totp" ? (
            <TextField
              key="totp"
              ref={codeInput}
              id="withdraw-code"
              name="code"
              label="6-digit code from your authenticator app"
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={9}
              errors={error ? [error] : undefined}
            />
          ) : method === "recovery" ? (
            <TextField
              key="recovery"
              ref={codeInput}
              id="withdraw-code"
              name="code"
              label="Recovery code"
              autoComplete="off"
              spellCheck={false}
              errors={error ? [error] : undefined}
            />
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Your browser will ask you to use one of your passkeys.</p>
          )}
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={onCancel} disabled={busy}>
              Back
            </Button>
            <Button type="submit" disabled={busy || beginPasskey.isPending}>
              {busy ? "Requesting…" : method === "passkey" ? "Use a passkey and withdraw" : "Confirm and withdraw"}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
