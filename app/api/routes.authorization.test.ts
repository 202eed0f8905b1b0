import { mkdtemp, rm } from "node:fs/promises";
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { games } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createOpenEvent, createUser } from "@/server/testing/factories";
import { config as proxyConfig, proxy } from "@/proxy";
import type { SessionUser } from "@/server/accounts/roles";
import { setAvatar } from "@/server/accounts/service";
import { sessionCookieFor } from "@/server/accounts/testing";
import { env } from "@/server/env";
import { setEventBanner } from "@/server/events/banner";
import { PEER_HEADER } from "@/server/http";
import { createHub } from "@/server/live/hub";
import { metricsAccess } from "@/server/metrics-access";
import { uploadEvidence } from "@/server/storage/evidence-uploads";
import { LocalFileStore } from "@/server/storage/local-store";
import { setFileStoreForTesting } from "@/server/storage/provider";
import { samples } from "@/server/storage/testing";
import { createTeam, setTeamLogo } from "@/server/teams/service";

/**
 * Who may call each route handler under app/api: the HTTP counterpart of server/authorization.test.ts.
 * Every route.ts is found on disk and every HTTP method it exports must be listed here, so a new
 * handler (or a new method on an old one) fails this test until someone decides who may call it.
 */

const database = await createTestDatabase();
const hub = createHub(database);

/** The caller getCurrentUser() answers with (Auth.js's auth() needs a Next.js request scope). */
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));

vi.mock("@/server/database", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/database")>()),
  getDb: async () => database.db,
  getDatabase: async () => database,
}));
vi.mock("@/server/live/hub", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/live/hub")>()),
  getHub: async () => hub,
}));
// next-auth's ESM imports "next/server" without an extension, which Node cannot load outside Next.js;
// its handlers are listed here, never called.
vi.mock("@/server/accounts/auth", () => {
  const notCalled = async (): Promise<never> => {
    throw new Error("Auth.js is not called by this test");
  };
  return {
    handlers: { GET: notCalled, POST: notCalled },
    auth: notCalled,
    signIn: notCalled,
    signOut: notCalled,
    unstable_update: notCalled,
  };
});
vi.mock("@/server/accounts/session", () => ({
  getCurrentUser: async () => session.user,
  requireUser: async () => {
    throw new Error("requireUser is for pages: a route handler answers 401/403 itself");
  },
}));

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

type Caller = "anonymous" | "player" | "organizer" | "admin";
const everyone: Caller[] = ["anonymous", "player", "organizer", "admin"];
const signedIn: Caller[] = ["player", "organizer", "admin"];
const organizers: Caller[] = ["organizer", "admin"];

/** Real resources owned by someone who is none of the four callers (its owner is checked too). */
type Resource =
  | "a user's avatar"
  | "a published event's banner"
  | "a draft event's banner"
  | "an event someone else organizes"
  | "a team's logo"
  | "a team someone else captains"
  | "evidence someone else uploaded";

/** Who may still act on someone else's resource (besides its owner), and what the others are told. */
type OnResource = { on: Resource; allowed: Caller[]; refused?: 403 | 404 };

type RequestSpec = { body?: () => BodyInit; headers?: Record<string, string>; query?: string };

type Rule =
  /**
   * Decided by the signed-in user: `allowed` get past the route's sign-in and role checks (with
   * random ids they typically end at 400/404); anonymous callers outside it get 401, signed-in
   * ones 403. `resources` are the per-resource checks behind those.
   */
  | ({ kind: "caller"; allowed: Caller[]; resources?: OnResource[] } & RequestSpec)
  /** Auth.js's own handlers (sign-in, callbacks, CSRF): not called here. */
  | { kind: "auth.js" }
  /**
   * No role: only a renewal ticket signed for the caller's own session changes anything, which
   * Auth.js's jwt callback checks (server/accounts/session-renewal.ts, sessions.test.ts); here, a
   * request without one is refused before Auth.js is asked.
   */
  | { kind: "renewal ticket" }
  /** Per procedure, in server/authorization.test.ts; here only its cross-site refusal. */
  | { kind: "tRPC" }
  /** METRICS_TOKEN's bearer when set, else a client on this machine; never a session. */
  | { kind: "metrics" }
  /** No session: Stripe's signature over the raw body, else 400. */
  | { kind: "stripe signature" }
  /** Per topic (server/live/topics.ts); refused topics are named, 403 only when none is left. */
  | { kind: "live topics"; topics: Array<{ follow: LiveTopic; allowed: Caller[] }> };

