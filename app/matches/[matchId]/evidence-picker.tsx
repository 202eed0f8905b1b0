"use client";

import { useCallback, useId, useRef, useState } from "react";

export const ACCEPT = "image/png,image/jpeg,image/webp,video/mp4,video/webm";
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/webp"]);
const VIDEO_TYPES = new Set(["video/mp4", "video/webm"]);
const MB = 1024 * 1024;

/** The server's own words, checked in the browser first so nobody waits on a doomed upload. */
export function checkFile(file: { type: string; size: number }): string | null {
  if (IMAGE_TYPES.has(file.type)) return file.size > 10 * MB ? "Images can be at most 10 MB." : null;
  if (VIDEO_TYPES.has(file.type)) return file.size > 100 * MB ? "Videos can be at most 100 MB." : null;
  return "That file is not a PNG, JPEG, WebP, MP4 or WebM image or video.";
}

interface Upload {
  key: string;
  name: string;
  size: number;
  /** 0..1 while uploading. */
  progress: number;
  state: "uploading" | "done" | "error";
  evidenceId?: string;
  error?: string;
}

function upload(file: File, onProgress: (fraction: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/evidence");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: { evidenceId?: string; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON: fall through to the generic message
      }
      if (xhr.status === 201 && body.evidenceId) resolve(body.evidenceId);
      else reject(new Error(body.error ?? "The upload failed. Please try again."));
    };
    xhr.onerror = () => reject(new Error("We could not reach Driftwood. Check your connection and try again."));
    xhr.send(file);
  });
}

function size(bytes: number) {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * Evidence files: each uploads as soon as it is chosen, with its own progress bar. The form asks
 * `ids()` for the uploaded ones and `busy` tells it to wait.
 */
export function useEvidence() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const add = useCallback((files: FileList | null) => {
    const update = (key: string, patch: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));
    for (const file of Array.from(files ?? [])) {
      const key = crypto.randomUUID();
      const problem = checkFile(file);
      setUploads((list) => [
        ...list,
        { key, name: file.name, size: file.size, progress: 0, state: problem ? "error" : "uploading", error: problem ?? undefined },
      ]);
      if (problem) continue;
      upload(file, (progress) => update(key, { progress }))
        .then((evidenceId) => update(key, { state: "done", progress: 1, evidenceId }))
        .catch((error: unknown) => update(key, { state: "error", error: error instanceof Error ? error.message : String(error) }));
    }
  }, []);
  const remove = (key: string) => setUploads((list) => list.filter((u) => u.key !== key));
  const reset = () => setUploads([]);
  return {
    uploads,
    add,
    remove,
    reset,
    busy: uploads.some((u) => u.state === "uploading"),
    ids: () => uploads.filter((u) => u.state === "done" && u.evidenceId).map((u) => u.evidenceId!),
  };
}

export function EvidencePicker({ evidence, label = "Evidence (optional)" }: { evidence: ReturnType<typeof useEvidence>; label?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="space-y-2">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        ref={input}
        id={id}
        type="file"
        accept={ACCEPT}
        multiple
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          evidence.add(event.target.files);
          if (input.current) input.current.value = "";
        }}
        className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-zinc-900 hover:file:bg-zinc-100 dark:file:border-zinc-700 dark:file:bg-zinc-800 dark:file:text-zinc-100"
      />
      <p id={`${id}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
        Screenshots (PNG, JPEG, WebP up to 10 MB) or clips (MP4, WebM up to 100 MB).
      </p>
      {evidence.uploads.length > 0 ? (
        <ul className="space-y-2" aria-label="Evidence files">
          {evidence.uploads.map((u) => (
            <li key={u.key} className="rounded-md border border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800">
              <div className="flex items-center justify-between gap-2">
                <span className="min-w-0 truncate font-medium">{u.name}</span>
                <span className="shrink-0 text-zinc-600 dark:text-zinc-400">
                  {size(u.size)} ·{" "}
                  {u.state === "uploading"
                    ? `uploading ${Math.round(u.progress * 100)}%`
                    : u.state === "done"
                      ? "uploaded"
                      : "not attached"}
                </span>
              </div>
              {u.state === "uploading" || u.state === "done" ? (
                <progress className="mt-1 h-1.5 w-full accent-brand-500" max={1} value={u.progress} aria-label={`Upload of ${u.name}`} />
              ) : null}
              {u.error ? <p className="mt-1 font-medium text-red-700 dark:text-red-400">{u.error}</p> : null}
              {u.state !== "uploading" ? (
                <button type="button" className="mt-1 text-xs underline" onClick={() => evidence.remove(u.key)}>
                  Remove {u.name}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
