import { describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/server/accounts/roles";
import { IMPORT_MAX_BYTES } from "@/server/registration/import";

const organizer: SessionUser = {
  id: crypto.randomUUID(),
  name: "Org",
  email: "org@example.test",
  role: "organizer",
  image: null,
  emailVerified: true,
};
vi.mock("@/server/accounts/session", () => ({ getCurrentUser: async () => organizer }));
vi.mock("@/server/database", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/database")>()),
  getDb: async () => {
    throw new Error("A refused upload must not reach the database.");
  },
}));

const { POST } = await import("./route");

describe("POST /api/organizer/events/:eventId/import", () => {
  it("a file declared larger than the limit is refused in words, before a byte of it is read", async () => {
    const eventId = crypto.randomUUID();
    let pulled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request(`http://localhost/api/organizer/events/${eventId}/import?mode=participants`, {
      method: "POST",
      body,
      headers: { "content-type": "text/csv", "content-length": String(IMPORT_MAX_BYTES + 1) },
      duplex: "half",
    } as RequestInit);
    const response = await POST(request, { params: Promise.resolve({ eventId }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "That file is larger than 2 MB. Split it into smaller files." });
    expect(pulled).toBe(false);
  });
});
