import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterAll, describe, expect, it } from "vitest";
import { assertStorageKey, SizeMismatchError, StorageKeyError } from "./file-store";
import { LocalFileStore } from "./local-store";
import { filesBelow } from "./testing";

const base = await mkdtemp(path.join(os.tmpdir(), "driftwood-local-store-"));
afterAll(() => rm(base, { recursive: true, force: true }));
let n = 0;
const freshStore = () => new LocalFileStore(path.join(base, `store-${++n}`, "uploads"));

describe("LocalFileStore", () => {
  it("puts, describes, reads, reads a range of, and deletes a file", async () => {
    const store = freshStore();
    const content = Buffer.from("hello, evidence");
    const stored = await store.put("evidence/a/b", content, { contentType: "text/plain", metadata: { name: "note.txt" } });
    expect(stored).toEqual({
      key: "evidence/a/b",
      contentType: "text/plain",
      size: content.length,
      sha256: createHash("sha256").update(content).digest("hex"),
      metadata: { name: "note.txt" },
    });
    expect(await store.stat("evidence/a/b")).toEqual(stored);
    const whole = await store.get("evidence/a/b");
    expect(whole).toMatchObject({ contentType: "text/plain", size: content.length });
    expect(await text(whole!.stream)).toBe("hello, evidence");
    expect(await text((await store.get("evidence/a/b", { start: 7, end: 14 }))!.stream)).toBe("evidence");
    expect(await text((await store.get("evidence/a/b", { start: 7, end: 999 }))!.stream)).toBe("evidence");
    expect(await text((await store.get("evidence/a/b", { start: 99, end: 120 }))!.stream)).toBe("");

    await store.delete("evidence/a/b");
    expect(await store.get("evidence/a/b")).toBeNull();
    expect(await store.stat("evidence/a/b")).toBeNull();
    await store.delete("evidence/a/b"); // twice is fine
    expect(await filesBelow(store.root)).toEqual([]);
  });

  it("streams Node streams, web streams and async iterables", async () => {
    const store = freshStore();
    await store.put("k/node", Readable.from([Buffer.from("a"), Buffer.from("b")]), { contentType: "x/y" });
    await store.put("k/web", new Response("web body").body!, { contentType: "x/y" });
    await store.put(
      "k/iter",
      (async function* () {
        yield new Uint8Array([49]);
        yield new Uint8Array([50]);
      })(),
      { contentType: "x/y" },
    );
    expect(await readFile(path.join(store.root, "k/node"), "utf8")).toBe("ab");
    expect(await readFile(path.join(store.root, "k/web"), "utf8")).toBe("web body");
    expect(await readFile(path.join(store.root, "k/iter"), "utf8")).toBe("12");
  });

  it("leaves nothing behind when the body fails midway or has the wrong size, and keeps an earlier file intact", async () => {
    const store = freshStore();
    await store.put("keep/me", Buffer.from("original"), { contentType: "text/plain" });
    const failing = (async function* () {
      yield Buffer.alloc(64 * 1024, 1);
      throw new Error("connection reset");
    })();
    await expect(store.put("keep/me", failing, { contentType: "text/plain" })).rejects.toThrow("connection reset");
    await expect(store.put("new/one", Buffer.from("12345"), { contentType: "text/plain", size: 4 })).rejects.toBeInstanceOf(
      SizeMismatchError,
    );
    await expect(store.put("new/two", Buffer.from("123"), { contentType: "text/plain", size: 4 })).rejects.toBeInstanceOf(
      SizeMismatchError,
    );
    expect(await filesBelow(store.root)).toEqual(["keep/.me.meta.json", "keep/me"]);
    expect(await text((await store.get("keep/me"))!.stream)).toBe("original");
  });

  it("serves a file with no sidecar (put there by hand) as opaque bytes", async () => {
    const store = freshStore();
    await store.put("seed/x", Buffer.from("x"), { contentType: "image/png" });
    await writeFile(path.join(store.root, "seed/by-hand"), "raw");
    expect(await store.stat("seed/by-hand")).toMatchObject({ contentType: "application/octet-stream", size: 3, sha256: "" });
  });

  it.each([
    "../outside",
    "a/../../outside",
    "a/..",
    "..",
    ".",
    "./a",
    "/etc/passwd",
    "a//b",
    "a/b/",
    "a\\..\\b",
    "..\\outside",
    ".hidden",
    "a/.b.meta.json",
    "a/%2e%2e/b",
    "a b",
    "a\0b",
    "",
    "x".repeat(513),
  ])("refuses the key %j and touches nothing", async (key) => {
    const store = freshStore();
    expect(() => assertStorageKey(key)).toThrow(StorageKeyError);
    await expect(store.put(key, Buffer.from("x"), { contentType: "text/plain" })).rejects.toBeInstanceOf(StorageKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(StorageKeyError);
    await expect(store.stat(key)).rejects.toBeInstanceOf(StorageKeyError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(StorageKeyError);
    expect(await filesBelow(path.dirname(store.root))).toEqual([]);
  });

  it("accepts the keys evidence uses", () => {
    expect(assertStorageKey("evidence/0b6c1d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")).toBeTruthy();
    expect(assertStorageKey("a/b.c/d_e-f")).toBe("a/b.c/d_e-f");
  });
});
