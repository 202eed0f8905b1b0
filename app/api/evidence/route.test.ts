import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";
import { sessionCookieFor } from "@/server/accounts/testing";
import { EVIDENCE_IMAGE_MAX_BYTES } from "@/server/storage/evidence-type";
import { LocalFileStore } from "@/server/storage/local-store";
import { setFileStoreForTesting } from "@/server/storage/provider";
import { filesBelow, impostors, lazyWebStream, samples } from "@/server/storage/testing";

const database = await createTestDatabase();
vi.mock("@/server/database", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/database")>()),
  getDb: async () => database.db,
}));

const { POST } = await import("./route");
const { GET } = await import("./[evidenceId]/route");

const root = await mkdtemp(path.join(os.tmpdir(), "driftwood-evidence-route-"));
const store = new LocalFileStore(root);
setFileStoreForTesting(store);
afterAll(async () => {
  setFileStoreForTesting(undefined);
  await rm(root, { recursive: true, force: true });
});

const cookieFor = sessionCookieFor;

function upload(body: BodyInit | null, headers: Record<string, string> = {}) {
  return POST(new Request("http://localhost/api/evidence", { method: "POST", body, headers, duplex: "half" } as RequestInit));
}

function download(evidenceId: string, headers: Record<string, string> = {}) {
  return GET(new Request(`http://localhost/api/evidence/${evidenceId}`, { headers }), { params: Promise.resolve({ evidenceId }) });
}

let player: SessionUser;
let other: SessionUser;
let playerCookie: string;
let otherCookie: string;

beforeAll(async () => {
  player = await createUser(database.db);
  other = await createUser(database.db);
  playerCookie = await cookieFor(player);
  otherCookie = await cookieFor(other);
});

