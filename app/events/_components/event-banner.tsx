"use client";

/* eslint-disable @next/next/no-img-element */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { toast } from "sonner";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { sniffImageType } from "@/server/accounts/avatar";

const BANNER_MAX_BYTES = 2 * 1024 * 1024;
const TOO_LARGE = "That image is larger than 2 MB.";
const WRONG_TYPE = "Use a PNG, JPEG, WebP or GIF image.";

// Banners are cached for 5 minutes under one URL. After this browser changes a banner, its URL
// carries the new version, remembered for a while (across reloads and tabs) so the old image
// does not come back from the cache.
const VERSION_TTL_MS = 10 * 60 * 1000;
const storageKey = (eventId: string) => `driftwood:banner:${eventId}`;
const listeners = new Set<() => void>();
/** Versions set in this page, for when storage is refused. */
const memory = new Map<string, number>();

function readVersion(eventId: string): number {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(eventId)) ?? "null") as { v: number; at: number } | null;
    return saved && Date.now() - saved.at < VERSION_TTL_MS ? saved.v : 0;
  } catch {
    return 0;
  }
}

function bumpVersion(eventId: string, version: number) {
  try {
    localStorage.setItem(storageKey(eventId), JSON.stringify({ v: version, at: Date.now() }));
  } catch {
    // Storage refused (private mode): this page still gets the new URL from memory.
  }
  memory.set(eventId, version);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function useBannerUrl(eventId: string) {
  const version = useSyncExternalStore(
    subscribe,
    () => Math.max(memory.get(eventId) ?? 0, readVersion(eventId)),
    () => 0,
  );
  return `/api/events/${eventId}/banner?v=${version}`;
}

/**
 * The event's banner at 3:1, or nothing when it has none. Decorative (empty alt): the event's
 * name is always next to it in text.
 */
export function EventBanner({
  eventId,
  hasBanner,
  name,
  variant = "page",
  className = "",
}: {
  eventId: string;
  hasBanner: boolean;
  name: string;
  /** "strip": the short band across the top of an event card. */
  variant?: "page" | "strip";
  className?: string;
}) {
  const src = useBannerUrl(eventId);
  const [failed, setFailed] = useState<string | null>(null);
  if (!hasBanner || failed === src) return null;
  // The strip's width and corners come from the card it sits in.
  const shape = variant === "strip" ? "aspect-[5/1]" : "aspect-[3/1] w-full rounded-lg";
  return (
    <img
      src={src}
      alt=""
      data-banner-for={name}
      loading={variant === "strip" ? "lazy" : "eager"}
      decoding="async"
      onError={() => setFailed(src)}
      className={`block bg-zinc-200 object-cover dark:bg-zinc-800 ${shape} ${className}`}
    />
  );
}

async function checkImage(file: File): Promise<string | null> {
  if (file.size > BANNER_MAX_BYTES) return TOO_LARGE;
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  return sniffImageType(head) ? null : WRONG_TYPE;
}

/** Sends the banner with XMLHttpRequest, which (unlike fetch) reports upload progress. */
function sendBanner(eventId: string, file: File, onProgress: (percent: number) => void) {
  return new Promise<{ ok: boolean; body: { error?: string; version?: number } }>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/api/events/${eventId}/banner`);
    request.responseType = "json";
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    request.onload = () =>
      resolve({ ok: request.status >= 200 && request.status < 300, body: (request.response ?? {}) as { error?: string } });
    request.onerror = () => reject(new Error("network"));
    const body = new FormData();
    body.set("file", file);
    request.send(body);
  });
}

const OFFLINE = "We could not reach Driftwood. Check your connection and try again.";

/** For the event's organizer: choose, preview, upload or remove the banner. */
export function BannerUpload({ eventId, hasBanner }: { eventId: string; hasBanner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const currentUrl = useBannerUrl(eventId);
  const [chosen, setChosen] = useState<{ file: File; preview: string } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = progress !== null || removing;

  useEffect(() => {
    if (!chosen) return;
    return () => URL.revokeObjectURL(chosen.preview);
  }, [chosen]);

  async function refresh(version: number | undefined) {
    bumpVersion(eventId, version ?? Date.now());
    await queryClient.invalidateQueries(trpc.events.pathFilter());
  }

  function clearChoice() {
    setChosen(null);
    if (input.current) input.current.value = "";
  }

  async function onChoose(file: File | undefined) {
    setError(null);
    setChosen(null);
    if (!file) return;
    const problem = await checkImage(file);
    if (problem) {
      setError(problem);
      if (input.current) input.current.value = "";
      return;
    }
    setChosen({ file, preview: URL.createObjectURL(file) });
  }

  async function onUpload() {
    if (!chosen) return;
    setError(null);
    setProgress(0);
    try {
      const { ok, body } = await sendBanner(eventId, chosen.file, setProgress);
      if (!ok) {
        setError(body.error ?? "The upload did not work. Please try again.");
        return;
      }
      clearChoice();
      await refresh(body.version);
      toast.success("Banner updated");
    } catch {
      setError(OFFLINE);
    } finally {
      setProgress(null);
    }
  }

  async function onRemove() {
    setError(null);
    setRemoving(true);
    try {
      const response = await fetch(`/api/events/${eventId}/banner`, { method: "DELETE" });
      const body = (await response.json().catch(() => ({}))) as { error?: string; version?: number };
      if (!response.ok) {
        setError(body.error ?? "The banner could not be removed. Please try again.");
        return;
      }
      await refresh(body.version);
      toast.success("Banner removed");
    } catch {
      setError(OFFLINE);
    } finally {
      setRemoving(false);
    }
  }

  const status =
    progress !== null
      ? progress < 100
        ? `Uploading… ${progress}%`
        : "Saving…"
      : removing
        ? "Removing…"
        : chosen
          ? `${chosen.file.name}: ready to upload.`
          : null;

  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="w-full space-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm md:w-80 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id={`${id}-heading`} className="text-sm font-semibold">
        Banner
      </h2>
      {chosen ? (
        <img src={chosen.preview} alt="Preview of the new banner" className="aspect-[3/1] w-full rounded-md object-cover" />
      ) : hasBanner ? (
        <img
          src={currentUrl}
          alt="The current banner"
          className="aspect-[3/1] w-full rounded-md bg-zinc-200 object-cover dark:bg-zinc-800"
        />
      ) : (
        <div className="flex aspect-[3/1] w-full items-center justify-center rounded-md border border-dashed border-zinc-300 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No banner yet
        </div>
      )}
      <div className="space-y-1">
        <label htmlFor={`${id}-file`} className="block text-sm font-medium">
          Banner image
        </label>
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          aria-describedby={`${id}-help`}
          aria-invalid={error ? true : undefined}
          className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-zinc-200 file:px-3 file:py-2 file:text-sm file:font-semibold dark:file:bg-zinc-800 dark:file:text-zinc-100"
          disabled={busy}
          onChange={(event) => void onChoose(event.target.files?.[0])}
        />
        <p id={`${id}-help`} className="text-xs text-zinc-600 dark:text-zinc-400">
          PNG, JPEG, WebP or GIF, up to 2 MB. Shown at 3:1 (for example 1500 × 500), cropped to fit.
        </p>
      </div>
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-zinc-700 dark:text-zinc-300">
        {status}
      </p>
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        {chosen ? (
          <>
            <Button type="button" onClick={() => void onUpload()} disabled={busy}>
              {progress !== null ? "Uploading…" : "Upload banner"}
            </Button>
            <Button type="button" variant="ghost" onClick={clearChoice} disabled={busy}>
              Cancel
            </Button>
          </>
        ) : null}
        {hasBanner && !chosen ? (
          <Button type="button" variant="secondary" onClick={() => void onRemove()} disabled={busy}>
            {removing ? "Removing…" : "Remove banner"}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
