/**
 * The edges an attacker probes, over HTTP against the production build: forged client addresses,
 * oversized requests, headers, cross-origin writes, operational endpoints. A client that trips a
 * per-address limit connects from a loopback address of its own (127.0.0.2…), so the browser
 * tests (127.0.0.1) are not slowed.
 */
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { E2E_BASE_URL, E2E_STATE_FILE } from "./config";
import { expect, test } from "./fixtures";
import { rawRequest, streamRequest, trpcMutation } from "./raw-http";

const { metricsToken } = JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as { metricsToken: string };
const ownHost = new URL(E2E_BASE_URL).host;
const sibling = `http://shop.${ownHost.replace(/:\d+$/, "")}.nip.io`;

async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

async function residentBytes(): Promise<number> {
  const text = (await rawRequest("/api/metrics", { headers: { authorization: `Bearer ${metricsToken}` } })).body;
  return Number(text.match(/^process_resident_memory_bytes(?:\{[^}]*\})? (\d+(?:\.\d+)?(?:e\+\d+)?)$/m)?.[1]);
}

test.describe("client addresses", () => {
  test("a forged X-Forwarded-For does not escape the per-address sign-up limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const response = await trpcMutation(
        "account.signUp",
        { name: `Forger ${i}`, email: `forger-${crypto.randomUUID()}@example.test`, password: "correct horse battery" },
        { from: "127.0.0.2", headers: { "x-forwarded-for": `198.51.100.${i + 1}`, "x-real-ip": `203.0.113.${i + 1}` } },
      );
      statuses.push(response.status);
      if (response.status === 429) expect(response.body).toMatch(/Please try again in \d+ (minutes?|seconds?)/);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses[20]).toBe(429);
  });
});

test.describe("request size", () => {
  test("a tRPC body over 1 MB is refused in words, declared or chunked, and the memory is not kept", async () => {
    const before = await residentBytes();
    const total = 50 * 1024 * 1024;
    // A public procedure: nothing refuses the caller before its input is read.
    const send = (declare: boolean) => streamRequest("/api/trpc/account.signUp", { totalBytes: total, declare, from: "127.0.0.3" });
    const responses = await Promise.all([
      send(true),
      send(true),
      send(true),
      send(true),
      send(false),
      send(false),
      send(false),
      send(false),
    ]);
    for (const response of responses) {
      expect(response.status).toBe(413);
      expect(response.body).toContain("A request may carry at most 1 MB.");
      // Refused as soon as the limit was known, not after the whole 50 MB.
      expect(response.sentBytes).toBeLessThan(total);
    }
    // Had the bodies been read whole, 400 MB would have passed through the server's memory.
    expect((await residentBytes()) - before).toBeLessThan(150 * 1024 * 1024);
  });

  test("a tRPC batch of more than 20 calls is refused in words before any call runs", async () => {
    const calls = (n: number) => Array.from({ length: n }, () => "events.list").join(",");
    const input = (n: number) =>
      encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: {} }]))));
    const ok = await rawRequest(`/api/trpc/${calls(20)}?batch=1&input=${input(20)}`, { from: "127.0.0.3" });
    expect(ok.status).toBe(200);
    const refused = await rawRequest(`/api/trpc/${calls(300)}?batch=1&input=${input(1)}`, { from: "127.0.0.3" });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("A request may carry at most 20 calls; this one carried 300.");
  });
});

test.describe("security headers", () => {
  test("pages carry a nonce policy their own scripts satisfy, and refuse framing", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/");
    const headers = response!.headers();
    const policy = headers["content-security-policy"]!;
    const nonce = policy.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(policy).toContain("'strict-dynamic'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["strict-transport-security"]).toBeUndefined();
    // Every script tag the server sent carries this response's nonce (chunks loaded later are let in
    // by 'strict-dynamic'), and the page works.
    const scriptTags = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scriptTags.length).toBeGreaterThan(0);
    expect(scriptTags.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
    await page.getByRole("link", { name: "Sign in" }).click();
    await expect(page.getByLabel("Email")).toBeVisible();
    expect(violations).toEqual([]);

    // A fresh nonce per response.
    const again = (await rawRequest("/")).headers["content-security-policy"] as string;
    expect(again.match(/'nonce-([^']+)'/)?.[1]).not.toBe(nonce);
  });

  test("only the embeddable bracket may be framed; HSTS only over https; the API is nosniff", async () => {
    const embed = await rawRequest(`/embed/events/${crypto.randomUUID()}/bracket`);
    expect(embed.headers["x-frame-options"]).toBeUndefined();
    expect(embed.headers["content-security-policy"]).toContain("frame-ancestors *");
    const https = await rawRequest("/", { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    const api = await rawRequest("/api/health");
    expect(api.headers["x-content-type-options"]).toBe("nosniff");
    expect(api.headers["x-frame-options"]).toBe("DENY");
  });
});

test.describe("cross-origin writes", () => {
  test("another origin of the same site cannot change a signed-in user's data", async ({ makeUser, signedInPage }) => {
    const user = await makeUser();
    const page = await signedInPage(user);
    const cookie = await cookieHeader(page);
    const fromSibling = { cookie, origin: sibling, "sec-fetch-site": "same-site" };

    const trpc = await trpcMutation("account.removeAvatar", undefined, { headers: fromSibling });
    expect(trpc.status).toBe(403);
    expect(trpc.body).toContain("Changes can only be made from Driftwood");
    const form = await rawRequest("/api/avatar", {
      method: "POST",
      headers: { ...fromSibling, "content-type": "multipart/form-data; boundary=x" },
      body: "--x--\r\n",
    });
    expect(form.status).toBe(403);
    // Old browsers send only Origin.
    const originOnly = await trpcMutation("account.removeAvatar", undefined, { headers: { cookie, origin: sibling } });
    expect(originOnly.status).toBe(403);
    const upload = await rawRequest("/api/evidence", { method: "POST", headers: fromSibling, body: "x" });
    expect(upload.status).toBe(403);

    // The same call from the app's own pages goes through.
    const own = await trpcMutation("account.removeAvatar", undefined, {
      headers: { cookie, origin: E2E_BASE_URL, "sec-fetch-site": "same-origin" },
    });
    expect(own.status).toBe(200);
  });

  test("joining a lobby is a write, so a GET (an image tag on any page) cannot do it", async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { eventId: crypto.randomUUID() } }));
    const response = await rawRequest(`/api/trpc/chat.joinEventLobby?input=${input}`);
    expect(response.status).toBe(405);
  });
});

test.describe("operations", () => {
  test("metrics need the bearer token", async () => {
    expect((await rawRequest("/api/metrics")).status).toBe(401);
    expect((await rawRequest("/api/metrics", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await rawRequest("/api/metrics", { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("process_resident_memory_bytes");
  });
});