type LiveTopic = "a published event" | "a draft event (and its organizer)" | "another user's topic" | "the caller's own user topic";

const access = (allowed: Caller[], options: Omit<Extract<Rule, { kind: "caller" }>, "kind" | "allowed"> = {}): Rule => ({
  kind: "caller",
  allowed,
  ...options,
});

const imageUpload = () => {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(samples.png)], "pixel.png", { type: "image/png" }));
  return form;
};
const othersEvent = (refused: 403 | 404 = 403): OnResource => ({ on: "an event someone else organizes", allowed: ["admin"], refused });

const routeTable: Record<string, Partial<Record<Method, Rule>>> = {
  "/api/auth/[...nextauth]": { GET: { kind: "auth.js" }, POST: { kind: "auth.js" } },
  "/api/avatar": { POST: access(signedIn, { body: imageUpload }) },
  "/api/avatars/[userId]": { GET: access(everyone, { resources: [{ on: "a user's avatar", allowed: everyone }] }) },
  "/api/events/[eventId]/banner": {
    GET: access(everyone, {
      resources: [
        { on: "a published event's banner", allowed: everyone },
        // A draft's banner is as absent as a missing one for everyone but its organizer and admins.
        { on: "a draft event's banner", allowed: ["admin"], refused: 404 },
      ],
    }),
    // No role check at the door: the event's organizer or an admin (lockOwnEvent); a random id is 404.
    POST: access(signedIn, { body: imageUpload, resources: [othersEvent()] }),
    DELETE: access(signedIn, { resources: [othersEvent()] }),
  },
  "/api/evidence": { POST: access(signedIn, { body: () => new Uint8Array(samples.png), headers: { "x-file-name": "pixel.png" } }) },
  "/api/evidence/[evidenceId]": {
    // Its uploader, or (once attached to a dispute) the match's parties, organizer and admins; else 404.
    GET: access(signedIn, { resources: [{ on: "evidence someone else uploaded", allowed: [], refused: 404 }] }),
  },
  "/api/health": { GET: access(everyone) },
  "/api/session/renew": { POST: { kind: "renewal ticket" } },
  "/api/live": {
    GET: {
      kind: "live topics",
      topics: [
        { follow: "a published event", allowed: everyone },
        { follow: "a draft event (and its organizer)", allowed: ["admin"] },
        { follow: "another user's topic", allowed: [] },
        { follow: "the caller's own user topic", allowed: signedIn },
      ],
    },
  },
  "/api/metrics": { GET: { kind: "metrics" } },
  "/api/organizer/events/[eventId]/import": {
    POST: access(organizers, {
      query: "mode=participants",
      headers: { "content-type": "text/csv" },
      body: () => "email\nnot-an-email\n",
      resources: [othersEvent()],
    }),
  },
  "/api/organizer/events/[eventId]/registrations": { GET: access(organizers, { resources: [othersEvent()] }) },
  "/api/teams/[teamId]/logo": {
    GET: access(everyone, { resources: [{ on: "a team's logo", allowed: everyone }] }),
    // Its captain only: not even an admin.
    POST: access(signedIn, { body: imageUpload, resources: [{ on: "a team someone else captains", allowed: [], refused: 403 }] }),
  },
  "/api/trpc/[trpc]": { GET: { kind: "tRPC" }, POST: { kind: "tRPC" } },
  "/api/wallet/export": { GET: access(signedIn) },
  "/api/webhooks/stripe": { POST: { kind: "stripe signature" } },
};

// --- the route handlers, as they are on disk -----------------------------------------------------

const apiDir = path.dirname(fileURLToPath(import.meta.url));
const routeFiles = (readdirSync(apiDir, { recursive: true }) as string[]).filter((entry) => path.basename(entry) === "route.ts").sort();
const handlers: Record<string, Partial<Record<Method, Handler>>> = {};
for (const file of routeFiles) {
  const route = `/api/${path.dirname(file).split(path.sep).join("/")}`;
  const module = (await import(/* @vite-ignore */ path.join(apiDir, file))) as Record<string, unknown>;
  handlers[route] = Object.fromEntries(METHODS.filter((m) => typeof module[m] === "function").map((m) => [m, module[m] as Handler]));
}

