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

/** Why a file did not upload, in the player's words: what was wrong and whether trying again can help. */
export type UploadProblem = "too_large" | "wrong_type" | "network" | "refused";

interface Upload {
  key: string;
  /** Kept until the statement is posted, so a failed upload can be tried again. */
  file: File;
  name: string;
  size: number;
  /** 0..1 while uploading. */
  progress: number;
  state: "uploading" | "done" | "error";
  evidenceId?: string;
  error?: string;
  problem?: UploadProblem;
}

class UploadError extends Error {
  constructor(
    message: string,
    readonly problem: UploadProblem,
  ) {
    super(message);
  }
}

/** The browser's own check, as a problem kind: the server's words for the same refusal. */
function problemOf(file: { type: string; size: number }): UploadProblem | null {
  if (!checkFile(file)) return null;
  return IMAGE_TYPES.has(file.type) || VIDEO_TYPES.has(file.type) ? "too_large" : "wrong_type";
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
      else {
        const problem: UploadProblem =
          xhr.status === 413 ? "too_large" : xhr.status === 400 || xhr.status === 415 ? "wrong_type" : "refused";
        reject(new UploadError(body.error ?? "The upload failed. Please try again.", problem));
      }
    };
    xhr.onerror = () => reject(new UploadError("We could not reach Driftwood. Check your connection and try again.", "network"));
    xhr.send(file);
  });
}

function size(bytes: number) {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const problemWords: Record<UploadProblem, string> = {
  too_large: "it is too large",
  wrong_type: "it is not a file type we take",
  network: "the connection failed",
  refused: "Driftwood could not take it",
};

/** "scoreboard.png did not upload (the connection failed)": which file, and why, in one line. */
export function failureLine(upload: { name: string; problem?: UploadProblem }) {
  return `${upload.name} did not upload (${problemWords[upload.problem ?? "refused"]}).`;
}

/** Trying again helps after a dropped connection or a refusal of the moment, never for a file the rules refuse. */
const retryable = (u: Upload) => u.state === "error" && (u.problem === "network" || u.problem === "refused");

/**
 * Evidence files: each uploads as soon as it is chosen, with its own progress bar. A statement
 * goes out with all of its files or not at all: `blocker` says, in words, what the form waits for
 * (uploads still running, or files that did not upload and must be retried or removed), and
 * `ids()` are the uploaded files once there is none.
 */
export function useEvidence() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const update = useCallback(
    (key: string, patch: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u))),
    [],
  );
  const send = useCallback(
    (key: string, file: File) => {
      upload(file, (progress) => update(key, { progress }))
        .then((evidenceId) => update(key, { state: "done", progress: 1, evidenceId, error: undefined, problem: undefined }))
        .catch((error: unknown) =>
          update(key, {
            state: "error",
            error: error instanceof Error ? error.message : String(error),
            problem: error instanceof UploadError ? error.problem : "refused",
          }),
        );
    },
    [update],
  );
  const add = useCallback(
    (files: FileList | null) => {
      for (const file of Array.from(files ?? [])) {
        const key = crypto.randomUUID();
        const problem = problemOf(file);
        setUploads((list) => [
          ...list,
          {
            key,
            file,
            name: file.name,
            size: file.size,
            progress: 0,
            state: problem ? "error" : "uploading",
            error: checkFile(file) ?? undefined,
            problem: problem ?? undefined,
          },
        ]);
        if (!problem) send(key, file);
      }
    },
    [send],
  );
  const retry = (key: string) => {
    const target = uploads.find((u) => u.key === key);
    if (!target || !retryable(target)) return;
    update(key, { state: "uploading", progress: 0, error: undefined, problem: undefined });
    send(key, target.file);
  };
  const remove = (key: string) => setUploads((list) => list.filter((u) => u.key !== key));
  const reset = () => setUploads([]);
  const uploading = uploads.filter((u) => u.state === "uploading").length;
  const failed = uploads.filter((u) => u.state === "error");
  return {
    uploads,
    add,
    retry,
    remove,
    reset,
    busy: uploading > 0,
    /** What the submit button waits for, in words; null when every kept file is uploaded. */
    waitingFor:
      uploading > 0
        ? `Waiting for ${uploading === 1 ? "1 file" : `${uploading} files`} to upload…`
        : failed.length > 0
          ? `Waiting on ${failed.length === 1 ? failed[0]!.name : `${failed.length} files`} (retry or remove ${failed.length === 1 ? "it" : "them"})`
          : null,
    /** Why the form cannot be sent yet, naming each file that did not upload; null when it can. */
    blocker:
      failed.length > 0
        ? `${failed.map(failureLine).join(" ")} Nothing was posted: retry or remove ${failed.length === 1 ? "it" : "them"} first.`
        : uploading > 0
          ? "Your files are still uploading."
          : null,
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
              {u.state === "error" ? (
                <p className="mt-1 font-medium text-red-700 dark:text-red-400">
                  {failureLine(u)} {u.error}
                </p>
              ) : null}
              {u.state !== "uploading" ? (
                <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                  {retryable(u) ? (
                    <button type="button" className="text-xs font-semibold underline" onClick={() => evidence.retry(u.key)}>
                      Retry {u.name}
                    </button>
                  ) : null}
                  <button type="button" className="text-xs underline" onClick={() => evidence.remove(u.key)}>
                    Remove {u.name}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
