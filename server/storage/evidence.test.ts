import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { fieldErrorsOf, Invalid, PayloadTooLarge } from "@/server/errors";
import { httpStatusOf } from "@/server/trpc";
import { canViewEvidence, deleteEvidence, describeEvidence, displayFileName, parseEvidenceId, saveEvidence } from "./evidence";
import { EVIDENCE_IMAGE_MAX_BYTES, EVIDENCE_VIDEO_MAX_BYTES } from "./evidence-type";
import type { FileStore } from "./file-store";
import { LocalFileStore } from "./local-store";
import { filesBelow, impostors, lazyFile, lazyWebStream, samples } from "./testing";

const base = await mkdtemp(path.join(os.tmpdir(), "driftwood-evidence-"));
afterAll(() => rm(base, { recursive: true, force: true }));
let n = 0;
const freshStore = () => new LocalFileStore(path.join(base, `store-${++n}`));
const uploader = "0b6c1d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
const someoneElse = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
/** No dispute has any file attached (the attached cases are tested in server/disputes with a real database). */
const db = { execute: async () => [] } as unknown as Db;

/**
 * The domain error an upload was refused with (server/errors.ts): Invalid for the form's file field
 * (400), or PayloadTooLarge (413).
 */
async function refusal(promise: Promise<unknown>): Promise<Invalid | PayloadTooLarge> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(
    [Invalid, PayloadTooLarge].some((kind) => error instanceof kind),
    String(error),
  ).toBe(true);
  return error as Invalid | PayloadTooLarge;
}

/** The refusal as the route answers it, and the field the form shows it beside. */
const answered = (error: Invalid | PayloadTooLarge) => ({ status: httpStatusOf(error), fieldErrors: fieldErrorsOf(error) });

