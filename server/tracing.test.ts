/**
 * Traces with an in-memory exporter: what a checkout records, how the ledger's group commit is
 * attributed, jobs and gateway calls, the request id on every span, and nothing at all when off.
 * (The same trace through the production server and the OTLP exporter: e2e/tracing.spec.ts.)
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import type { JobHelpers } from "graphile-worker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { games } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createOpenEvent, createUser, insertPlayers } from "@/server/testing/factories";
import { databaseTracing } from "@/server/database-tracing";
import { tracedTasks } from "@/server/worker";
import { paymentGateway } from "@/server/payments/provider";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { credit, platformAccount, postTransfer, walletAccounts } from "@/server/ledger";
import { inSpan, REQUEST_ID_ATTRIBUTE, startTracing, stopTracing, tracingEnabled } from "./tracing";

// Traced as the app's database is (server/database.ts).
const { db } = await createTestDatabase({ observer: databaseTracing });
const exporter = new InMemorySpanExporter();
const key = () => crypto.randomUUID();
let gameId: string;
let organizerId: string;

beforeAll(async () => {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${key()}`, name: "Traced Game", handleLabel: "Tag" })
    .returning();
  gameId = game!.id;
  organizerId = (await createUser(db, { role: "organizer" })).id;
});

afterAll(() => stopTracing());

beforeEach(() => exporter.reset());

async function fundedPlayer(cents: number) {
  const [player] = await insertPlayers(db, 1);
  const clearing = await platformAccount(db, "card_clearing");
  if (cents > 0)
    await credit(db, {
      userId: player!.id,
      amount: cents,
      fromAccountId: clearing,
      category: "topup",
      description: "Test funds",
      idempotencyKey: key(),
    });
  return player!;
}

/**
 * What Next.js does with a request: extracts its context from the headers through the global
 * propagator (server/http.ts has given it an id by then) and opens the request's span in it.
 */
function asRequest<T>(fn: () => Promise<T>, requestId: string = key()): Promise<T> {
  const extracted = propagation.extract(context.active(), { "x-request-id": requestId });
  return context.with(extracted, () =>
    trace.getTracer("next.js").startActiveSpan("POST /api/trpc/[trpc]", { kind: SpanKind.SERVER }, async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    }),
  );
}

function spansOf(traceId: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
}

