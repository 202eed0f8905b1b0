import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { type FileHandle, mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  assertMetadata,
  assertStorageKey,
  ByteMeter,
  type ByteRange,
  clampRange,
  type FileBody,
  type FileRead,
  type FileStore,
  type PutOptions,
  type StoredFile,
} from "./file-store";

interface Sidecar {
  contentType: string;
  size: number;
  sha256: string;
  metadata: Record<string, string>;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === "ENOENT";

/**
 * Files on local disk under `root` (by default $DATA_DIR/uploads). Each file `a/b/c` has a sidecar
 * `a/b/.c.meta.json` with its type, size, hash and metadata; keys cannot name either kind of dot
 * file. A put streams into `a/b/.c.<uuid>.tmp`, fsyncs it and renames it into place, so a reader
 * sees the whole file or none of it.
 */
export class LocalFileStore implements FileStore {
  readonly kind = "local" as const;
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file's path; throws StorageKeyError for a key that could point anywhere else. */
  pathOf(key: string): string {
    assertStorageKey(key);
    const file = path.resolve(this.root, ...key.split("/"));
    // Belt and braces: the key check already rules out anything that resolves outside the root.
    if (!file.startsWith(this.root + path.sep)) throw new Error("storage key escaped its root");
    return file;
  }

  private sidecarOf(file: string): string {
    return path.join(path.dirname(file), `.${path.basename(file)}.meta.json`);
  }

  async put(key: string, body: FileBody, options: PutOptions): Promise<StoredFile> {
    const file = this.pathOf(key);
    const metadata = assertMetadata(options.metadata);
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true });
    const unique = randomUUID();
    const temp = path.join(dir, `.${path.basename(file)}.${unique}.tmp`);
    const sidecarTemp = path.join(dir, `.${path.basename(file)}.${unique}.meta.tmp`);
    const meter = new ByteMeter(options.size);
    // flush: fsync before close, so the rename below never publishes a file still in the page cache.
    const out = createWriteStream(temp, { flags: "wx", mode: 0o600, flush: true });
    try {
      await pipeline(meter.pass(body), out);
      const sidecar: Sidecar = { contentType: options.contentType, size: meter.size, sha256: meter.sha256(), metadata };
      await writeFile(sidecarTemp, JSON.stringify(sidecar), { flag: "wx", mode: 0o600, flush: true });
      await rename(sidecarTemp, this.sidecarOf(file));
      await rename(temp, file);
      return { key, ...sidecar };
    } catch (error) {
      // A write stream destroyed while its file is still opening creates the file afterwards: wait
      // for it to close, or the temporary file would outlive this clean-up.
      if (!out.closed) await once(out, "close").catch(() => {});
      await Promise.all([rm(temp, { force: true }), rm(sidecarTemp, { force: true })]);
      throw error;
    }
  }

  async stat(key: string): Promise<StoredFile | null> {
    const opened = await this.openFile(key);
    if (!opened) return null;
    await opened.handle.close();
    return opened.stored;
  }

  async get(key: string, range?: ByteRange): Promise<FileRead | null> {
    const opened = await this.openFile(key);
    if (!opened) return null;
    const { handle, stored } = opened;
    const { contentType, size } = stored;
    const part = range ? clampRange(range, size) : undefined;
    if (part === null) {
      await handle.close();
      return { stream: Readable.from([]), contentType, size };
    }
    // The stream owns the handle from here and closes it when done or destroyed.
    return { stream: handle.createReadStream(part ?? {}), contentType, size };
  }

  /** The open file and its facts; null when missing. One open, so the facts and bytes are of the same file. */
  private async openFile(key: string): Promise<{ handle: FileHandle; stored: StoredFile } | null> {
    const file = this.pathOf(key);
    let handle: FileHandle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      return { handle, stored: { key, ...(await this.readSidecar(file, size)) } };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await Promise.all([rm(file, { force: true }), rm(this.sidecarOf(file), { force: true })]);
  }

  private async readSidecar(file: string, size: number): Promise<Sidecar> {
    try {
      const sidecar = JSON.parse(await readFile(this.sidecarOf(file), "utf8")) as Partial<Sidecar>;
      return {
        contentType: typeof sidecar.contentType === "string" ? sidecar.contentType : "application/octet-stream",
        size,
        sha256: typeof sidecar.sha256 === "string" ? sidecar.sha256 : "",
        metadata: sidecar.metadata && typeof sidecar.metadata === "object" ? sidecar.metadata : {},
      };
    } catch (error) {
      // A file put there by hand: serve it, but as opaque bytes.
      if (isMissing(error) || error instanceof SyntaxError)
        return { contentType: "application/octet-stream", size, sha256: "", metadata: {} };
      throw error;
    }
  }
}
