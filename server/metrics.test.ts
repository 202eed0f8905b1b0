import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { enqueueJob } from "@/server/jobs/queue";
import { runDueJobs } from "@/server/worker";
import type { GatewayEvent } from "@/server/payments/gateway";
import { getPayment } from "@/server/payments/service";
import { createSimulatedGateway } from "@/server/payments/simulated-gateway";
import { processWebhook } from "@/server/payments/webhooks";
import { EXPIRE_OFFER_TASK } from "@/server/registration/lifecycle";
import { startTopUp } from "@/server/wallet/service";
import { metrics } from "./metrics";
import { setMetricsDatabase } from "./metrics-database";

const database = await createTestDatabase();
const { db } = database;
const outbox: GatewayEvent[] = [];
const gateway = createSimulatedGateway(db, "whsec_metrics_test", async (_tx, event) => {
  outbox.push(event);
});
const key = () => crypto.randomUUID();
// The scrape-time gauges read this file's database.
setMetricsDatabase(db);

type Labels = Record<string, string | number>;
interface Readable {
  get(): Promise<{ values: { labels: Labels; value: number; metricName?: string }[] }>;
}

/** A metric's value for exactly these labels (0 when the series does not exist yet). */
async function value(metric: Readable, labels: Labels = {}, metricName?: string): Promise<number> {
  const { values } = await metric.get();
  const match = values.find(
    (v) =>
      (!metricName || v.metricName === metricName) &&
      Object.keys(labels).every((k) => v.labels[k] === labels[k]) &&
      Object.keys(v.labels).length >= Object.keys(labels).length,
  );
  return match?.value ?? 0;
}

async function deliverAll() {
  const results = [];
  for (const event of outbox.splice(0, outbox.length)) {
    const raw = JSON.stringify(event);
    results.push({ raw, result: await processWebhook(db, gateway, raw, gateway.signPayload(raw)) });
  }
  return results;
}

async function pay(paymentId: string, card: string) {
  const payment = (await getPayment(db, paymentId))!;
  return gateway.confirmCard({
    intentId: payment.gatewayPaymentId!,
    clientSecret: payment.clientSecret!,
    cardNumber: card,
    cardLast4: card.slice(-4),
  });
}

const sim = { gateway: "simulated" };

