import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { App } from "firebase-admin/app";
import type { Storage } from "firebase-admin/storage";
import { env, type Env } from "@/server/env";
import { firebaseServerConfig, type FirebaseServerConfig } from "@/server/live/firebase";
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

/** The few facts of a Cloud Storage object this store reads (a subset of @google-cloud/storage's FileMetadata). */
export interface ObjectMetadata {
  contentType?: string;
  size?: string | number;
  metadata?: { [name: string]: string | boolean | number | null };
}

/** The calls this store makes on a Cloud Storage object; a real `File` has them (checked below), tests pass a fake. */
export interface StorageObject {
  createWriteStream(options: { resumable: boolean; contentType: string; metadata: ObjectMetadata }): Writable;
  createReadStream(options?: { start?: number; end?: number }): Readable;
  getMetadata(): Promise<[ObjectMetadata, ...unknown[]]>;
  setMetadata(metadata: ObjectMetadata): Promise<unknown>;
  delete(options: { ignoreNotFound: boolean }): Promise<unknown>;
}

export interface StorageBucket {
  readonly name: string;
  file(name: string): StorageObject;
}

// Fails to compile if firebase-admin's Bucket stops fitting what this store calls.
type RealBucket = ReturnType<Storage["bucket"]>;
export const bucketFits = (bucket: RealBucket): StorageBucket => bucket;

/** Which bucket, with which Firebase app settings; null when Firebase Storage is not configured. */
export interface FirebaseStorageConfig {
  bucket: string;
  firebase: FirebaseServerConfig;
}

type StorageEnv = Pick<
  Env,
  | "FIREBASE_STORAGE_BUCKET"
  | "FIREBASE_PROJECT_ID"
  | "FIREBASE_CLIENT_EMAIL"
  | "FIREBASE_PRIVATE_KEY"
  | "GOOGLE_APPLICATION_CREDENTIALS"
  | "FIRESTORE_EMULATOR_HOST"
>;

/**
 * Firebase Storage is used when FIREBASE_STORAGE_BUCKET is set and the Firebase app has real
 * credentials: a service account, or GOOGLE_APPLICATION_CREDENTIALS without FIRESTORE_EMULATOR_HOST
 * (with the emulator, createFirebaseApp gives the app no credential, and firebase-admin's Storage
 * refuses an app without one). env.ts refuses a bucket without such credentials at start-up.
 */
export function firebaseStorageConfig(source: StorageEnv = env): FirebaseStorageConfig | null {
  const bucket = source.FIREBASE_STORAGE_BUCKET?.replace(/^gs:\/\//, "").replace(/\/+$/, "");
  if (!bucket) return null;
  const firebase = firebaseServerConfig(source);
  const credentials = firebase?.serviceAccount || (source.GOOGLE_APPLICATION_CREDENTIALS && !firebase?.emulator);
  if (!firebase || !credentials) return null;
  return { bucket, firebase };
}

const isNotFound = (error: unknown) => (error as { code?: unknown } | null)?.code === 404;

/** Strings only: Cloud Storage may hand back custom metadata values of other types. */
function customMetadata(metadata: ObjectMetadata["metadata"]): { sha256: string; metadata: Record<string, string> } {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata ?? {})) if (typeof value === "string") strings[name] = value;
  const { sha256 = "", ...rest } = strings;
  return { sha256, metadata: rest };
}

/**
 * Files in a Cloud Storage for Firebase bucket; the object name is the key. Uploads stream in one
 * non-resumable request (no temporary object: the object exists only once the upload completed and
 * its checksum matched), then the SHA-256 computed on the way is added to the object's metadata.
 */
export class FirebaseFileStore implements FileStore {
  readonly kind = "firebase" as const;
  private bucketPromise?: Promise<StorageBucket>;

  /** `bucket` is asked for on first use, so a process that never stores a file never loads firebase-admin. */
  constructor(private readonly openBucket: () => Promise<StorageBucket>) {}

  private async file(key: string): Promise<StorageObject> {
    assertStorageKey(key);
    this.bucketPromise ??= this.openBucket().catch((error: unknown) => {
      this.bucketPromise = undefined;
      throw error;
    });
    return (await this.bucketPromise).file(key);
  }

  async put(key: string, body: FileBody, options: PutOptions): Promise<StoredFile> {
    const metadata = assertMetadata(options.metadata);
    if ("sha256" in metadata) throw new Error("sha256 is the store's own metadata entry");
    const file = await this.file(key);
    const meter = new ByteMeter(options.size);
    try {
      await pipeline(
        meter.pass(body),
        file.createWriteStream({
          resumable: false,
          contentType: options.contentType,
          metadata: { contentType: options.contentType, metadata },
        }),
      );
      const sha256 = meter.sha256();
      // Custom metadata is merged by Cloud Storage, so this adds sha256 beside the entries above.
      await file.setMetadata({ metadata: { sha256 } });
      return { key, contentType: options.contentType, size: meter.size, sha256, metadata };
    } catch (error) {
      // A failed single-request upload creates no object; one that failed after it (setMetadata)
      // did, and must not be left behind half-described.
      await file.delete({ ignoreNotFound: true }).catch(() => {});
      throw error;
    }
  }

  async stat(key: string): Promise<StoredFile | null> {
    const file = await this.file(key);
    let described: ObjectMetadata;
    try {
      [described] = await file.getMetadata();
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    return {
      key,
      contentType: described.contentType || "application/octet-stream",
      size: Number(described.size ?? 0),
      ...customMetadata(described.metadata),
    };
  }

  async get(key: string, range?: ByteRange): Promise<FileRead | null> {
    const stored = await this.stat(key);
    if (!stored) return null;
    const file = await this.file(key);
    const { contentType, size } = stored;
    const part = range ? clampRange(range, size) : undefined;
    if (part === null) return { stream: Readable.from([]), contentType, size };
    return { stream: file.createReadStream(part), contentType, size };
  }

  async delete(key: string): Promise<void> {
    const file = await this.file(key);
    await file.delete({ ignoreNotFound: true });
  }
}

/** The store for `config`, on this process's shared firebase-admin app (the one Firestore uses). */
export function createFirebaseFileStore(config: FirebaseStorageConfig, openApp: () => Promise<App>): FirebaseFileStore {
  return new FirebaseFileStore(async () => {
    const app = await openApp();
    const { getStorage } = await import("firebase-admin/storage");
    return getStorage(app).bucket(config.bucket);
  });
}