describe("saveEvidence", () => {
  it.each([
    ["png", "image/png", "screenshot.png"],
    ["jpeg", "image/jpeg", "photo.jpg"],
    ["webp", "image/webp", "capture.webp"],
    ["mp4", "video/mp4", "clip.mp4"],
    ["webm", "video/webm", "clip.webm"],
  ] as const)("stores a %s under the uploader's folder with its sniffed type, size and SHA-256", async (sample, type, name) => {
    const store = freshStore();
    const bytes = samples[sample];
    const saved = await saveEvidence(store, { uploaderId: uploader, stream: bytes, declaredName: name, declaredSize: bytes.length });
    expect(saved).toMatchObject({ contentType: type, size: bytes.length, originalName: name });
    expect(saved.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(saved.evidenceId).toMatch(new RegExp(`^${uploader}_[0-9a-f-]{36}$`));
    expect(saved.key).toBe(parseEvidenceId(saved.evidenceId)!.key);
    expect(saved.key.startsWith(`evidence/${uploader}/`)).toBe(true);
    expect(await readFile(path.join(store.root, saved.key))).toEqual(bytes);
    expect(await describeEvidence(store, saved.evidenceId)).toEqual({
      evidenceId: saved.evidenceId,
      uploaderId: uploader,
      contentType: type,
      size: bytes.length,
      sha256: saved.sha256,
      name,
    });
  });

  it("goes by the content, not the name: a PNG called clip.mp4 is a PNG", async () => {
    const saved = await saveEvidence(freshStore(), { uploaderId: uploader, stream: samples.png, declaredName: "clip.mp4" });
    expect(saved.contentType).toBe("image/png");
  });

  it.each(["elf", "pe", "script", "zip", "gif", "svg", "html", "quicktime", "matroska"] as const)(
    "refuses a renamed %s with a clear message and stores nothing",
    async (name) => {
      const store = freshStore();
      const error = await refusal(saveEvidence(store, { uploaderId: uploader, stream: impostors[name], declaredName: "screenshot.png" }));
      expect(error.message).toBe("That file is not a PNG, JPEG, WebP, MP4 or WebM image or video.");
      expect(error).toBeInstanceOf(Invalid);
      expect(answered(error)).toEqual({ status: 400, fieldErrors: { files: [error.message] } });
      expect(await filesBelow(store.root)).toEqual([]);
    },
  );

  it("refuses an empty upload", async () => {
    const error = await refusal(saveEvidence(freshStore(), { uploaderId: uploader, stream: new Uint8Array() }));
    expect(error.message).toBe("Choose a file to upload.");
    expect(answered(error)).toEqual({ status: 400, fieldErrors: { files: ["Choose a file to upload."] } });
  });

  it("cuts off a PNG of 10 MB + 1 byte while it streams, and leaves no file behind", async () => {
    const store = freshStore();
    const { stream, counter } = lazyFile(samples.png, EVIDENCE_IMAGE_MAX_BYTES + 1);
    // No Content-Length to go by: only the count of bytes read can catch it.
    const error = await refusal(saveEvidence(store, { uploaderId: uploader, stream }));
    expect(error).toBeInstanceOf(PayloadTooLarge);
    expect(error.message).toBe("Images can be at most 10 MB.");
    expect(answered(error)).toEqual({ status: 413, fieldErrors: null });
    expect(counter.produced).toBe(EVIDENCE_IMAGE_MAX_BYTES + 1); // read up to the byte too many, not one chunk more
    expect(await filesBelow(store.root)).toEqual([]);
  });

  it("stores an image of exactly 10 MB", async () => {
    const store = freshStore();
    const { stream } = lazyFile(samples.png, EVIDENCE_IMAGE_MAX_BYTES);
    const saved = await saveEvidence(store, { uploaderId: uploader, stream });
    expect(saved.size).toBe(EVIDENCE_IMAGE_MAX_BYTES);
    await deleteEvidence(store, saved.evidenceId);
    expect(await filesBelow(store.root)).toEqual([]);
  });

  it("cuts off a video of 100 MB + 1 byte, generated 1 MB at a time, and leaves no file behind", async () => {
    const store = freshStore();
    const { body, counter } = lazyWebStream(samples.mp4, EVIDENCE_VIDEO_MAX_BYTES + 1);
    const heapBefore = process.memoryUsage().heapUsed;
    const error = await refusal(saveEvidence(store, { uploaderId: uploader, stream: body, declaredName: "final.mp4" }));
    expect(error).toBeInstanceOf(PayloadTooLarge);
    expect(error.message).toBe("Videos can be at most 100 MB.");
    expect(counter.produced).toBeLessThanOrEqual(EVIDENCE_VIDEO_MAX_BYTES + 1024 * 1024);
    // Streamed, not gathered: far less than the file's size stayed on the heap.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    expect(await filesBelow(store.root)).toEqual([]);
  });

  it("lets a video be larger than an image may be", async () => {
    const store = freshStore();
    const { stream } = lazyFile(samples.webm, EVIDENCE_IMAGE_MAX_BYTES + 5);
    const saved = await saveEvidence(store, { uploaderId: uploader, stream });
    expect(saved).toMatchObject({ contentType: "video/webm", size: EVIDENCE_IMAGE_MAX_BYTES + 5 });
  });

  it("refuses an announced oversize after the first bytes, without reading the rest", async () => {
    const store = freshStore();
    const { stream, counter } = lazyFile(samples.jpeg, 50 * 1024 * 1024);
    const error = await refusal(saveEvidence(store, { uploaderId: uploader, stream, declaredSize: 50 * 1024 * 1024 }));
    expect(error.message).toBe("Images can be at most 10 MB.");
    expect(counter.produced).toBeLessThanOrEqual(samples.jpeg.length + 1024 * 1024);
    expect(await filesBelow(store.root)).toEqual([]);
  });

  it("calls a body that breaks off an interrupted upload, and leaves nothing", async () => {
    const store = freshStore();
    const breaking = (async function* () {
      yield samples.png;
      yield new Uint8Array(300_000);
      throw new Error("socket hang up");
    })();
    const error = await refusal(saveEvidence(store, { uploaderId: uploader, stream: breaking }));
    expect(error).toBeInstanceOf(Invalid);
    expect(error.message).toBe("The upload did not finish. Please try again.");
    expect(answered(error).status).toBe(400);
    expect(await filesBelow(store.root)).toEqual([]);
  });

  it("passes a store failure on as it is (not the user's fault), after cleaning up", async () => {
    const deleted: string[] = [];
    const broken: FileStore = {
      kind: "local",
      put: async () => {
        throw new Error("disk full");
      },
      stat: async () => null,
      get: async () => null,
      delete: async (key) => {
        deleted.push(key);
      },
    };
    await expect(saveEvidence(broken, { uploaderId: uploader, stream: samples.png })).rejects.toThrow("disk full");
    expect(deleted).toHaveLength(1);
  });
});

describe("evidence ids and access", () => {
  it("parses only well-formed ids", () => {
    expect(parseEvidenceId(`${uploader}_${someoneElse}`)).toEqual({ uploaderId: uploader, key: `evidence/${uploader}/${someoneElse}` });
    for (const bad of [
      "",
      uploader,
      `${uploader}/${someoneElse}`,
      `../${uploader}_${someoneElse}`,
      `${uploader}_${someoneElse}/..`,
      `${uploader}_x`,
    ]) {
      expect(parseEvidenceId(bad), bad).toBeNull();
    }
  });

  it("lets only the uploader see a file not attached to a dispute", async () => {
    const id = `${uploader}_${someoneElse}`;
    expect(await canViewEvidence(db, { id: uploader, role: "player" }, id)).toBe(true);
    expect(await canViewEvidence(db, { id: someoneElse, role: "player" }, id)).toBe(false);
    expect(await canViewEvidence(db, { id: someoneElse, role: "admin" }, id)).toBe(false);
    expect(await canViewEvidence(db, null, id)).toBe(false);
    expect(await canViewEvidence(db, { id: uploader, role: "player" }, "evidence/whatever")).toBe(false);
  });

  it("describes nothing for a missing file or a bad id", async () => {
    const store = freshStore();
    expect(await describeEvidence(store, `${uploader}_${someoneElse}`)).toBeNull();
    expect(await describeEvidence(store, "../../etc/passwd")).toBeNull();
  });
});

describe("displayFileName", () => {
  it.each([
    ["screenshot.png", "screenshot.png"],
    ["C:\\Users\\me\\Desktop\\clip.mp4", "clip.mp4"],
    ["../../etc/passwd", "passwd"],
    ["invoice\u202egnp.exe", "invoicegnp.exe"],
    ["  spaced \t\n name .webm ", "spaced name .webm"],
    ["...hidden.png", "hidden.png"],
    ["bell\u0007.png", "bell.png"],
    ["", "evidence"],
    [null, "evidence"],
    ["/", "evidence"],
  ])("%j → %j", (raw, shown) => {
    expect(displayFileName(raw)).toBe(shown);
  });

  it("shortens a long name to 120 characters and keeps its extension", () => {
    const shown = displayFileName(`${"é".repeat(300)}.webm`);
    expect(Array.from(shown)).toHaveLength(120);
    expect(shown.endsWith("é.webm")).toBe(true);
  });
});
