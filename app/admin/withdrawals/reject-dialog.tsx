"use client";

import { useEffect, useId, useState } from "react";
import { Dialog } from "@/app/_components/chat/dialog";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { Alert, Button } from "@/app/_components/ui";
import { DECISION_REASON_MAX, DECISION_REASON_MIN } from "@/server/withdrawals/admin-schemas";

/** "Reject…": asks why (the player is told), then rejects the chosen requests. */
export function RejectDialog({
  open,
  what,
  count,
  pending,
  error,
  onClose,
  onReject,
}: {
  open: boolean;
  /** "Lena Park's withdrawal of $25.00" or "3 withdrawals". */
  what: string;
  count: number;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onReject: (reason: string) => void;
}) {
  const id = useId();
  const [reason, setReason] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    setReason("");
    setLocalError(null);
  }, [open]);
  const serverErrors = error ? fieldErrorsOf(error) : {};
  const reasonError = localError ?? serverErrors.reason?.[0] ?? null;
  const formError = error && !serverErrors.reason ? messageOf(error) : null;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Reject ${what}`}
      description="The amount and the fee go back to the player's wallet at once, and they are told your reason by email."
    >
      <form
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = reason.trim();
          if (!trimmed) return setLocalError("Say why it is rejected; the player is told.");
          if (trimmed.length < DECISION_REASON_MIN) return setLocalError(`Write at least ${DECISION_REASON_MIN} characters.`);
          setLocalError(null);
          onReject(trimmed);
        }}
      >
        {formError ? <Alert>{formError}</Alert> : null}
        <div className="space-y-1">
          <label htmlFor={`${id}-reason`} className="block text-sm font-medium">
            Reason (the player is told)
          </label>
          <textarea
            id={`${id}-reason`}
            data-autofocus=""
            value={reason}
            maxLength={DECISION_REASON_MAX}
            rows={3}
            required
            onChange={(event) => {
              setReason(event.target.value);
              setLocalError(null);
            }}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? `${id}-reason-error` : undefined}
            className={`block w-full rounded-md border bg-white px-3 py-2 text-base sm:text-sm dark:bg-zinc-900 ${
              reasonError ? "border-red-600 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"
            }`}
          />
          {reasonError ? (
            <p id={`${id}-reason-error`} className="text-sm text-red-700 dark:text-red-400">
              {reasonError}
            </p>
          ) : null}
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? "Rejecting…" : count === 1 ? "Reject withdrawal" : `Reject ${count} withdrawals`}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