/** The span's ancestors by name, nearest first, up to the trace's root. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const names: string[] = [];
  for (let parent = span.parentSpanContext?.spanId; parent; parent = byId.get(parent)?.parentSpanContext?.spanId) {
    const found = byId.get(parent);
    if (!found) throw new Error(`span ${span.name} has a parent that was not recorded`);
    names.push(found.name);
  }
  return names;
}

describe("with tracing off", () => {
  it("records nothing and runs every helper as a plain call", async () => {
    expect(tracingEnabled()).toBe(false);
    // No provider: the API hands out spans that record nothing.
    expect(trace.getTracer("x").startSpan("y").isRecording()).toBe(false);
    expect(inSpan("plain", {}, (span) => span)).toBeUndefined();
    const player = await fundedPlayer(5_000);
    const event = await createOpenEvent(db, { organizerId, gameId }, { entryFee: 1_000 });
    await createCaller(createInnerContext({ db, user: player })).registration.checkout({
      eventId: event.id,
      idempotencyKey: key(),
      walletAmount: 1_000,
    });
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

describe("with tracing on", () => {
  beforeAll(async () => {
    expect(await startTracing({ serviceName: "driftwood-test", exporter, immediate: true })).toBe(true);
  });

  it("traces a wallet checkout as one trace from the request to the ledger statement, each span with the request id", async () => {
    const player = await fundedPlayer(5_000);
    const event = await createOpenEvent(db, { organizerId, gameId }, { entryFee: 1_500 });
    const requestId = key();
    exporter.reset();
    const result = await asRequest(
      () =>
        createCaller(createInnerContext({ db, user: player, requestId })).registration.checkout({
          eventId: event.id,
          idempotencyKey: key(),
          walletAmount: 1_500,
        }),
      requestId,
    );
    expect(result.registrationId).toBeTruthy();

    const roots = exporter.getFinishedSpans().filter((span) => !span.parentSpanContext);
    expect(roots.map((span) => span.name)).toEqual(["POST /api/trpc/[trpc]"]);
    const spans = spansOf(roots[0]!.spanContext().traceId);
    expect(spans).toHaveLength(exporter.getFinishedSpans().length);

    const procedure = spans.find((span) => span.name === "trpc registration.checkout")!;
    expect(procedure.attributes).toMatchObject({ "rpc.method": "registration.checkout", "rpc.response.status_code": "OK" });
    // A checkout paid from the wallet posts its entry fee in the statement that confirms the seat:
    // registration_confirm_from_wallet() calls ledger_post_transfers() (migrations).
    const ledgerStatement = spans.find((span) =>
      String(span.attributes["db.query.text"] ?? "").includes("registration_confirm_from_wallet("),
    );
    expect(
      ledgerStatement,
      spans.map((s) => `${s.name}: ${String(s.attributes["db.query.text"] ?? "").slice(0, 120)}`).join("\n"),
    ).toBeDefined();
    expect(ledgerStatement!.kind).toBe(SpanKind.CLIENT);
    expect(ledgerStatement!.attributes["db.system.name"]).toBe("postgresql");
    expect(ancestry(ledgerStatement!, spans)).toContain("trpc registration.checkout");
    expect(ancestry(ledgerStatement!, spans).at(-1)).toBe("POST /api/trpc/[trpc]");
    // No values in the statement text, only placeholders.
    expect(String(ledgerStatement!.attributes["db.query.text"])).not.toContain(player.id);

    for (const span of spans) expect(span.attributes[REQUEST_ID_ATTRIBUTE], span.name).toBe(requestId);
    expect(roots[0]!.resource.attributes["service.name"]).toBe("driftwood-test");
  });

  it("traces a split checkout's call to the payment gateway inside the request's trace", async () => {
    const player = await fundedPlayer(500);
    const event = await createOpenEvent(db, { organizerId, gameId }, { entryFee: 2_000 });
    exporter.reset();
    await asRequest(() =>
      createCaller(createInnerContext({ db, user: player })).registration.checkout({
        eventId: event.id,
        idempotencyKey: key(),
        walletAmount: 500,
      }),
    );
    const spans = exporter.getFinishedSpans();
    const gatewayCall = spans.find((span) => span.name === "gateway createPaymentIntent");
    expect(gatewayCall, spans.map((s) => s.name).join(", ")).toBeDefined();
    expect(gatewayCall!.kind).toBe(SpanKind.CLIENT);
    expect(gatewayCall!.attributes["driftwood.gateway"]).toBe((await paymentGateway(db)).name);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    // Never inside the transaction: the gateway call is not a descendant of a transaction span.
    expect(ancestry(gatewayCall!, spans)).not.toContain("db transaction");
  });

  it("marks a failed statement as an error, with the exception recorded", async () => {
    exporter.reset();
    await asRequest(async () => {
      await expect(db.execute("select * from no_such_table")).rejects.toThrow();
    });
    const failed = exporter.getFinishedSpans().find((span) => span.name === "db SELECT")!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.events.map((e) => e.name)).toContain("exception");
  });

  it("puts a group-committed batch under its first caller and links it to the others", async () => {
    const players = await Promise.all([fundedPlayer(0), fundedPlayer(0), fundedPlayer(0)]);
    const clearing = await platformAccount(db, "card_clearing");
    const wallets = await Promise.all(players.map((p) => walletAccounts(db, p.id)));
    exporter.reset();
    const requestIds = players.map(() => key());
    // Three requests at once: their transfers go out in one batch (one statement).
    await Promise.all(
      players.map((_, i) =>
        asRequest(
          () =>
            postTransfer(db, {
              idempotencyKey: key(),
              category: "topup",
              operation: "credit",
              description: "Traced top-up",
              legs: [
                { accountId: clearing, amount: -100 },
                { accountId: wallets[i]!.available, amount: 100 },
              ],
            }),
          requestIds[i],
        ),
      ),
    );
    const spans = exporter.getFinishedSpans();
    const batches = spans.filter((span) => span.name === "ledger post_transfers");
    const callers = spans.filter((span) => span.name === "ledger post_transfer");
    expect(callers).toHaveLength(3);
    // However the three were batched, every caller's span is a batch's parent or linked from one.
    const reached = new Set(
      batches.flatMap((batch) => [batch.parentSpanContext!.spanId, ...batch.links.map((link) => link.context.spanId)]),
    );
    for (const caller of callers) expect(reached.has(caller.spanContext().spanId)).toBe(true);
    const sizes = batches.map((batch) => batch.attributes["ledger.batch_size"] as number);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3);
    // Each request's own spans carry its own id, whichever trace the batch landed in.
    for (const caller of callers) expect(requestIds).toContain(caller.attributes[REQUEST_ID_ATTRIBUTE]);
  });

  it("makes each job a trace of its own, named by its task, failures marked", async () => {
    const tasks = tracedTasks({
      fine: async () => {
        await db.execute("select 1");
      },
      broken: async () => {
        throw new Error("the job broke");
      },
    });
    exporter.reset();
    const helpers = (id: string) => ({ job: { id, attempts: 2 } }) as unknown as JobHelpers;
    // Even when the worker polls inside some request's context, a job does not join that trace.
    await asRequest(async () => {
      await tasks.fine!({}, helpers("41"));
      await expect(tasks.broken!({}, helpers("42"))).rejects.toThrow("the job broke");
    });
    const spans = exporter.getFinishedSpans();
    const fine = spans.find((span) => span.name === "job fine")!;
    const broken = spans.find((span) => span.name === "job broken")!;
    expect(fine.parentSpanContext).toBeUndefined();
    expect(fine.kind).toBe(SpanKind.CONSUMER);
    expect(fine.attributes).toMatchObject({ "driftwood.job.task": "fine", "driftwood.job.id": "41", "driftwood.job.attempt": 2 });
    expect(spans.find((span) => span.name === "db SELECT" && span.parentSpanContext?.spanId === fine.spanContext().spanId)).toBeDefined();
    expect(broken.status.code).toBe(SpanStatusCode.ERROR);
  });
});
