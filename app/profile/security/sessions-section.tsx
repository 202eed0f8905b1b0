"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { clearEndedSession } from "@/app/actions";
import { Dialog } from "@/app/_components/chat/dialog";
import { messageOf } from "@/app/_components/errors";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";

const when = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
});

/** When this device signed in, and signing out of every device (this one too), after a confirmation. */
export function SessionsSection() {
  const trpc = useTRPC();
  const headingId = useId();
  const session = useQuery(trpc.account.currentSession.queryOptions());
  const signOut = useMutation(trpc.account.signOutEverywhere.mutationOptions());
  const [confirming, setConfirming] = useState(false);
  const [leaving, setLeaving] = useState(false);

  async function signOutEverywhere() {
    try {
      await signOut.mutateAsync();
    } catch {
      return; // Shown in the dialog from signOut.error.
    }
    setLeaving(true);
    // Every session ended, this one too: clear this browser's cookie and sign in afresh.
    await clearEndedSession().catch(() => {});
    window.location.assign("/sign-in?signedOut=everywhere");
  }

  const authenticatedAt = session.data?.authenticatedAt ?? null;
  return (
    <Card aria-labelledby={headingId} role="region">
      <h2 id={headingId} className="text-lg font-semibold">
        Devices signed in
      </h2>
      <div className="mt-2 space-y-3 text-sm text-zinc-700 dark:text-zinc-300">
        {session.isPending ? <Spinner label="Loading this session…" /> : null}
        {session.isError ? <Alert>{messageOf(session.error)}</Alert> : null}
        {session.isSuccess ? (
          <p data-testid="session-signed-in-at">
            {authenticatedAt ? (
              <>
                This device last signed in (or confirmed it was you) on{" "}
                <time dateTime={authenticatedAt.toISOString()} className="font-medium text-zinc-950 dark:text-white">
                  {when.format(authenticatedAt)}
                </time>
                .
              </>
            ) : (
              "This device signed in before Driftwood recorded sign-in times."
            )}
          </p>
        ) : null}
        <p>
          Lost a phone, or signed in on a shared computer? Signing out of all devices ends every session of your account at once: other
          browsers, phones and apps, and this device too. Pages open elsewhere leave within seconds; you sign in again here afterwards.
        </p>
      </div>
      <div className="mt-4">
        <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
          Sign out of all devices
        </Button>
      </div>

      <Dialog
        open={confirming}
        onClose={() => {
          if (leaving) return;
          signOut.reset();
          setConfirming(false);
        }}
        title="Sign out of all devices?"
        description="Every device signed in to your account is signed out, including this one. You will need your password (and second factor, if you use one) to sign in again."
      >
        {signOut.error ? (
          <div className="mb-3">
            <Alert>{messageOf(signOut.error)}</Alert>
          </div>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button
            type="button"
            variant="ghost"
            data-autofocus=""
            disabled={signOut.isPending || leaving}
            onClick={() => {
              signOut.reset();
              setConfirming(false);
            }}
          >
            Cancel
          </Button>
          <Button type="button" variant="danger" onClick={() => void signOutEverywhere()} disabled={signOut.isPending || leaving}>
            {signOut.isPending || leaving ? "Signing out…" : "Sign out everywhere"}
          </Button>
        </div>
      </Dialog>
    </Card>
  );
}
