import { createHash, type Hash } from "node:crypto";
import type { Readable } from "node:stream";

/** What a store accepts: a Node stream, a web stream (e.g. `request.body`), any async iterable of bytes, or bytes. */
export type FileBody = Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array;

export interface PutOptions {
  /** The type the file is served with; callers pass a sniffed type, never a browser's claim. */
  contentType: string;
  /** The expected byte count, when known: a body of another length fails the put and stores nothing. */
  size?: number;
  /** Small string facts kept with the file (names `[A-Za-z0-9_-]`, values up to 1,024 characters). */
  metadata?: Record<string, string>;
}

export interface StoredFile {
  key: string;
  contentType: string;
  size: number;
  /** Hex SHA-256 of the content, computed by the store while writing. */
  sha256: string;
  metadata: Record<string, string>;
}

/** Bytes `start` to `end` (both inclusive) of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** `range` within a file of `size` bytes (its end cut to the last byte); null when no byte of it is in the file. */
export function clampRange(range: ByteRange, size: number): ByteRange | null {
  const end = Math.min(range.end, size - 1);
  return range.start < 0 || range.start > end ? null : { start: range.start, end };
}

export interface FileRead {
  /** The whole file, or only the range asked for. */
  stream: Readable;
  contentType: string;
  /** The size of the whole file. */
  size: number;
}

/**
 * Where uploaded files live: local disk by default, Firebase Storage when configured (see
 * `fileStore()` in ./provider). Keys are slash-separated paths checked by `assertStorageKey`; a put is
 * all or nothing (a failed or refused body leaves no file behind) and never holds a whole file in memory.
 */
export interface FileStore {
  readonly kind: "local" | "firebase";
  put(key: string, body: FileBody, options: PutOptions): Promise<StoredFile>;
  /** The file's facts without its bytes; null when there is no such file. */
  stat(key: string): Promise<StoredFile | null>;
  /** The file's bytes as a stream (or bytes `range.start`..`range.end`, clamped to the file); null when there is no such file. */
  get(key: string, range?: ByteRange): Promise<FileRead | null>;
  /** Removes the file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A URL the browser can fetch the file from directly, for stores that can serve files themselves.
   * Neither store offers one: evidence is private and is served by app/api/evidence/[evidenceId]
   * after an access check, with headers that stop a browser from running it.
   */
  url?(key: string): Promise<string>;
}

export class StorageKeyError extends Error {
  constructor(key: string) {
    super(`Not a valid storage key: ${JSON.stringify(key.slice(0, 80))}`);
    this.name = "StorageKeyError";
  }
}

// A segment starts with a letter or digit, so ".", "..", hidden files and the store's own
// ".name.meta.json" / ".name.*.tmp" files can never be named by a key.
const KEY_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_KEY_LENGTH = 512;

/**
 * Refuses any key that could leave the store's folder or name something other than a plain file:
 * only `segment/segment/...` of letters, digits, dot, dash and underscore, no empty segments, no
 * backslashes, no "..". Keys are refused rather than cleaned, so two different keys never collide.
 */
export function assertStorageKey(key: string): string {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) throw new StorageKeyError(String(key));
  for (const segment of key.split("/")) {
    if (!KEY_SEGMENT.test(segment)) throw new StorageKeyError(key);
  }
  return key;
}

const METADATA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function assertMetadata(metadata: Record<string, string> = {}): Record<string, string> {
  for (const [name, value] of Object.entries(metadata)) {
    if (!METADATA_NAME.test(name) || typeof value !== "string" || value.length > 1024) {
      throw new Error(`Invalid file metadata entry ${JSON.stringify(name)}`);
    }
  }
  return { ...metadata };
}

export class SizeMismatchError extends Error {
  constructor(expected: number, actual: number) {
    super(`Expected ${expected} bytes but the body had ${actual}${actual > expected ? " or more" : ""}.`);
    this.name = "SizeMismatchError";
  }
}

/** The bytes of `body` one chunk at a time, whichever of the accepted forms it comes in. */
export async function* chunksOf(body: FileBody): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  if (typeof (body as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Stops the producer when the consumer gives up early (a refused upload).
      await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
  }
}

/** Counts and hashes the bytes a store writes, and holds the body to its declared size. */
export class ByteMeter {
  size = 0;
  private readonly hash: Hash = createHash("sha256");

  constructor(private readonly expectedSize?: number) {}

  async *pass(body: FileBody): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunksOf(body)) {
      this.size += chunk.byteLength;
      if (this.expectedSize !== undefined && this.size > this.expectedSize) throw new SizeMismatchError(this.expectedSize, this.size);
      this.hash.update(chunk);
      yield chunk;
    }
    if (this.expectedSize !== undefined && this.size !== this.expectedSize) throw new SizeMismatchError(this.expectedSize, this.size);
  }

  sha256(): string {
    return this.hash.digest("hex");
  }
}