describe("POST /api/evidence", () => {
  it("is 401 for a signed-out caller, and stores nothing", async () => {
    const response = await upload(samples.png, { "content-type": "image/png" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Please sign in first." });
    expect(await filesBelow(root)).toEqual([]);
  });

  it("stores a PNG sent as the raw body: 201 with its id, sniffed type, size and the name from X-File-Name", async () => {
    const response = await upload(samples.png, {
      cookie: playerCookie,
      "content-type": "application/octet-stream",
      "x-file-name": encodeURIComponent("Écran final.png"),
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({
      evidenceId: expect.stringMatching(new RegExp(`^${player.id}_[0-9a-f-]{36}$`)),
      contentType: "image/png",
      size: samples.png.length,
      name: "Écran final.png",
    });
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("is 400 with the plain message for a renamed executable, and stores nothing", async () => {
    const before = await filesBelow(root);
    const response = await upload(impostors.elf, { cookie: playerCookie, "content-type": "image/png", "x-file-name": "screenshot.png" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toEqual({ error: "That file is not a PNG, JPEG, WebP, MP4 or WebM image or video." });
    expect(await filesBelow(root)).toEqual(before);
  });

  it("is 413 naming the limit for a streamed image past 10 MB, and stores nothing", async () => {
    const before = await filesBelow(root);
    const { body, counter } = lazyWebStream(samples.png, EVIDENCE_IMAGE_MAX_BYTES + 1);
    const response = await upload(body, { cookie: playerCookie });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "Images can be at most 10 MB." });
    expect(counter.produced).toBeLessThanOrEqual(EVIDENCE_IMAGE_MAX_BYTES + 1024 * 1024);
    expect(await filesBelow(root)).toEqual(before);
  });

  it("is 400 for an empty body, never a 500", async () => {
    const response = await upload(null, { cookie: playerCookie });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Choose a file to upload." });
  });

  it("is 429 after 30 uploads in 10 minutes by the same user", async () => {
    const busy = await createUser(database.db);
    const cookie = await cookieFor(busy);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await upload(samples.jpeg, { cookie })).status);
    expect(statuses).toEqual(Array(30).fill(201));
    const refused = await upload(samples.jpeg, { cookie });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatch(/^Too many uploads\. Please try again in \d+ minutes?\.$/);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    // Someone else is not held up.
    expect((await upload(samples.jpeg, { cookie: otherCookie })).status).toBe(201);
  });
});

describe("POST /api/evidence: the daily quota (50 files or 200 MB per 24 hours)", () => {
  const MB = 1024 * 1024;
  /** Uploads the user made earlier, as the rows the quota counts. */
  async function uploadedBefore(user: SessionUser, uploads: Array<{ size: number; hoursAgo: number }>) {
    for (const { size, hoursAgo } of uploads) {
      await database.db.execute(sql`insert into evidence_uploads (evidence_id, uploader_id, size, created_at)
        values (${`${user.id}_${crypto.randomUUID()}`}, ${user.id}, ${size}, now() - make_interval(hours => ${hoursAgo}))`);
    }
  }

  it("allows the 50th file of the day and refuses the 51st with 429, the wait in words, and before reading the body", async () => {
    const busy = await createUser(database.db);
    const cookie = await cookieFor(busy);
    await uploadedBefore(
      busy,
      Array.from({ length: 49 }, () => ({ size: 1000, hoursAgo: 21 })),
    );
    expect((await upload(samples.jpeg, { cookie })).status).toBe(201);

    const before = await filesBelow(root);
    const { body, counter } = lazyWebStream(samples.png, 2 * MB);
    const refused = await upload(body, { cookie });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: "You have uploaded 50 evidence files in the last 24 hours, the most allowed. You can upload more in 3 hours.",
    });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3 * 3600 - 120);
    expect(retryAfter).toBeLessThanOrEqual(3 * 3600);
    // At most the first chunk the stream queued by itself: the 2 MB behind it were never asked for.
    expect(counter.produced).toBeLessThanOrEqual(samples.png.length);
    expect(await filesBelow(root)).toEqual(before);
    // Uploads older than 24 hours do not count, and nor do other users'.
    const rested = await createUser(database.db);
    await uploadedBefore(
      rested,
      Array.from({ length: 60 }, () => ({ size: 1000, hoursAgo: 25 })),
    );
    expect((await upload(samples.jpeg, { cookie: await cookieFor(rested) })).status).toBe(201);
    expect((await upload(samples.jpeg, { cookie: otherCookie })).status).toBe(201);
  });

  it("refuses with 429 once 200 MB were uploaded in 24 hours, and with 413 a file larger than what is left", async () => {
    const full = await createUser(database.db);
    await uploadedBefore(full, [
      { size: 100 * MB, hoursAgo: 22 },
      { size: 100 * MB, hoursAgo: 1 },
    ]);
    const refused = await upload(samples.png, { cookie: await cookieFor(full) });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: "You have uploaded 200 MB of evidence in the last 24 hours, the most allowed. You can upload more in 2 hours.",
    });

    const nearly = await createUser(database.db);
    const cookie = await cookieFor(nearly);
    await uploadedBefore(nearly, [{ size: 199 * MB, hoursAgo: 1 }]);
    const before = await filesBelow(root);
    const { body, counter } = lazyWebStream(samples.png, 2 * MB);
    const tooMuch = await upload(body, { cookie });
    expect(tooMuch.status).toBe(413);
    expect(await tooMuch.json()).toEqual({
      error: "You can upload 1 MB more evidence now (at most 200 MB in 24 hours), and that file is larger.",
    });
    expect(counter.produced).toBeLessThanOrEqual(2 * MB);
    expect(await filesBelow(root)).toEqual(before);
    // The refused file did not count; a small one still fits.
    expect((await upload(samples.png, { cookie })).status).toBe(201);
  });
});

describe("GET /api/evidence/[evidenceId]", () => {
  let evidenceId: string;

  beforeAll(async () => {
    const response = await upload(samples.webm, { cookie: playerCookie, "x-file-name": "clip.webm" });
    evidenceId = (await response.json()).evidenceId;
  });

  it("streams the bytes back to the uploader with headers that keep the browser from running them", async () => {
    const response = await download(evidenceId, { cookie: playerCookie });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(samples.webm);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "video/webm",
      "content-disposition": "inline",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; media-src 'self'; img-src 'self'",
      "content-length": String(samples.webm.length),
      "accept-ranges": "bytes",
    });
  });

  it("answers a range request with 206 and the part asked for, and 416 past the end", async () => {
    const response = await download(evidenceId, { cookie: playerCookie, range: "bytes=4-7" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 4-7/${samples.webm.length}`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(samples.webm.subarray(4, 8));
    const past = await download(evidenceId, { cookie: playerCookie, range: `bytes=${samples.webm.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${samples.webm.length}`);
  });

  it("is 401 signed out and 404 for someone else, a missing file or a malformed id", async () => {
    expect((await download(evidenceId)).status).toBe(401);
    const foreign = await download(evidenceId, { cookie: otherCookie });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: "We could not find that file." });
    expect((await download(`${player.id}_${crypto.randomUUID()}`, { cookie: playerCookie })).status).toBe(404);
    for (const bad of ["..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", `evidence/${player.id}/x`, "x"]) {
      expect((await download(bad, { cookie: playerCookie })).status, bad).toBe(404);
    }
  });
});
