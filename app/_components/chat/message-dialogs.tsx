"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { fieldErrorsOf } from "@/app/_components/errors";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { chatErrorMessage } from "./chat-errors";
import { Dialog } from "./dialog";
import type { ChatMessage } from "./types";

/** The server's reasons (chatReportReasons), in words. */
const reasons = [
  { value: "spam", label: "Spam or advertising" },
  { value: "harassment", label: "Harassment or hate" },
  { value: "cheating", label: "Cheating or match fixing" },
  { value: "other", label: "Something else" },
] as const;
type Reason = (typeof reasons)[number]["value"];

const DETAILS_MAX = 1_000;

function Quote({ message }: { message: ChatMessage }) {
  return (
    <blockquote className="mt-3 line-clamp-3 rounded-md border-l-4 border-zinc-300 bg-zinc-50 px-3 py-2 text-sm whitespace-pre-wrap wrap-anywhere text-zinc-800 dark:border-zinc-600 dark:bg-zinc-950 dark:text-zinc-200">
      <span className="font-semibold">{message.sender.name}:</span> {message.body}
    </blockquote>
  );
}

/** Report a message to the moderators: a reason and optional details. */
export function ReportDialog({ message, onClose }: { message: ChatMessage | null; onClose: () => void }) {
  return (
    <Dialog
      open={message !== null}
      onClose={onClose}
      title="Report message"
      description="Moderators will review it. The sender is not told who reported it."
    >
      {message ? <ReportForm message={message} onDone={onClose} /> : null}
    </Dialog>
  );
}

function ReportForm({ message, onDone }: { message: ChatMessage; onDone: () => void }) {
  const trpc = useTRPC();
  const id = useId();
  const [reason, setReason] = useState<Reason | null>(null);
  const [details, setDetails] = useState("");
  const report = useMutation(trpc.chat.report.mutationOptions());
  const fields = fieldErrorsOf(report.error);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!reason) return;
    try {
      await report.mutateAsync({ messageId: message.id, reason, details });
      toast.success("Thanks. A moderator will review the message.");
      onDone();
    } catch {
      // Shown below from report.error.
    }
  }

  const reasonError = fields.reason?.join(" ");
  const detailsError = fields.details?.join(" ");
  const formError = report.error && !reasonError && !detailsError ? chatErrorMessage(report.error) : null;
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <Quote message={message} />
      <fieldset>
        <legend className="text-sm font-medium">Why are you reporting it?</legend>
        <div className="mt-2 space-y-1">
          {reasons.map((option, index) => (
            <label
              key={option.value}
              className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              <input
                type="radio"
                name={`${id}-reason`}
                value={option.value}
                checked={reason === option.value}
                onChange={() => setReason(option.value)}
                data-autofocus={index === 0 ? "" : undefined}
                className="size-4 accent-brand-600"
              />
              {option.label}
            </label>
          ))}
        </div>
        {reasonError ? <p className="mt-1 text-sm font-medium text-red-700 dark:text-red-400">{reasonError}</p> : null}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor={`${id}-details`} className="block text-sm font-medium">
          Details <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional)</span>
        </label>
        <textarea
          id={`${id}-details`}
          value={details}
          onChange={(event) => setDetails(event.target.value)}
          maxLength={DETAILS_MAX}
          rows={3}
          aria-invalid={detailsError ? true : undefined}
          aria-describedby={`${id}-details-hint`}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 shadow-sm sm:text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        />
        <p
          id={`${id}-details-hint`}
          className={`text-xs ${detailsError ? "font-medium text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400"}`}
        >
          {detailsError ?? `${details.length.toLocaleString()} / ${DETAILS_MAX.toLocaleString()}`}
        </p>
      </div>
      {formError ? <Alert>{formError}</Alert> : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={!reason || report.isPending}>
          {report.isPending ? "Sending report…" : "Send report"}
        </Button>
      </div>
    </form>
  );
}

/** Asks before a message is deleted; a deleted message reads "Message deleted" for everyone. */
export function DeleteDialog({
  message,
  mine,
  onClose,
  onDeleted,
}: {
  message: ChatMessage | null;
  mine: boolean;
  onClose: () => void;
  onDeleted: (messageId: string) => void;
}) {
  const trpc = useTRPC();
  const remove = useMutation(trpc.chat.delete.mutationOptions());
  function close() {
    remove.reset();
    onClose();
  }
  async function confirm() {
    if (!message) return;
    try {
      await remove.mutateAsync({ messageId: message.id });
      onDeleted(message.id);
      close();
    } catch {
      // Shown in the dialog from remove.error.
    }
  }
  return (
    <Dialog
      open={message !== null}
      onClose={close}
      title="Delete message?"
      description={
        mine
          ? "Everyone in the conversation will see “Message deleted” instead."
          : `You are deleting ${message?.sender.name ?? "this player"}'s message as a moderator. Everyone will see “Message deleted” instead.`
      }
    >
      {message ? <Quote message={message} /> : null}
      {remove.error ? (
        <div className="mt-3">
          <Alert>{chatErrorMessage(remove.error)}</Alert>
        </div>
      ) : null}
      <div className="mt-4 flex flex-wrap justify-end gap-2">
        <Button type="button" variant="ghost" onClick={close} data-autofocus="">
          Cancel
        </Button>
        <Button type="button" variant="danger" onClick={() => void confirm()} disabled={remove.isPending}>
          {remove.isPending ? "Deleting…" : "Delete"}
        </Button>
      </div>
    </Dialog>
  );
}