describe("business metrics", () => {
  it("count payments started, succeeded and failed by gateway, after the outcome is committed", async () => {
    const before = {
      started: await value(metrics.paymentsStarted, sim),
      succeeded: await value(metrics.paymentsSucceeded, sim),
      failed: await value(metrics.paymentsFailed, sim),
    };
    const user = await createUser(db);
    const idempotencyKey = key();
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 1_000, idempotencyKey });
    // A replay of the same intent is not a second payment.
    await startTopUp(db, gateway, { userId: user.id, amount: 1_000, idempotencyKey });
    expect(await value(metrics.paymentsStarted, sim)).toBe(before.started + 1);

    await pay(topUp.id, "4000000000000002");
    await deliverAll();
    expect(await value(metrics.paymentsFailed, sim)).toBe(before.failed + 1);
    expect(await value(metrics.paymentsSucceeded, sim)).toBe(before.succeeded);

    await pay(topUp.id, "4242424242424242");
    await deliverAll();
    expect(await value(metrics.paymentsSucceeded, sim)).toBe(before.succeeded + 1);
    expect(await value(metrics.paymentsFailed, sim)).toBe(before.failed + 1);
    expect(await metrics.registry.getSingleMetricAsString("driftwood_payments_succeeded_total")).toMatch(
      /driftwood_payments_succeeded_total\{gateway="simulated",app="driftwood"\} \d+/,
    );
  });

  it("count webhooks received, duplicate and with a bad signature, and observe their lag once", async () => {
    const received = await value(metrics.webhooksReceived, sim);
    const duplicate = await value(metrics.webhooksDuplicate, sim);
    const invalid = await value(metrics.webhooksInvalidSignature, sim);
    const lagCount = await value(metrics.webhookLag, sim, "driftwood_webhook_lag_seconds_count");

    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 700, idempotencyKey: key() });
    await pay(topUp.id, "4242424242424242");
    const [delivery] = await deliverAll();
    expect(delivery!.result.body.outcome).toBe("processed");
    expect((await processWebhook(db, gateway, delivery!.raw, gateway.signPayload(delivery!.raw))).body.outcome).toBe("duplicate");
    expect((await processWebhook(db, gateway, delivery!.raw, "t=1,v1=forged")).status).toBe(400);

    expect(await value(metrics.webhooksReceived, sim)).toBe(received + 3);
    expect(await value(metrics.webhooksDuplicate, sim)).toBe(duplicate + 1);
    expect(await value(metrics.webhooksInvalidSignature, sim)).toBe(invalid + 1);
    expect(await value(metrics.webhookLag, sim, "driftwood_webhook_lag_seconds_count")).toBe(lagCount + 1);
  });

  it("count job failures, retries and permanent failures by task, and read the queue from the database", async () => {
    const task = { task: EXPIRE_OFFER_TASK };
    const failures = await value(metrics.jobFailures, task);
    const retries = await value(metrics.jobRetries, task);
    const dead = await value(metrics.jobsFailedPermanently, task);
    // Not a registration id: the task throws.
    await enqueueJob(db, EXPIRE_OFFER_TASK, { registrationId: "not-a-uuid" }, { maxAttempts: 3 });
    await enqueueJob(db, EXPIRE_OFFER_TASK, { registrationId: "also-not-a-uuid" }, { maxAttempts: 1 });
    await runDueJobs(database);

    expect(await value(metrics.jobFailures, task)).toBe(failures + 2);
    expect(await value(metrics.jobRetries, task)).toBe(retries + 1);
    expect(await value(metrics.jobsFailedPermanently, task)).toBe(dead + 1);

    await enqueueJob(db, "some-task-no-worker-runs", {});
    expect(await value(metrics.databaseUp)).toBe(1);
    expect(await value(metrics.jobsDead, task)).toBe(1);
    expect(await value(metrics.jobsRetrying, task)).toBe(1);
    expect(await value(metrics.jobsQueued, { task: "some-task-no-worker-runs" })).toBe(1);
  });

  it("read unrepaired reconciliation mismatches, live escrow and database health at scrape time", async () => {
    const [run] = await db.execute<{ id: string }>(sql`
      insert into reconciliation_runs (trigger, status, since, finished_at) values ('test', 'finished', now() - interval '1 day', now()) returning id`);
    await db.execute(sql`insert into reconciliation_mismatches (run_id, kind, repaired) values
      (${run!.id}, 'credited_not_paid', 'no'), (${run!.id}, 'credited_not_paid', 'no'), (${run!.id}, 'paid_not_credited', 'yes')`);
    expect(await value(metrics.reconciliationMismatches, { kind: "credited_not_paid" })).toBe(2);
    expect(await value(metrics.reconciliationMismatches, { kind: "paid_not_credited" })).toBe(0);
    expect(await value(metrics.reconciliationLastSuccess)).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(await value(metrics.liveEvents)).toBe(0);
    expect(await value(metrics.liveEscrow)).toBe(0);

    setMetricsDatabase(db, () => Promise.reject(new Error("connection refused")));
    expect(await value(metrics.databaseUp)).toBe(0);
    setMetricsDatabase(db);
  });

  it("serves every business metric from the registry Prometheus scrapes", async () => {
    const text = await metrics.registry.metrics();
    for (const name of [
      "driftwood_payments_started_total",
      "driftwood_webhook_lag_seconds_bucket",
      "driftwood_jobs_dead",
      "driftwood_live_connections",
      "driftwood_database_up",
    ]) {
      expect(text).toContain(name);
    }
  });
});
