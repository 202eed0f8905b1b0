"use client";

import { useRef, useState, type ReactNode } from "react";
import { Button } from "@/app/_components/ui";

/** The question asked before a change that cannot simply be undone, with a confirm and a cancel button. */
export function ConfirmPanel({
  question,
  confirmLabel,
  pendingLabel,
  onConfirm,
  onCancel,
}: {
  question: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  /** Resolves to whether it worked; the panel stays open after a failure. */
  onConfirm: () => Promise<boolean>;
  onCancel: () => void;
}) {
  const [pending, setPending] = useState(false);
  return (
    <fieldset
      aria-label="Confirm"
      className="flex w-full min-w-0 flex-col gap-2 rounded-md border border-zinc-300 bg-zinc-50 p-3 text-sm dark:border-zinc-700 dark:bg-zinc-950"
    >
      <p>{question}</p>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="danger"
          className="px-3 py-1.5"
          autoFocus
          disabled={pending}
          onClick={async () => {
            setPending(true);
            const done = await onConfirm();
            setPending(false);
            if (done) onCancel();
          }}
        >
          {pending ? pendingLabel : confirmLabel}
        </Button>
        <Button type="button" variant="ghost" className="px-3 py-1.5" disabled={pending} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}

/** A button that asks once before it acts, so a stray tap never leaves a team. */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  pendingLabel,
  onConfirm,
  disabled,
}: {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  onConfirm: () => Promise<boolean>;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  if (asking) {
    return (
      <ConfirmPanel
        question={question}
        confirmLabel={confirmLabel}
        pendingLabel={pendingLabel}
        onConfirm={onConfirm}
        onCancel={() => {
          setAsking(false);
          // Back to the button that opened the question, for keyboard users.
          requestAnimationFrame(() => trigger.current?.focus());
        }}
      />
    );
  }
  return (
    <Button
      ref={trigger}
      type="button"
      variant="secondary"
      className="px-3 py-1.5 disabled:opacity-50"
      disabled={disabled}
      onClick={() => setAsking(true)}
    >
      {label}
    </Button>
  );
}
