import { describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { TRPC_MAX_BATCH, TRPC_MAX_BODY_BYTES } from "@/server/request-body";
import { createInnerContext } from "@/server/trpc";

const { db } = await createTestDatabase();
vi.mock("@/server/context", () => ({ createRequestContext: async () => createInnerContext({ db, user: null }) }));

const { POST } = await import("./route");

function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  return POST(
    new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      duplex: "half",
    } as RequestInit),
  );
}

/** The text sent in 64 KB pieces, with no declared length. */
function streamed(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 65_536));
      at += 65_536;
    },
  });
}

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { json: { message: string; data: { code: string } } } }).error.json;

describe("POST /api/trpc: request size", () => {
  it("reads a normal call as before", async () => {
    const response = await post("account.signUp", JSON.stringify({ json: { name: "x", email: "nope", password: "short" } }));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).data).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { name: ["Display name must be at least 2 characters."] },
    });
  });

  it("refuses a body over the limit in words, whether its length is declared or it streams", async () => {
    const huge = JSON.stringify({ json: { name: "x".repeat(TRPC_MAX_BODY_BYTES), email: "a@b.test", password: "longenough" } });
    for (const response of [await post("account.signUp", huge), await post("account.signUp", streamed(huge))]) {
      expect(response.status).toBe(413);
      expect(await errorOf(response)).toMatchObject({ message: "A request may carry at most 1 MB.", data: { code: "PAYLOAD_TOO_LARGE" } });
    }
  });

  it("refuses a batch of more calls than a page makes", async () => {
    const paths = Array.from({ length: TRPC_MAX_BATCH + 1 }, () => "account.signUp").join(",");
    const response = await post(`${paths}?batch=1`, JSON.stringify({}));
    expect(response.status).toBe(400);
    const [first] = (await response.json()) as Array<{ error: { json: { message: string } } }>;
    expect(first!.error.json.message).toBe(`A request may carry at most ${TRPC_MAX_BATCH} calls; this one carried ${TRPC_MAX_BATCH + 1}.`);
  });
});
