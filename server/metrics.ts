import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { mismatchKinds } from "@/lib/mismatch-kinds";

const GATEWAYS = ["stripe", "simulated"] as const;
/** Reconciliation's mismatch kinds, each counted from zero. */
export const MISMATCH_KINDS = mismatchKinds;

const globalForScrape = globalThis as unknown as { driftwoodScrapeRefresh?: () => Promise<void> };

/**
 * Gauges read from the database when Prometheus scrapes (jobs, escrow, reconciliation, database
 * health) run this first: one bounded round of queries per scrape, shared by all of them. It is
 * server/metrics-database.ts's, set by whoever serves a scrape (metricsAnswer), so this module
 * needs no database. On globalThis, as the registry is: Next.js may load this module more than once.
 */
export function setScrapeRefresh(refresh: () => Promise<void>): void {
  globalForScrape.driftwoodScrapeRefresh = refresh;
}

const refreshBeforeScrape = (): Promise<void> => globalForScrape.driftwoodScrapeRefresh?.() ?? Promise.resolve();

function createMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "driftwood" });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const scraped = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers, collect: refreshBeforeScrape });

  const metrics = {
    registry,
    trpcRequests: counter("driftwood_trpc_requests_total", "tRPC calls by procedure, type and result code", ["procedure", "type", "code"]),
    trpcDuration: new Histogram({
      name: "driftwood_trpc_request_duration_seconds",
      help: "tRPC call duration in seconds by procedure, type and result code",
      labelNames: ["procedure", "type", "code"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),

    // Payments: counted after the outcome is committed.
    paymentsStarted: counter(
      "driftwood_payments_started_total",
      "Card payments created at the provider (first time only, not replays), by gateway",
      ["gateway"],
    ),
    paymentsSucceeded: counter("driftwood_payments_succeeded_total", "Card payments recorded as succeeded (after commit), by gateway", [
      "gateway",
    ]),
    paymentsFailed: counter(
      "driftwood_payments_failed_total",
      "Card payment attempts recorded as failed, e.g. declined (after commit), by gateway",
      ["gateway"],
    ),
    paymentGatewayErrors: counter(
      "driftwood_payment_gateway_errors_total",
      "Calls to the payment provider that failed or did not answer, by gateway and operation",
      ["gateway", "operation"],
    ),

    // Withdrawals: counted after commit.
    withdrawalsRequested: counter(
      "driftwood_withdrawals_requested_total",
      "Withdrawal requests recorded (not replays), by whether they wait for an admin's review",
      ["review"],
    ),
    withdrawalVelocityAlerts: counter(
      "driftwood_withdrawal_velocity_alerts_total",
      "Withdrawal requests flagged because their player asked many times within an hour",
      [],
    ),
    withdrawalPayouts: counter(
      "driftwood_withdrawal_payouts_total",
      "Withdrawal payouts by outcome recorded: sent (the gateway took it), paid (arrived), failed (refused or returned)",
      ["outcome"],
    ),

    // Webhooks (Stripe over HTTP, or the simulated gateway's delivery job).
    webhooksReceived: counter("driftwood_webhooks_received_total", "Provider webhook deliveries received, by gateway", ["gateway"]),
    webhooksDuplicate: counter("driftwood_webhooks_duplicate_total", "Webhook deliveries of an event already processed, by gateway", [
      "gateway",
    ]),
    webhooksInvalidSignature: counter(
      "driftwood_webhooks_invalid_signature_total",
      "Webhook deliveries refused because the signature did not verify, by gateway",
      ["gateway"],
    ),
    webhooksFailed: counter(
      "driftwood_webhooks_failed_total",
      "Verified webhook deliveries whose handling threw (the provider retries), by gateway",
      ["gateway"],
    ),
    webhookLag: new Histogram({
      name: "driftwood_webhook_lag_seconds",
      help: "Seconds from the provider creating an event to Driftwood processing it (first delivery only), by gateway",
      labelNames: ["gateway"] as const,
      buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 21600],
      registers,
    }),

    // Jobs (graphile-worker events in the process that runs the worker).
    jobFailures: counter("driftwood_job_failures_total", "Job attempts that threw or whose payload the task refused, by task", ["task"]),
    jobRetries: counter("driftwood_job_retries_total", "Failed job attempts that will be retried, by task", ["task"]),
    jobsFailedPermanently: counter(
      "driftwood_jobs_failed_permanently_total",
      "Jobs failed for good: their last attempt failed, or the task refused their payload, by task",
      ["task"],
    ),
    jobsSucceeded: counter("driftwood_jobs_succeeded_total", "Job attempts that completed, by task", ["task"]),
    jobsQueued: scraped(
      "driftwood_jobs_queued",
      "Jobs due now and waiting for a worker (read from graphile_worker at scrape time), by task",
      ["task"],
    ),
    jobsRetrying: scraped("driftwood_jobs_retrying", "Jobs that failed at least once and wait for another attempt (scrape time), by task", [
      "task",
    ]),
    jobsDead: scraped("driftwood_jobs_dead", "Jobs that used all their attempts and still sit in the queue (scrape time), by task", [
      "task",
    ]),
    jobQueueOldest: scraped(
      "driftwood_job_queue_oldest_seconds",
      "Age in seconds of the oldest job due and not yet taken (scrape time), by task",
      ["task"],
    ),

    // Reconciliation.
    reconciliationMismatchesFound: counter(
      "driftwood_reconciliation_mismatches_found_total",
      "Mismatches found by reconciliation runs in this process, by kind and repaired",
      ["kind", "repaired"],
    ),
    reconciliationMismatches: scraped(
      "driftwood_reconciliation_mismatches",
      "Unrepaired mismatches in the latest finished reconciliation run (scrape time), by kind",
      ["kind"],
    ),
    reconciliationLastSuccess: scraped(
      "driftwood_reconciliation_last_success_timestamp_seconds",
      "Unix time the latest reconciliation run finished without error (scrape time; 0 if never)",
      [],
    ),

    // Payouts (prizes at a bracket's completion). The platform has no wallet withdrawals to a bank yet.
    payouts: counter("driftwood_payouts_total", "Bracket prize payouts, by status (paid, refused)", ["status"]),
    payoutAmount: counter(
      "driftwood_payout_amount_cents_total",
      "Money paid out by completed brackets in minor units, by kind (prize, organizer, platform_fee)",
      ["kind"],
    ),

    // Escrow of live events and database health (scrape time).
    liveEvents: scraped("driftwood_live_events", "Events in the live phase (scrape time)", []),
    liveEscrow: scraped(
      "driftwood_live_escrow_balance_cents",
      "Money held in the escrows of live events, in minor units (scrape time)",
      [],
    ),
    paidOutEscrowNotEmpty: scraped(
      "driftwood_paid_out_escrow_not_empty_events",
      "Events paid out in the last 7 days whose escrow is not 0 (should always be 0; scrape time)",
      [],
    ),
    databaseUp: scraped("driftwood_database_up", "1 if the database answered a query within 3 seconds at scrape time, else 0", []),
    databaseLatency: scraped("driftwood_database_ping_seconds", "Round-trip time of the scrape-time database check in seconds", []),

    // Live updates (SSE in this process).
    liveConnections: new Gauge({ name: "driftwood_live_connections", help: "Open live (SSE) streams in this process", registers }),
    liveDeliveryLag: new Histogram({
      name: "driftwood_live_delivery_lag_seconds",
      help: "Seconds from a live event being stored to this process handing it to its subscribers (once per event)",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
  };
  for (const gateway of GATEWAYS) {
    for (const c of [
      metrics.paymentsStarted,
      metrics.paymentsSucceeded,
      metrics.paymentsFailed,
      metrics.webhooksReceived,
      metrics.webhooksDuplicate,
      metrics.webhooksInvalidSignature,
      metrics.webhooksFailed,
    ]) {
      c.inc({ gateway }, 0);
    }
  }
  for (const kind of MISMATCH_KINDS) for (const repaired of ["yes", "no"]) metrics.reconciliationMismatchesFound.inc({ kind, repaired }, 0);
  for (const status of ["paid", "refused"]) metrics.payouts.inc({ status }, 0);
  return metrics;
}

type Metrics = ReturnType<typeof createMetrics>;

// One registry per process, even when Next.js loads this module in more than one bundle.
const globalForMetrics = globalThis as unknown as { driftwoodMetricsV2?: Metrics };
export const metrics: Metrics = (globalForMetrics.driftwoodMetricsV2 ??= createMetrics());

export function recordTrpcCall(procedure: string, type: string, code: string, seconds: number): void {
  metrics.trpcRequests.inc({ procedure, type, code });
  metrics.trpcDuration.observe({ procedure, type, code }, seconds);
}

export type PaymentOutcome = "succeeded" | "failed";

/** Call after the transaction that recorded the outcomes committed. */
export function recordPaymentOutcomes(outcomes: readonly { gateway: string; outcome: PaymentOutcome }[]): void {
  for (const { gateway, outcome } of outcomes)
    (outcome === "succeeded" ? metrics.paymentsSucceeded : metrics.paymentsFailed).inc({ gateway });
}