const listed = (table: Record<string, Partial<Record<Method, unknown>>>) =>
  Object.entries(table)
    .flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method} ${route}`))
    .sort();

// --- callers and resources -------------------------------------------------------------------------

const users: Record<Caller, SessionUser | null> = { anonymous: null, player: null, organizer: null, admin: null };
const owners = {} as Record<Resource, SessionUser>;
const resourceIds = {} as Record<Resource, string>;
let publishedEventId: string;
let draftEventId: string;
let eventOwner: SessionUser;
let stranger: SessionUser;

const storeRoot = await mkdtemp(path.join(os.tmpdir(), "driftwood-route-authz-"));
setFileStoreForTesting(new LocalFileStore(storeRoot));

beforeAll(async () => {
  users.player = await createUser(database.db, { role: "player" });
  users.organizer = await createUser(database.db, { role: "organizer" });
  users.admin = await createUser(database.db, { role: "admin" });
  eventOwner = await createUser(database.db, { role: "organizer" });
  stranger = await createUser(database.db, { role: "player" });
  const captain = await createUser(database.db, { role: "player" });

  const [game] = await database.db
    .insert(games)
    .values({ slug: `g-${crypto.randomUUID()}`, name: "Authz Game", handleLabel: "Tag" })
    .returning();
  const base = { organizerId: eventOwner.id, gameId: game!.id };
  const image = { type: "image/png", data: samples.png };
  const withBanner = (await createOpenEvent(database.db, base)).id;
  draftEventId = (await createOpenEvent(database.db, base, { status: "draft", publishedAt: null })).id;
  publishedEventId = (await createOpenEvent(database.db, base)).id;
  await setEventBanner(database.db, eventOwner, withBanner, image);
  await setEventBanner(database.db, eventOwner, draftEventId, image);
  await setAvatar(database.db, stranger.id, image);
  const team = await createTeam(database.db, captain, { name: `Authz ${crypto.randomUUID().slice(0, 6)}`, tag: "AZ" });
  await setTeamLogo(database.db, captain.id, team.id, image);
  const evidence = await uploadEvidence(database.db, new LocalFileStore(storeRoot), {
    uploaderId: stranger.id,
    stream: new Response(new Uint8Array(samples.png)).body!,
    declaredName: "theirs.png",
  });

  const own = (resource: Resource, owner: SessionUser, id: string) => {
    owners[resource] = owner;
    resourceIds[resource] = id;
  };
  own("a user's avatar", stranger, stranger.id);
  own("a published event's banner", eventOwner, withBanner);
  own("a draft event's banner", eventOwner, draftEventId);
  own("an event someone else organizes", eventOwner, publishedEventId);
  own("a team's logo", captain, team.id);
  own("a team someone else captains", captain, team.id);
  own("evidence someone else uploaded", stranger, evidence.evidenceId);
});

afterAll(async () => {
  setFileStoreForTesting(undefined);
  await rm(storeRoot, { recursive: true, force: true });
  await hub.close();
});

/** A value for a dynamic segment that names nothing (evidence ids are `<uploader>_<file>`). */
const randomSegment = (name: string) => (name === "evidenceId" ? `${crypto.randomUUID()}_${crypto.randomUUID()}` : crypto.randomUUID());

/** The route's URL path and Next 16's params, every dynamic segment set to `id` (or a random one). */
function target(route: string, id?: string) {
  const params: Record<string, string> = {};
  const url = route.replace(/\[([^\]]+)\]/g, (_, name: string) => (params[name] = id ?? randomSegment(name)));
  return { url, params };
}

async function cookieHeader(user: SessionUser | null): Promise<Record<string, string>> {
  return user ? { cookie: await sessionCookieFor(user) } : {};
}

/** Calls the real handler as `user`: through getCurrentUser() and through the session cookie alike. */
async function callAs(user: SessionUser | null, route: string, method: Method, spec: RequestSpec, id?: string): Promise<number> {
  const { url, params } = target(route, id);
  const request = new Request(`http://localhost${url}${spec.query ? `?${spec.query}` : ""}`, {
    method,
    headers: { ...spec.headers, ...(await cookieHeader(user)) },
    body: spec.body?.(),
  });
  session.user = user;
  try {
    const response = await handlers[route]![method]!(request, { params: Promise.resolve(params) });
    await response.body?.cancel();
    return response.status;
  } finally {
    session.user = null;
  }
}

