import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it, vi } from "vitest";
import { StorageKeyError } from "./file-store";
import { FirebaseFileStore, firebaseStorageConfig, type ObjectMetadata, type StorageBucket, type StorageObject } from "./firebase-store";

/**
 * There is no Cloud Storage emulator or network here, so these tests pin down what the store asks
 * of the @google-cloud/storage `File` API (names, options, metadata, clean-up) against an in-memory
 * fake; the real SDK is checked only by the type check in firebase-store.ts.
 */
function fakeBucket(options: { failWriteAfterBytes?: number; failSetMetadata?: boolean } = {}) {
  const objects = new Map<string, { data: Buffer; metadata: ObjectMetadata }>();
  const calls: Array<{ op: string; name: string; options?: unknown }> = [];
  const bucket: StorageBucket = {
    name: "driftwood-test.firebasestorage.app",
    file(name: string): StorageObject {
      return {
        createWriteStream(writeOptions) {
          calls.push({ op: "createWriteStream", name, options: writeOptions });
          const parts: Buffer[] = [];
          let size = 0;
          return new Writable({
            write(chunk: Buffer, _encoding, done) {
              size += chunk.length;
              if (options.failWriteAfterBytes !== undefined && size > options.failWriteAfterBytes) return done(new Error("network down"));
              parts.push(chunk);
              done();
            },
            // Like a single-request upload: the object exists only once the whole body arrived.
            final(done) {
              objects.set(name, { data: Buffer.concat(parts), metadata: { ...writeOptions.metadata, size: String(size) } });
              done();
            },
          });
        },
        createReadStream(readOptions) {
          calls.push({ op: "createReadStream", name, options: readOptions });
          const data = objects.get(name)!.data;
          return Readable.from([data.subarray(readOptions?.start ?? 0, (readOptions?.end ?? data.length - 1) + 1)]);
        },
        async getMetadata() {
          calls.push({ op: "getMetadata", name });
          const object = objects.get(name);
          if (!object) throw Object.assign(new Error("No such object"), { code: 404 });
          return [object.metadata];
        },
        async setMetadata(metadata) {
          calls.push({ op: "setMetadata", name, options: metadata });
          if (options.failSetMetadata) throw new Error("permission denied");
          const object = objects.get(name)!;
          object.metadata = { ...object.metadata, metadata: { ...object.metadata.metadata, ...metadata.metadata } };
        },
        async delete(deleteOptions) {
          calls.push({ op: "delete", name, options: deleteOptions });
          objects.delete(name);
        },
      };
    },
  };
  return { bucket, objects, calls };
}

const key = "evidence/0b6c1d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

describe("FirebaseFileStore against a fake bucket", () => {
  it("uploads in one streamed, non-resumable request with its type and metadata, then records the SHA-256", async () => {
    const { bucket, objects, calls } = fakeBucket();
    const store = new FirebaseFileStore(async () => bucket);
    const body = Buffer.from("frames of a clip");
    const stored = await store.put(key, Readable.from([body.subarray(0, 5), body.subarray(5)]), {
      contentType: "video/webm",
      metadata: { name: "clip.webm" },
    });
    const sha256 = createHash("sha256").update(body).digest("hex");
    expect(stored).toEqual({ key, contentType: "video/webm", size: body.length, sha256, metadata: { name: "clip.webm" } });
    expect(calls[0]).toEqual({
      op: "createWriteStream",
      name: key,
      options: { resumable: false, contentType: "video/webm", metadata: { contentType: "video/webm", metadata: { name: "clip.webm" } } },
    });
    expect(calls[1]).toEqual({ op: "setMetadata", name: key, options: { metadata: { sha256 } } });
    expect(objects.get(key)!.data).toEqual(body);
    expect(await store.stat(key)).toEqual(stored);
  });

  it("reads metadata back (size as Cloud Storage's string), the whole file or a range, and null for a missing object", async () => {
    const { bucket, calls } = fakeBucket();
    const store = new FirebaseFileStore(async () => bucket);
    await store.put(key, Buffer.from("0123456789"), { contentType: "image/png" });
    expect(await store.stat(key)).toMatchObject({ contentType: "image/png", size: 10 });
    const whole = await store.get(key);
    expect(whole).toMatchObject({ contentType: "image/png", size: 10 });
    expect(await text(whole!.stream)).toBe("0123456789");
    expect(calls.at(-1)).toEqual({ op: "createReadStream", name: key, options: undefined });
    expect(await text((await store.get(key, { start: 2, end: 99 }))!.stream)).toBe("23456789");
    expect(calls.at(-1)).toEqual({ op: "createReadStream", name: key, options: { start: 2, end: 9 } });
    expect(await text((await store.get(key, { start: 10, end: 12 }))!.stream)).toBe("");
    expect(await store.get("evidence/none")).toBeNull();
    expect(await store.stat("evidence/none")).toBeNull();
  });

  it("deletes what a failed upload or a failed metadata update may have left, and reports the failure", async () => {
    const network = fakeBucket({ failWriteAfterBytes: 4 });
    await expect(
      new FirebaseFileStore(async () => network.bucket).put(key, Buffer.from("0123456789"), { contentType: "image/png" }),
    ).rejects.toThrow("network down");
    expect(network.calls.at(-1)).toEqual({ op: "delete", name: key, options: { ignoreNotFound: true } });
    expect(network.objects.size).toBe(0);

    const metadata = fakeBucket({ failSetMetadata: true });
    await expect(
      new FirebaseFileStore(async () => metadata.bucket).put(key, Buffer.from("x"), { contentType: "image/png" }),
    ).rejects.toThrow("permission denied");
    expect(metadata.objects.size).toBe(0);
  });

  it("refuses bad keys before touching the bucket, and reserves the sha256 entry", async () => {
    const open = vi.fn(async () => fakeBucket().bucket);
    const store = new FirebaseFileStore(open);
    for (const bad of ["../x", "/abs", "a//b", ".hidden"]) {
      await expect(store.put(bad, Buffer.from("x"), { contentType: "image/png" })).rejects.toBeInstanceOf(StorageKeyError);
      await expect(store.get(bad)).rejects.toBeInstanceOf(StorageKeyError);
      await expect(store.delete(bad)).rejects.toBeInstanceOf(StorageKeyError);
    }
    expect(open).not.toHaveBeenCalled();
    await expect(store.put(key, Buffer.from("x"), { contentType: "image/png", metadata: { sha256: "forged" } })).rejects.toThrow();
  });

  it("opens the bucket once, and again after a failed attempt", async () => {
    const { bucket } = fakeBucket();
    const open = vi.fn<() => Promise<StorageBucket>>().mockRejectedValueOnce(new Error("no credentials")).mockResolvedValue(bucket);
    const store = new FirebaseFileStore(open);
    await expect(store.stat(key)).rejects.toThrow("no credentials");
    await store.stat(key);
    await store.stat(key);
    expect(open).toHaveBeenCalledTimes(2);
  });

  it("deleting a missing object is fine", async () => {
    const { bucket, calls } = fakeBucket();
    await new FirebaseFileStore(async () => bucket).delete(key);
    expect(calls).toEqual([{ op: "delete", name: key, options: { ignoreNotFound: true } }]);
  });
});

