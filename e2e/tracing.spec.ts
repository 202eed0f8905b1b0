/**
 * Traces from the production server, as a collector receives them: the standalone server with
 * OTEL_EXPORTER_OTLP_ENDPOINT pointed at a small OTLP/HTTP receiver in this test, which keeps the
 * spans in memory. One checkout paid from the wallet must arrive as one trace, from Next.js's
 * request span down to the statement that posts the entry fee to the ledger, every span carrying
 * the request's id.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { credit, platformAccount } from "@/server/ledger";
import { expect, test } from "./fixtures";
import { startStandaloneServer } from "./standalone-server";

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
  attribute: (key: string) => string | undefined;
}

/** An OTLP/HTTP (JSON) collector on loopback that keeps what it is sent. */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const contentTypes = new Set<string>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      contentTypes.add(`${request.method} ${request.url} ${request.headers["content-type"]}`);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans?: { resource?: { attributes?: OtlpSpan["attributes"] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
      };
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? "";
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            const attribute = (key: string) => {
              const value = span.attributes?.find((a) => a.key === key)?.value;
              return value?.stringValue ?? (value?.intValue !== undefined ? String(value.intValue) : undefined);
            };
            spans.push({ ...span, service, attribute });
          }
        }
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    contentTypes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("a checkout reaches the collector as one trace, from the request to the ledger statement", async ({
  database,
  makeUser,
  makeEvent,
}) => {
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  const server = await startStandaloneServer({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
  try {
    expect(server.health?.status, server.output()).toBe(200);
    const organizer = await makeUser({ role: "organizer" });
    const player = await makeUser();
    const event = await makeEvent(organizer.id, { entryFee: 1_200 });
    const clearing = await platformAccount(database.db, "card_clearing");
    await credit(database.db, {
      userId: player.id,
      amount: 5_000,
      fromAccountId: clearing,
      category: "topup",
      description: "Test funds",
      idempotencyKey: crypto.randomUUID(),
    });

    // The session cookie as Auth.js writes it (an encrypted JWT whose sub is the user id).
    const cookieName = "authjs.session-token";
    const session = await encode({
      token: { sub: player.id, name: player.name, email: player.email },
      secret: server.authSecret,
      salt: cookieName,
      maxAge: 3600,
    });
    const requestId = `trace-${crypto.randomUUID()}`;
    const answer = await fetch(`${server.base}/api/trpc/registration.checkout`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: `${cookieName}=${session}`, "x-request-id": requestId, origin: server.base },
      body: JSON.stringify({ json: { eventId: event.id, idempotencyKey: crypto.randomUUID(), walletAmount: 1_200 } }),
    });
    expect(answer.status, await answer.clone().text()).toBe(200);
    expect(answer.headers.get("x-request-id")).toBe(requestId);

    // The server sends its spans a second after they end; the request's root ends last.
    const procedureOf = () => receiver.spans.find((span) => span.name === "trpc registration.checkout");
    const rootOf = (traceId: string) => receiver.spans.find((span) => span.traceId === traceId && !span.parentSpanId);
    await expect.poll(() => procedureOf() && rootOf(procedureOf()!.traceId), { timeout: 15_000 }).toBeTruthy();
    const procedure = procedureOf()!;
    const trace = receiver.spans.filter((span) => span.traceId === procedure.traceId);
    const root = rootOf(procedure.traceId)!;

    // The root is Next.js's own span for the request: a server span.
    expect(root.kind, root.name).toBe(2 /* SPAN_KIND_SERVER */);
    expect(root.name).toContain("POST");
    expect(root.service).toBe("driftwood");

    // The statement that confirms the seat posts the entry fee (registration_confirm_from_wallet
    // calls ledger_post_transfers), and it hangs from the root through the procedure.
    const statement = trace.find((span) => span.attribute("db.query.text")?.includes("registration_confirm_from_wallet("));
    expect(statement, trace.map((span) => span.name).join(", ")).toBeDefined();
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const chain: string[] = [];
    for (let at: ReceivedSpan | undefined = statement; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined)
      chain.push(at.name);
    expect(chain[0]).toBe(statement!.name);
    expect(chain).toContain("trpc registration.checkout");
    expect(chain.at(-1), `every parent is in the trace: ${chain.join(" ← ")}`).toBe(root.name);

    // The request's id, from its header, on every span of its trace, Next.js's included.
    for (const span of trace) expect(span.attribute("driftwood.request_id"), span.name).toBe(requestId);

    // A request that brings no id is given one as it arrives: the same on its spans and in the answer.
    const plain = await fetch(`${server.base}/api/trpc/account.me`, { headers: { cookie: `${cookieName}=${session}` } });
    expect(plain.status).toBe(200);
    const givenId = plain.headers.get("x-request-id");
    expect(givenId).toMatch(/^[0-9a-f-]{36}$/);
    await expect
      .poll(() => receiver.spans.find((span) => span.name === "trpc account.me" && rootOf(span.traceId)), { timeout: 15_000 })
      .toBeTruthy();
    const me = receiver.spans.find((span) => span.name === "trpc account.me")!;
    for (const span of receiver.spans.filter((s) => s.traceId === me.traceId))
      expect(span.attribute("driftwood.request_id"), span.name).toBe(givenId);

    expect([...receiver.contentTypes].every((line) => line.startsWith("POST /v1/traces application/json"))).toBe(true);
  } finally {
    await server.stop();
    await receiver.close();
  }
});
