import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import type { SessionUser } from "./accounts/roles";
import { metrics } from "./metrics";
import { setMetricsDatabase } from "./metrics-database";
import { appRouter } from "./root";
import { createInnerContext } from "./trpc";

const { db } = await createTestDatabase();
// A scrape reads gauges from the database: this file's, never the app's own.
setMetricsDatabase(db);

/** Calls the real HTTP handler, so the error formatter and transformer are part of the test. */
async function post(path: string, input: unknown, user: SessionUser | null = null, ip?: string) {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    }),
    router: appRouter,
    createContext: () => createInnerContext({ db, user, ip }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { json: { message: string; data: Record<string, unknown> } } },
  };
}

describe("the API answers bad input in words, per field", () => {
  it("sign-up with every field wrong: 400 with a message for each field", async () => {
    const { status, body } = await post("account.signUp", { name: "x", email: "nope", password: "short" });
    expect(status).toBe(400);
    expect(body.error?.json.data).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: {
        name: ["Display name must be at least 2 characters."],
        email: ["Enter a valid email address, like name@example.com."],
        password: ["Password must be at least 8 characters."],
      },
    });
  });

  it("a duplicate email is a field error on email", async () => {
    const existing = await createUser(db);
    const { status, body } = await post("account.signUp", { name: "Copycat", email: existing.email, password: "long enough" });
    expect(status).toBe(400);
    expect(body.error?.json.data.fieldErrors).toEqual({ email: ["An account with this email already exists. Sign in instead?"] });
  });

  it("a missing body is BAD_REQUEST, not a crash, and no stack trace is sent", async () => {
    const { status, body } = await post("account.signUp", undefined);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts/);
  });

  it("an unknown procedure is NOT_FOUND", async () => {
    const { status } = await post("account.doesNotExist", {});
    expect(status).toBe(404);
  });

  it("a guest calling a signed-in procedure is 401, a player calling an admin one 403", async () => {
    expect((await post("account.updateProfile", { name: "Hi there", country: "", handles: {} })).status).toBe(401);
    const player = await createUser(db);
    expect((await post("admin.setRole", { userId: player.id, role: "admin" }, player)).status).toBe(403);
  });

  it("an internal failure is a 500 with a plain message and no detail", async () => {
    const closed = await import("@/db/client").then(({ connect }) => connect("postgres://nobody:nothing@127.0.0.1:1/none"));
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/games.list"),
      router: appRouter,
      createContext: () => createInnerContext({ db: closed.db, user: null }),
    });
    const body = await response.json();
    expect(response.status).toBe(500);
    expect(body.error.json.message).toBe("Something went wrong on our side. Please try again in a moment.");
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|stack/);
    await closed.close();
  });
});

describe("sign-up limit", () => {
  it("allows twenty accounts an hour from one address, then answers 429 in words", async () => {
    const ip = "198.51.100.7";
    for (let i = 0; i < 20; i++) {
      const { status } = await post(
        "account.signUp",
        { name: `Bulk ${i}`, email: `bulk${i}@example.test`, password: "long enough" },
        null,
        ip,
      );
      expect(status).toBe(200);
    }
    const refused = await post("account.signUp", { name: "Bulk 21", email: "bulk21@example.test", password: "long enough" }, null, ip);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.json.message).toMatch(/^Too many attempts\. Please try again in (60|59) minutes\.$/);
    const elsewhere = await post(
      "account.signUp",
      { name: "Other", email: "other-ip@example.test", password: "long enough" },
      null,
      "198.51.100.8",
    );
    expect(elsewhere.status).toBe(200);
  });
});

describe("metrics", () => {
  it("count calls and time them per procedure and result", async () => {
    // Read the number out at once: prom-client hands back its live objects.
    const badRequests = async () =>
      (await metrics.trpcRequests.get()).values.find((v) => v.labels.procedure === "account.signUp" && v.labels.code === "BAD_REQUEST")
        ?.value ?? 0;
    const before = await badRequests();
    await post("account.signUp", { name: "x", email: "bad", password: "x" });
    expect((await badRequests()) - before).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/driftwood_trpc_request_duration_seconds_count\{[^}]*procedure="account.signUp"/);
  });
});
