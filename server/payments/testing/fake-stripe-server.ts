/**
 * A local, in-memory stand-in for the few Stripe endpoints Driftwood uses, speaking Stripe's wire
 * format (form-encoded requests with bracket notation, JSON answers, Stripe's error envelope and
 * Idempotency-Key semantics), so tests can drive the official SDK over real HTTP. Loopback only.
 *
 * This file is the HTTP side (API key, routing, the body); the endpoints are in fake-stripe/.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { connectRoutes, requireVerification } from "./fake-stripe/connect";
import { idempotencyKeys, type Answer } from "./fake-stripe/idempotency";
import { ParamError, parseForm, type Params } from "./fake-stripe/params";
import { confirmPaymentIntent, paymentIntentRoutes } from "./fake-stripe/payment-intents";
import { failPayout, payoutEvent, payoutRoutes, payPayout } from "./fake-stripe/payouts";
import { refundRoutes } from "./fake-stripe/refunds";
import { failure, refused, type Reply } from "./fake-stripe/replies";
import type { Route } from "./fake-stripe/routes";
import {
  createStore,
  token,
  type FakeAccount,
  type FakeBankAccount,
  type FakePaymentIntent,
  type FakePayout,
  type FakeRefund,
  type FakeTransfer,
} from "./fake-stripe/store";

export type { FakeAccount, FakeBankAccount, FakePaymentIntent, FakePayout, FakeRefund, FakeTransfer };

export interface FakeStripe {
  host: "127.0.0.1";
  port: number;
  protocol: "http";
  url: string;
  /** Closes the server and every open (keep-alive) connection. Safe to call twice. */
  stop(): Promise<void>;
  /** What the browser's confirmation would have done: the card succeeds or is declined. */
  confirm(paymentIntentId: string, outcome: "succeeded" | "declined"): void;
  /** Copies of the stored intents, oldest first. */
  intents(): FakePaymentIntent[];
  /** Copies of the stored refunds, oldest first. */
  refunds(): FakeRefund[];
  /** Connect: copies of the connected accounts, oldest first. */
  accounts(): FakeAccount[];
  /** Connect: copies of the connected accounts' bank accounts (last four digits only), oldest first. */
  bankAccounts(): FakeBankAccount[];
  /** Connect: copies of the transfers from the platform to connected accounts, oldest first. */
  transfers(): FakeTransfer[];
  /** Copies of the payouts with the connected account each was made on (its Stripe-Account), oldest first. */
  payouts(): { account: string; payout: FakePayout }[];
  /** A connected account's available balance: transferred in, less what was paid out (and not returned). */
  balance(accountId: string, currency: string): number;
  /** The bank received the payout: `paid`. */
  payPayout(payoutId: string): FakePayout;
  /** Stripe asks the account holder for identity details (payouts off until given); `[]` gives them. */
  requireVerification(accountId: string, due?: string[]): void;
  /** The bank refused or returned the payout: `failed` with Stripe's failure message, the money back on the account. */
  failPayout(payoutId: string, message: string, code?: string): FakePayout;
  /** The Connect event Stripe would send now for the payout (`payout.created`, `.paid`, `.failed`), naming its account. */
  payoutEvent(payoutId: string): Record<string, unknown> & { id: string; type: string; account: string };
  /** HTTP requests received so far, including refused ones and idempotent replays. */
  requestCount(): number;
}

export interface FakeStripeOptions {
  /** Milliseconds since the epoch; lets a test create objects in the past to exercise `created` filters. */
  now?: () => number;
}

