"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { toast } from "sonner";
import { Dialog } from "@/app/_components/chat/dialog";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { suspensionEndInWords } from "@/server/accounts/suspension-code";
import { SUSPENSION_REASON_MAX } from "@/server/admin/schemas";

export interface SuspensionState {
  suspendedAt: Date | null;
  suspendedUntil: Date | null;
  suspensionReason: string | null;
}

/** In force now: a ban (no end) or an end still ahead. */
function inForce(state: SuspensionState, now = Date.now()): boolean {
  return state.suspendedAt !== null && (state.suspendedUntil === null || state.suspendedUntil.getTime() > now);
}

/** "Active", "Suspended until 14 December 2026, 18:00 UTC" or "Banned", with the reason for admins. */
export function SuspensionStatus({ state }: { state: SuspensionState }) {
  if (!inForce(state)) return <span className="text-emerald-800 dark:text-emerald-300">Active</span>;
  const label = state.suspendedUntil ? `Suspended ${suspensionEndInWords(state.suspendedUntil)}` : "Banned";
  return (
    <span className="block max-w-[16rem]">
      <span className="font-medium text-red-800 dark:text-red-300">{label}</span>
      {state.suspensionReason ? (
        <span className="block truncate text-zinc-600 dark:text-zinc-400" title={state.suspensionReason}>
          {state.suspensionReason}
        </span>
      ) : null}
    </span>
  );
}

/** A datetime-local value (the admin's local time) for `date`. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Suspend / change / lift buttons for one user, each opening its dialog. Admins and oneself get none. */
export function SuspensionControl({ user, canSuspend }: { user: { id: string; name: string } & SuspensionState; canSuspend: boolean }) {
  const [open, setOpen] = useState<"suspend" | "lift" | null>(null);
  if (!canSuspend) return <span className="text-zinc-500 dark:text-zinc-400">—</span>;
  const suspended = inForce(user);
  return (
    <div className="flex flex-col items-start gap-1 sm:flex-row sm:items-center">
      <Button type="button" variant="secondary" className="whitespace-nowrap px-3 py-1" onClick={() => setOpen("suspend")}>
        {suspended ? "Change" : "Suspend"}
        <span className="sr-only"> {suspended ? `the suspension of ${user.name}` : user.name}</span>
      </Button>
      {user.suspendedAt ? (
        <Button type="button" variant="ghost" className="whitespace-nowrap px-3 py-1" onClick={() => setOpen("lift")}>
          Lift suspension<span className="sr-only"> of {user.name}</span>
        </Button>
      ) : null}
      <SuspendDialog user={user} open={open === "suspend"} onClose={() => setOpen(null)} />
      <LiftDialog user={user} open={open === "lift"} onClose={() => setOpen(null)} />
    </div>
  );
}