function expectAllowed(status: number) {
  expect([401, 403]).not.toContain(status);
  expect(status, "an allowed caller ends in an answer, not a server error").toBeLessThan(500);
}

// --- the tests -------------------------------------------------------------------------------------

describe("route authorization table", () => {
  it("lists every method of every route handler under app/api, and nothing else", () => {
    expect(listed(routeTable)).toEqual(listed(handlers));
  });

  for (const [route, methods] of Object.entries(routeTable)) {
    for (const [method, rule] of Object.entries(methods) as Array<[Method, Rule]>) {
      if (rule.kind !== "caller") continue;
      describe(`${method} ${route}`, () => {
        for (const as of everyone) {
          const allowed = rule.allowed.includes(as);
          it(`as ${as}: ${allowed ? "allowed" : "refused"}`, async () => {
            const status = await callAs(users[as], route, method, rule);
            if (allowed) expectAllowed(status);
            else expect(status).toBe(as === "anonymous" ? 401 : 403);
          });
        }
        for (const { on, allowed: mayStill, refused = 403 } of rule.resources ?? []) {
          it(`on ${on}: its owner and ${mayStill.join(", ") || "nobody else"}`, async () => {
            expectAllowed(await callAs(owners[on], route, method, rule, resourceIds[on]));
            for (const as of everyone) {
              const status = await callAs(users[as], route, method, rule, resourceIds[on]);
              if (mayStill.includes(as)) expectAllowed(status);
              else expect(status, as).toBe(as === "anonymous" && !rule.allowed.includes(as) ? 401 : refused);
            }
          });
        }
      });
    }
  }
});

describe("GET /api/live: per topic", () => {
  const rule = routeTable["/api/live"]!.GET!;
  const topicOf = (follow: LiveTopic, user: SessionUser | null) =>
    ({
      "a published event": `event:${publishedEventId}`,
      "a draft event (and its organizer)": `event:${draftEventId}`,
      "another user's topic": `user:${stranger.id}`,
      "the caller's own user topic": `user:${user?.id ?? crypto.randomUUID()}`,
    })[follow];

  /** The status; a stream is read up to its `ready` frame and then closed by aborting the request. */
  async function follow(user: SessionUser | null, topic: string): Promise<number> {
    const controller = new AbortController();
    const request = new Request(`http://localhost/api/live?topics=${encodeURIComponent(topic)}`, {
      headers: await cookieHeader(user),
      signal: controller.signal,
    });
    const response = await handlers["/api/live"]!.GET!(request, { params: Promise.resolve({}) });
    if (response.status !== 200) {
      await response.body?.cancel();
      return response.status;
    }
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("event: ready")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    await reader.cancel().catch(() => {});
    return response.status;
  }

  if (rule.kind !== "live topics") throw new Error("/api/live GET is ruled per topic");
  for (const { follow: what, allowed } of rule.topics) {
    for (const as of everyone) {
      const may = allowed.includes(as);
      it(`${what} as ${as}: ${may ? "streams" : "403"}`, async () => {
        expect(await follow(users[as], topicOf(what, users[as]))).toBe(may ? 200 : 403);
      });
    }
  }
  it("a draft event to its own organizer: streams", async () => {
    expect(await follow(eventOwner, `event:${draftEventId}`)).toBe(200);
  });
});