describe("firebaseStorageConfig", () => {
  const serviceAccount = {
    FIREBASE_PROJECT_ID: "driftwood-prod",
    FIREBASE_CLIENT_EMAIL: "sa@driftwood-prod.iam.gserviceaccount.com",
    FIREBASE_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----\\n",
  };

  it("is off without a bucket (local disk), and without credentials Cloud Storage accepts", () => {
    expect(firebaseStorageConfig({ ...serviceAccount, FIREBASE_STORAGE_BUCKET: undefined })).toBeNull();
    expect(
      firebaseStorageConfig({ FIREBASE_STORAGE_BUCKET: "b", FIREBASE_PROJECT_ID: "p", FIRESTORE_EMULATOR_HOST: "127.0.0.1:8080" }),
    ).toBeNull();
    expect(
      firebaseStorageConfig({
        FIREBASE_STORAGE_BUCKET: "b",
        FIREBASE_PROJECT_ID: "p",
        GOOGLE_APPLICATION_CREDENTIALS: "/k.json",
        FIRESTORE_EMULATOR_HOST: "127.0.0.1:8080",
      }),
    ).toBeNull();
    expect(firebaseStorageConfig({ FIREBASE_STORAGE_BUCKET: "b", GOOGLE_APPLICATION_CREDENTIALS: "/k.json" })).toBeNull();
  });

  it("is on with a bucket and a service account or application default credentials; gs:// is allowed", () => {
    expect(firebaseStorageConfig({ ...serviceAccount, FIREBASE_STORAGE_BUCKET: "gs://driftwood-prod.firebasestorage.app/" })).toMatchObject(
      {
        bucket: "driftwood-prod.firebasestorage.app",
        firebase: { projectId: "driftwood-prod", serviceAccount: { clientEmail: serviceAccount.FIREBASE_CLIENT_EMAIL } },
      },
    );
    expect(
      firebaseStorageConfig({ FIREBASE_STORAGE_BUCKET: "b", FIREBASE_PROJECT_ID: "p", GOOGLE_APPLICATION_CREDENTIALS: "/k.json" }),
    ).toMatchObject({
      bucket: "b",
      firebase: { projectId: "p", emulator: false },
    });
  });

  it("env.ts refuses a bucket without credentials at start-up", async () => {
    vi.resetModules();
    vi.stubEnv("FIREBASE_STORAGE_BUCKET", "driftwood-prod.firebasestorage.app");
    vi.stubEnv("FIREBASE_PROJECT_ID", "driftwood-prod");
    vi.stubEnv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8080");
    try {
      await expect(import("@/server/env")).rejects.toThrow(/FIREBASE_STORAGE_BUCKET: needs FIREBASE_PROJECT_ID and credentials/);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