const MAX_BODY_BYTES = 1 << 20;

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const store = createStore(options.now ?? Date.now);
  const routes: Route[] = [...paymentIntentRoutes(store), ...refundRoutes(store), ...connectRoutes(store), ...payoutRoutes(store)];
  const idempotency = idempotencyKeys();
  let requests = 0;

  /**
   * Everything after the body has arrived runs synchronously, so requests that share an
   * idempotency key are serialized by the event loop: the first creates, every later one replays.
   * Keep it that way (no awaits in here) or add a per-key queue.
   */
  function handle(req: http.IncomingMessage, rawBody: string): Answer {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const apiKey = /^Bearer (sk_test_\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!apiKey) {
      return failure(401, { type: "invalid_request_error", message: "Invalid API Key provided (the fake Stripe wants sk_test_...)." });
    }
    let route: { handler: Route["handler"]; id: string } | undefined;
    for (const candidate of routes) {
      const match = candidate.method === method ? candidate.path.exec(url.pathname) : null;
      if (match) {
        route = { handler: candidate.handler, id: decodeURIComponent(match[1] ?? "") };
        break;
      }
    }
    if (!route) {
      return failure(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${url.pathname}).` });
    }
    const { handler, id } = route;
    // Stripe Connect: the request acts on this connected account (payouts), or on the platform.
    const accountHeader = req.headers["stripe-account"];
    const account = typeof accountHeader === "string" && accountHeader !== "" ? accountHeader : null;
    if (account !== null && !store.accounts.has(account)) {
      return failure(403, {
        type: "invalid_request_error",
        code: "account_invalid",
        message: `The provided key does not have access to account '${account}' (or that account does not exist).`,
      });
    }
    const run = (params: Params): Reply => {
      try {
        return handler(params, id, { account });
      } catch (error) {
        if (error instanceof ParamError) return refused(error);
        throw error;
      }
    };

    let params: Params;
    try {
      params = parseForm(method === "POST" ? rawBody : url.search.slice(1));
    } catch (error) {
      if (error instanceof ParamError) return refused(error);
      throw error;
    }

    // Stripe ignores idempotency keys on GET; on POST they are scoped to the account: the platform's
    // (here: the API key) or the connected account named by Stripe-Account.
    const key = method === "POST" ? req.headers["idempotency-key"] : undefined;
    if (typeof key !== "string" || key === "") return run(params);
    return idempotency.answer({ apiKey, account, key, method, path: url.pathname, params }, () => run(params));
  }

  const server = http.createServer((req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on("error", () => {});
    req.on("end", () => {
      let out: Answer;
      try {
        out = handle(req, Buffer.concat(chunks).toString("utf8"));
      } catch (error) {
        out = failure(500, { type: "api_error", message: `Fake Stripe failed: ${(error as Error).message}` });
      }
      res.writeHead(out.status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(out.body),
        "Request-Id": `req_fake_${token()}`,
        ...out.headers,
      });
      res.end(out.body);
    });
  });

  // The SDK opens one socket per concurrent request; the default backlog (511) drops some of 500+.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, backlog: 2048 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;

  return {
    host: "127.0.0.1",
    port,
    protocol: "http",
    url: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK's agent keeps sockets alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      });
      return stopped;
    },
    confirm: (paymentIntentId, outcome) => confirmPaymentIntent(store, paymentIntentId, outcome),
    intents: () => [...store.intents.values()].map(({ object }) => structuredClone(object)),
    refunds: () => [...store.refunds.values()].map(({ object }) => structuredClone(object)),
    accounts: () => [...store.accounts.values()].map(({ object }) => structuredClone(object)),
    bankAccounts: () => [...store.bankAccounts.values()].map(({ object }) => structuredClone(object)),
    transfers: () => [...store.transfers.values()].map(({ object }) => structuredClone(object)),
    payouts: () =>
      [...store.payouts.values()].map(({ object }) => ({ account: store.payoutAccounts.get(object.id)!, payout: structuredClone(object) })),
    balance: (accountId, currency) => store.balanceOf(accountId, currency),
    payPayout: (payoutId) => payPayout(store, payoutId),
    requireVerification: (accountId, due) => requireVerification(store, accountId, due),
    failPayout: (payoutId, message, code) => failPayout(store, payoutId, message, code),
    payoutEvent: (payoutId) => payoutEvent(store, payoutId),
    requestCount: () => requests,
  };
}