function SuspendDialog({
  user,
  open,
  onClose,
}: {
  user: { id: string; name: string } & SuspensionState;
  open: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const suspend = useMutation(trpc.admin.suspendUser.mutationOptions());
  const replacing = inForce(user);
  const [reason, setReason] = useState(replacing ? (user.suspensionReason ?? "") : "");
  const [endless, setEndless] = useState(replacing && user.suspendedUntil === null);
  const [until, setUntil] = useState(() =>
    localInputValue(replacing && user.suspendedUntil ? user.suspendedUntil : new Date(Date.now() + 7 * 86_400_000)),
  );
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  // Each opening starts from the suspension as it stands now.
  useEffect(() => {
    if (!open) return;
    setReason(replacing ? (user.suspensionReason ?? "") : "");
    setEndless(replacing && user.suspendedUntil === null);
    setUntil(localInputValue(replacing && user.suspendedUntil ? user.suspendedUntil : new Date(Date.now() + 7 * 86_400_000)));
  }, [open, replacing, user.suspensionReason, user.suspendedUntil]);
  const serverErrors = suspend.error ? fieldErrorsOf(suspend.error) : {};
  const errors = { ...serverErrors, ...localErrors };
  const formError = suspend.error && Object.keys(serverErrors).length === 0 ? messageOf(suspend.error) : null;

  function close() {
    suspend.reset();
    setLocalErrors({});
    onClose();
  }

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems: Record<string, string[]> = {};
    if (!reason.trim()) problems.reason = ["Say why the account is suspended; the player is told."];
    const end = endless ? null : new Date(until);
    if (end && Number.isNaN(end.getTime())) problems.until = ["Pick a date and time, or choose no end date."];
    else if (end && end.getTime() <= Date.now()) problems.until = ["The end of a suspension must be in the future."];
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;
    try {
      await suspend.mutateAsync({ userId: user.id, reason: reason.trim(), until: end });
      toast.success(`${user.name} is suspended ${suspensionEndInWords(end)}. They were signed out and told by email.`);
      await queryClient.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
      close();
    } catch {
      // Shown in the dialog.
    }
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={replacing ? `Change ${user.name}'s suspension` : `Suspend ${user.name}`}
      description="They are signed out everywhere at once and cannot sign in, pay, chat or report until it ends. They are told the reason by email."
    >
      <form className="space-y-4" onSubmit={submit} noValidate>
        {formError ? <Alert>{formError}</Alert> : null}
        <div className="space-y-1">
          <label htmlFor={`${id}-reason`} className="block text-sm font-medium">
            Reason (the player sees it)
          </label>
          <textarea
            id={`${id}-reason`}
            data-autofocus=""
            value={reason}
            maxLength={SUSPENSION_REASON_MAX}
            rows={3}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={errors.reason ? `${id}-reason-error` : `${id}-reason-count`}
            className={`block w-full rounded-md border bg-white px-3 py-2 text-base sm:text-sm dark:bg-zinc-900 ${
              errors.reason ? "border-red-600 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"
            }`}
          />
          {errors.reason ? (
            <p id={`${id}-reason-error`} className="text-sm font-medium text-red-700 dark:text-red-400">
              {errors.reason.join(" ")}
            </p>
          ) : (
            <p id={`${id}-reason-count`} className="text-sm text-zinc-600 dark:text-zinc-400">
              {reason.length} / {SUSPENSION_REASON_MAX} characters
            </p>
          )}
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Ends</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name={`${id}-end`} checked={!endless} onChange={() => setEndless(false)} />
            On a date and time
          </label>
          {!endless ? (
            <TextField
              id={`${id}-until`}
              label="End (your local time)"
              type="datetime-local"
              value={until}
              min={localInputValue(new Date())}
              onChange={(event) => setUntil(event.target.value)}
              errors={errors.until}
            />
          ) : null}
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name={`${id}-end`} checked={endless} onChange={() => setEndless(true)} />
            No end date (a ban, until lifted)
          </label>
          {endless && errors.until ? <p className="text-sm font-medium text-red-700 dark:text-red-400">{errors.until.join(" ")}</p> : null}
        </fieldset>
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={suspend.isPending}>
            {suspend.isPending ? "Suspending…" : replacing ? "Change suspension" : "Suspend"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function LiftDialog({ user, open, onClose }: { user: { id: string; name: string } & SuspensionState; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const lift = useMutation(trpc.admin.liftSuspension.mutationOptions());
  const [note, setNote] = useState("");
  const noteErrors = lift.error ? fieldErrorsOf(lift.error).note : undefined;

  function close() {
    lift.reset();
    setNote("");
    onClose();
  }

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await lift.mutateAsync({ userId: user.id, note: note.trim() || undefined });
      toast.success(`${user.name}'s suspension is lifted. They can sign in again.`);
      await queryClient.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
      close();
    } catch {
      // Shown in the dialog.
    }
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Lift ${user.name}'s suspension?`}
      description="They can sign in again at once, and are told by email."
    >
      <form className="space-y-4" onSubmit={submit}>
        {lift.error && !noteErrors ? <Alert>{messageOf(lift.error)}</Alert> : null}
        <TextField
          id={`${id}-note`}
          label="Note for the audit log (optional)"
          value={note}
          maxLength={SUSPENSION_REASON_MAX}
          onChange={(event) => setNote(event.target.value)}
          errors={noteErrors}
          data-autofocus=""
        />
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={lift.isPending}>
            {lift.isPending ? "Lifting…" : "Lift suspension"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
