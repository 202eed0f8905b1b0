"use client";

import { SendHorizontal, X } from "lucide-react";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/app/_components/ui";
import { newClientId } from "./client-id";

/** The server's limit (CHAT_MESSAGE_MAX); the counter appears near it. */
export const MESSAGE_MAX = 2_000;
const COUNTER_FROM = 1_800;

export type SendResult = { ok: true } | { ok: false; message: string; retryable: boolean };

interface Failure {
  body: string;
  clientId: string;
  message: string;
  retryable: boolean;
}

/** Drafts live in localStorage per player and room, so they survive navigation and reloads. */
function draftKey(viewerId: string, roomId: string) {
  return `driftwood:chat-draft:${viewerId}:${roomId}`;
}

function readDraft(key: string): string {
  try {
    return localStorage.getItem(key) ?? "";
  } catch {
    return "";
  }
}

function writeDraft(key: string, value: string) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Storage full or disabled: the draft simply is not kept.
  }
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line. The text clears while the message
 * is being sent (the list shows it as "Sending…"); if sending fails the text comes back with the
 * reason. The stored draft is only dropped once the server has the message.
 */
export function Composer({
  roomId,
  viewerId,
  placeholder,
  onSend,
  onTyping,
}: {
  roomId: string;
  viewerId: string;
  placeholder: string;
  onSend: (body: string, clientId: string) => Promise<SendResult>;
  onTyping: () => void;
}) {
  const key = draftKey(viewerId, roomId);
  const [text, setText] = useState("");
  const [failure, setFailure] = useState<Failure | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  useEffect(() => {
    // Read after mount: the server has no localStorage, and the first render must match it.
    setText(readDraft(key));
  }, [key]);

  const length = text.trim().length;
  const over = length > MESSAGE_MAX;

  function change(value: string) {
    setText(value);
    writeDraft(key, value);
    if (value.trim()) onTyping();
  }

  async function submit() {
    const body = text.trim();
    if (!body || over) return;
    // Sending the same text again after a failure is a retry: the same client id, so a message that
    // did reach the server is not stored twice.
    const clientId = failure && failure.body === body ? failure.clientId : newClientId();
    const original = text;
    setFailure(null);
    setText("");
    const result = await onSend(body, clientId);
    if (result.ok) {
      // Typing started while it was on its way is a new draft: keep that one.
      if (readDraft(key) === original) writeDraft(key, "");
      return;
    }
    setFailure({ body, clientId, message: result.message, retryable: result.retryable });
    setText((current) => {
      if (current) return current;
      writeDraft(key, original);
      return original;
    });
    textarea.current?.focus();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  const counterId = `${id}-counter`;
  const errorId = `${id}-error`;
  return (
    <form onSubmit={onSubmit} className="border-t border-zinc-200 px-3 pt-2 pb-3 dark:border-zinc-800">
      {failure ? (
        <div
          id={errorId}
          role="alert"
          className="mb-2 flex items-start gap-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          <p className="min-w-0 flex-1">{failure.message}</p>
          {failure.retryable ? (
            <button type="button" onClick={() => void submit()} className="shrink-0 font-semibold underline underline-offset-2">
              Retry
            </button>
          ) : null}
          <button type="button" onClick={() => setFailure(null)} className="shrink-0 rounded p-0.5 hover:bg-red-100 dark:hover:bg-red-900">
            <X aria-hidden className="size-4" />
            <span className="sr-only">Dismiss</span>
          </button>
        </div>
      ) : null}
      <div className="flex items-end gap-2">
        <label htmlFor={`${id}-message`} className="sr-only">
          {placeholder}
        </label>
        <textarea
          ref={textarea}
          id={`${id}-message`}
          value={text}
          onChange={(event) => change(event.target.value)}
          onKeyDown={onKeyDown}
          rows={1}
          placeholder={placeholder}
          aria-invalid={over || undefined}
          aria-describedby={[length >= COUNTER_FROM ? counterId : null, failure ? errorId : null].filter(Boolean).join(" ") || undefined}
          enterKeyHint="send"
          className="block max-h-40 min-h-10 w-full resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 shadow-sm field-sizing-content placeholder:text-zinc-500 sm:text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400"
        />
        <Button type="submit" className="h-10 shrink-0 px-3" disabled={length === 0 || over}>
          <SendHorizontal aria-hidden className="size-4" />
          <span className="sr-only sm:not-sr-only">Send</span>
        </Button>
      </div>
      <div className="mt-1 flex min-h-4 justify-between gap-2 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="hidden sm:inline">Enter to send · Shift+Enter for a new line</span>
        {length >= COUNTER_FROM ? (
          <span id={counterId} className={`ml-auto tabular-nums ${over ? "font-semibold text-red-700 dark:text-red-400" : ""}`}>
            {over
              ? `${(length - MESSAGE_MAX).toLocaleString()} characters over the ${MESSAGE_MAX.toLocaleString()} limit`
              : `${length.toLocaleString()} / ${MESSAGE_MAX.toLocaleString()}`}
          </span>
        ) : null}
      </div>
    </form>
  );
}