describe("GET /api/metrics: a bearer token or this machine, never a session", () => {
  const metricsHandler = () => handlers["/api/metrics"]!.GET!;
  const scrape = async (headers: Record<string, string>) => {
    const response = await metricsHandler()(new Request("http://localhost/api/metrics", { headers }), { params: Promise.resolve({}) });
    await response.body?.cancel();
    return response.status;
  };

  it("without METRICS_TOKEN (as in the tests): 403 for every caller from elsewhere, 200 from loopback", async () => {
    expect(env.METRICS_TOKEN, "these calls assume METRICS_TOKEN unset, as vitest.config.mts leaves it").toBeUndefined();
    for (const as of everyone) {
      const cookie = await cookieHeader(users[as]);
      expect(await scrape(cookie), `${as}, no peer address`).toBe(403);
      expect(await scrape({ ...cookie, [PEER_HEADER]: "203.0.113.9" }), `${as} from elsewhere`).toBe(403);
      expect(await scrape({ ...cookie, [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "127.0.0.1" }), `${as} claiming loopback`).toBe(
        403,
      );
    }
    expect(await scrape({ [PEER_HEADER]: "127.0.0.1" })).toBe(200);
    expect(await scrape({ [PEER_HEADER]: "::ffff:127.0.0.1" })).toBe(200);
  });

  // Per-address limits key IPv6 by its /64; the loopback check must see the whole address.
  it("a scraper on IPv6 loopback (::1): 200", async () => {
    expect(await scrape({ [PEER_HEADER]: "::1" })).toBe(200);
  });

  it("with METRICS_TOKEN: only its bearer, even on loopback (metricsAccess's token parameter)", () => {
    const token = "metrics-token-for-tests";
    const check = (headers: Record<string, string>) => metricsAccess(new Headers(headers), token);
    expect(check({ authorization: `Bearer ${token}` })).toEqual({ ok: true });
    expect(check({ authorization: `Bearer ${token}`, [PEER_HEADER]: "203.0.113.9" })).toEqual({ ok: true });
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: token },
      { [PEER_HEADER]: "127.0.0.1" },
    ];
    for (const headers of refused) {
      expect(check(headers), JSON.stringify(headers)).toMatchObject({ ok: false, status: 401 });
    }
  });
});

describe("POST /api/webhooks/stripe: the signature, never a session", () => {
  it("is 400 without a valid signature, whoever is signed in", async () => {
    const body = JSON.stringify({ id: `evt_${crypto.randomUUID()}`, type: "payment_intent.succeeded", data: { object: {} } });
    for (const as of everyone) {
      const signatures: Array<Record<string, string>> = [
        {},
        { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` },
      ];
      for (const signature of signatures) {
        expect(await callAs(users[as], "/api/webhooks/stripe", "POST", { body: () => body, headers: signature }), as).toBe(400);
      }
    }
  });
});

describe("POST /api/session/renew: a renewal ticket, never a role", () => {
  it("is 400 without a ticket, whoever is signed in, and never reaches Auth.js", async () => {
    for (const as of everyone) {
      for (const body of ["", "{}", JSON.stringify({ ticket: 42 }), JSON.stringify({ ticket: "x".repeat(2_001) })]) {
        expect(await callAs(users[as], "/api/session/renew", "POST", { body: () => body }), `${as} ${body.slice(0, 20)}`).toBe(400);
      }
    }
  });
});

describe("cross-site writes are refused (proxy.ts, or the handler where the proxy does not run)", () => {
  const matcher = new RegExp(`^${proxyConfig.matcher[0]}$`);
  const crossSite = { "sec-fetch-site": "cross-site" };
  const writes = listed(handlers)
    .map((entry) => entry.split(" ") as [Method, string])
    .filter(([method]) => !["GET", "HEAD", "OPTIONS"].includes(method))
    .filter(([, route]) => route !== "/api/webhooks/stripe" && !route.startsWith("/api/auth/"));

  it("covers the writes it should", () => {
    expect(writes.length).toBeGreaterThanOrEqual(7);
  });

  for (const [method, route] of writes) {
    const { url, params } = target(route.replace("[trpc]", "account.updateProfile"));
    const viaProxy = matcher.test(url);
    it(`${method} ${route}: 403 from ${viaProxy ? "the proxy" : "the handler"}`, async () => {
      const cookie = await cookieHeader(users.player);
      if (viaProxy) {
        const response = proxy(new NextRequest(`http://localhost${url}`, { method, headers: { ...crossSite, ...cookie } }));
        expect(response.status).toBe(403);
        return;
      }
      session.user = users.player;
      try {
        const request = new Request(`http://localhost${url}`, {
          method,
          headers: { ...crossSite, ...cookie, "content-type": "application/json" },
          body: JSON.stringify({ json: { name: "Forged" } }),
        });
        const response = await handlers[route]![method]!(request, { params: Promise.resolve(params) });
        await response.body?.cancel();
        expect(response.status).toBe(403);
      } finally {
        session.user = null;
      }
    });
  }
});
