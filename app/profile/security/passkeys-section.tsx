"use client";

import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { renewSession } from "@/app/_components/renew-session";
import { ConfirmationCancelled, useConfirmIdentity } from "@/app/_components/confirm-identity";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { PasskeyPromptError, promptPasskey } from "@/app/_components/passkey-errors";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { passkeyNameSchema } from "@/server/accounts/two-factor-schemas";
import { RecoveryCodesPanel } from "./recovery-codes";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

/** A name to start from: the kind of device this browser runs on. */
function suggestedName(): string {
  const agent = typeof navigator === "undefined" ? "" : navigator.userAgent;
  if (/iPhone|iPad/.test(agent)) return "iPhone or iPad";
  if (/Android/.test(agent)) return "Android phone";
  if (/Mac OS X/.test(agent)) return "Mac";
  if (/Windows/.test(agent)) return "Windows PC";
  if (/Linux/.test(agent)) return "Linux computer";
  return "My passkey";
}

/** Passkeys: sign in without a password, or as the second step after it. */
export function PasskeysSection() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.account.securityStatus.queryOptions());
  const { withConfirmation, dialog } = useConfirmIdentity();
  const begin = useMutation(trpc.account.beginPasskeyRegistration.mutationOptions());
  const finish = useMutation(trpc.account.finishPasskeyRegistration.mutationOptions());
  const rename = useMutation(trpc.account.renamePasskey.mutationOptions());
  const remove = useMutation(trpc.account.removePasskey.mutationOptions());
  const [supported, setSupported] = useState(true);
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [nameErrors, setNameErrors] = useState<string[] | undefined>();
  const [codes, setCodes] = useState<string[] | null>(null);

  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  const refreshStatus = () => queryClient.invalidateQueries({ queryKey: trpc.account.securityStatus.queryKey() });

  async function act(work: () => Promise<void>) {
    setError(null);
    setNameErrors(undefined);
    try {
      await work();
    } catch (caught) {
      if (caught instanceof ConfirmationCancelled) return;
      const fields = fieldErrorsOf(caught);
      if (fields.name) setNameErrors(fields.name);
      else setError(caught instanceof PasskeyPromptError ? caught.message : messageOf(caught));
    }
  }

  function onAdd(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = passkeyNameSchema.safeParse(new FormData(event.currentTarget).get("name"));
    if (!parsed.success) {
      setNameErrors(parsed.error.issues.map((issue) => issue.message));
      return;
    }
    void act(async () => {
      const { challengeId, options } = await withConfirmation(() => begin.mutateAsync());
      const response = await promptPasskey(() => startRegistration({ optionsJSON: options }));
      const added = await withConfirmation(() => finish.mutateAsync({ challengeId, response: response as never, name: parsed.data }));
      setAdding(false);
      // A first second factor comes with recovery codes, shown once.
      if (added.recoveryCodes) setCodes(added.recoveryCodes);
      toast.success("Passkey added");
      await refreshStatus();
    });
  }

  function onRename(event: React.FormEvent<HTMLFormElement>, id: string) {
    event.preventDefault();
    const parsed = passkeyNameSchema.safeParse(new FormData(event.currentTarget).get("name"));
    if (!parsed.success) {
      setNameErrors(parsed.error.issues.map((issue) => issue.message));
      return;
    }
    void act(async () => {
      await rename.mutateAsync({ id, name: parsed.data });
      setRenaming(null);
      await refreshStatus();
    });
  }

  const onRemove = (id: string) =>
    act(async () => {
      const result = await withConfirmation(() => remove.mutateAsync({ id }));
      if (result.renew) await renewSession(result.renew);
      setRemoving(null);
      toast.success("Passkey removed");
      await refreshStatus();
      router.refresh();
    });

  const keys = status.data?.passkeys ?? [];

  return (
    <Card>
      <section aria-labelledby="passkeys-title" className="space-y-4">
        <div>
          <h2 id="passkeys-title" className="text-lg font-semibold">
            Passkeys
          </h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            A passkey lets you sign in with your fingerprint, face or screen lock instead of a password. Once you have one, signing in with
            your password also asks for it (or a code from your authenticator app, or a recovery code).
          </p>
        </div>
        {codes ? <RecoveryCodesPanel codes={codes} onDone={() => setCodes(null)} /> : null}
        {!supported ? <Alert tone="info">This browser cannot use passkeys. You can add one from another browser or device.</Alert> : null}
        {error ? <Alert>{error}</Alert> : null}
        {status.isPending ? (
          <Spinner label="Loading your passkeys" />
        ) : status.isError ? (
          <Alert>We could not load your passkeys. Reload the page to try again.</Alert>
        ) : keys.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">You have no passkeys yet.</p>
        ) : (
          <ul
            className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
            aria-label="Your passkeys"
          >
            {keys.map((key) => (
              <li key={key.id} className="flex flex-col gap-3 p-3 sm:flex-row sm:items-center sm:justify-between">
                {renaming === key.id ? (
                  <form onSubmit={(event) => onRename(event, key.id)} noValidate className="flex flex-1 flex-wrap items-end gap-2">
                    <TextField
                      id={`rename-${key.id}`}
                      name="name"
                      label="Passkey name"
                      defaultValue={key.name}
                      maxLength={60}
                      errors={nameErrors}
                      autoFocus
                    />
                    <Button type="submit" disabled={rename.isPending}>
                      Save
                    </Button>
                    <Button type="button" variant="secondary" onClick={() => setRenaming(null)}>
                      Cancel
                    </Button>
                  </form>
                ) : (
                  <div>
                    <p className="font-medium">{key.name}</p>
                    <p className="text-sm text-zinc-600 dark:text-zinc-400">
                      Added {dateFormat.format(key.createdAt)} ·{" "}
                      {key.lastUsedAt ? `last used ${dateFormat.format(key.lastUsedAt)}` : "not used yet"}
                      {key.backedUp ? " · synced" : ""}
                    </p>
                  </div>
                )}
                {renaming === key.id ? null : removing === key.id ? (
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="text-sm">Remove it? Your other devices will be signed out.</span>
                    <Button type="button" variant="danger" onClick={() => onRemove(key.id)} disabled={remove.isPending}>
                      {remove.isPending ? "Removing…" : "Remove"}
                    </Button>
                    <Button type="button" variant="secondary" onClick={() => setRemoving(null)}>
                      Keep
                    </Button>
                  </div>
                ) : (
                  <div className="flex gap-2">
                    <Button type="button" variant="secondary" onClick={() => setRenaming(key.id)} aria-label={`Rename ${key.name}`}>
                      Rename
                    </Button>
                    <Button type="button" variant="ghost" onClick={() => setRemoving(key.id)} aria-label={`Remove ${key.name}`}>
                      Remove
                    </Button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {adding ? (
          <form onSubmit={onAdd} noValidate className="flex flex-wrap items-end gap-2">
            <TextField
              id="passkey-name"
              name="name"
              label="Name this passkey"
              defaultValue={suggestedName()}
              maxLength={60}
              errors={nameErrors}
              hint="So you can tell your passkeys apart."
              autoFocus
            />
            <Button type="submit" disabled={begin.isPending || finish.isPending}>
              {begin.isPending || finish.isPending ? "Waiting for your device…" : "Create passkey"}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setAdding(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          <Button type="button" variant={keys.length ? "secondary" : "primary"} onClick={() => setAdding(true)} disabled={!supported}>
            Add a passkey
          </Button>
        )}
      </section>
      {dialog}
    </Card>
  );
}
