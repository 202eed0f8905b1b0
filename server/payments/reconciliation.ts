import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { paymentRefunds, payments, reconciliationMismatches, reconciliationRuns, type MismatchKind } from "@/db/schema/payments";
import { logger } from "@/server/logger";
import { metrics, recordPaymentOutcomes } from "@/server/metrics";
import type { GatewayPaymentIntent, PaymentGateway } from "./gateway";
import { reconcilePayouts } from "./payout-reconciliation";
import { applyIntent, type PaymentOutcomes } from "./service";

const log = logger.child({ component: "reconciliation" });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** In every mismatch, `expected` is what the processor says and `actual` what the ledger says. */
/** The last 20 reconciliation runs, newest first (the admin's page). */
export function recentReconciliationRuns(db: Db) {
  return db.select().from(reconciliationRuns).orderBy(desc(reconciliationRuns.startedAt)).limit(20);
}

/** What a run found, in the order it found it. */
export function reconciliationMismatchesOf(db: Db, runId: string) {
  return db
    .select()
    .from(reconciliationMismatches)
    .where(eq(reconciliationMismatches.runId, runId))
    .orderBy(reconciliationMismatches.createdAt);
}

export interface ReconciliationSummary {
  runId: string;
  intentsChecked: number;
  mismatches: {
    kind: MismatchKind;
    paymentId: string | null;
    gatewayPaymentId: string | null;
    expected: number | null;
    actual: number | null;
    repaired: boolean;
    /** For a payout: the withdrawal. */
    details?: Record<string, unknown>;
  }[];
}

/**
 * Compares the provider's payment intents and refunds since `lookbackDays` ago with our payments
 * and lists every difference. "Paid but not credited" is repaired through the same code the
 * webhook uses, which credits once however often it runs.
 */
export async function runReconciliation(
  db: Db,
  gateway: PaymentGateway,
  input: { trigger: "schedule" | "manual" | "test"; actorId?: string; lookbackDays?: number },
): Promise<ReconciliationSummary> {
  const since = new Date(Date.now() - (input.lookbackDays ?? 30) * 24 * 3600 * 1000);
  const [run] = await db.insert(reconciliationRuns).values({ trigger: input.trigger, actorId: input.actorId, since }).returning();
  const mismatches: ReconciliationSummary["mismatches"] = [];
  let intentsChecked = 0;
  try {
    const intents = new Map<string, GatewayPaymentIntent>();
    for await (const intent of gateway.listPaymentIntents({ createdAfter: since })) {
      intents.set(intent.id, intent);
      intentsChecked++;
      const paymentId = intent.metadata.paymentId;
      if (intent.status !== "succeeded" || !paymentId || !UUID.test(paymentId)) continue;
      const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
      if (payment?.status === "succeeded") continue;
      const outcomes: PaymentOutcomes = [];
      const outcome = payment ? await db.transaction((tx) => applyIntent(tx, intent, outcomes)) : "unknown";
      recordPaymentOutcomes(outcomes);
      mismatches.push({
        kind: "paid_not_credited",
        paymentId: payment?.id ?? null,
        gatewayPaymentId: intent.id,
        expected: intent.amount,
        actual: 0,
        repaired: outcome === "changed",
      });
    }

    const credited = await db
      .select()
      .from(payments)
      .where(and(eq(payments.status, "succeeded"), eq(payments.gateway, gateway.name), gte(payments.createdAt, since)));
    for (const payment of credited) {
      const intent =
        intents.get(payment.gatewayPaymentId ?? "") ??
        (payment.gatewayPaymentId ? await gateway.retrievePaymentIntent(payment.gatewayPaymentId) : null);
      if (intent?.status === "succeeded" && intent.amount === payment.amount) continue;
      mismatches.push({
        kind: "credited_not_paid",
        paymentId: payment.id,
        gatewayPaymentId: payment.gatewayPaymentId,
        expected: intent?.status === "succeeded" ? intent.amount : 0,
        actual: payment.amount,
        repaired: false,
      });
    }

    const providerRefunds = new Map<string, number>();
    for await (const refund of gateway.listRefunds({ createdAfter: since })) {
      if (refund.status === "succeeded")
        providerRefunds.set(refund.paymentIntentId, (providerRefunds.get(refund.paymentIntentId) ?? 0) + refund.amount);
    }
    const ours = await db
      .select({
        paymentId: payments.id,
        gatewayPaymentId: payments.gatewayPaymentId,
        total: sql<string>`coalesce(sum(${paymentRefunds.amount}) filter (where ${paymentRefunds.status} = 'succeeded'), 0)`,
      })
      .from(payments)
      .innerJoin(paymentRefunds, eq(paymentRefunds.paymentId, payments.id))
      .where(and(eq(payments.gateway, gateway.name), gte(paymentRefunds.createdAt, since)))
      .groupBy(payments.id, payments.gatewayPaymentId);
    const seen = new Set<string>();
    for (const row of ours) {
      seen.add(row.gatewayPaymentId ?? "");
      const theirs = providerRefunds.get(row.gatewayPaymentId ?? "") ?? 0;
      if (theirs !== Number(row.total)) {
        mismatches.push({
          kind: "refund_amount_differs",
          paymentId: row.paymentId,
          gatewayPaymentId: row.gatewayPaymentId,
          expected: theirs,
          actual: Number(row.total),
          repaired: false,
        });
      }
    }
    for (const [gatewayPaymentId, theirs] of providerRefunds) {
      if (seen.has(gatewayPaymentId) || !intents.has(gatewayPaymentId)) continue;
      const [payment] = await db.select({ id: payments.id }).from(payments).where(eq(payments.gatewayPaymentId, gatewayPaymentId));
      if (!payment) continue;
      mismatches.push({
        kind: "refund_amount_differs",
        paymentId: payment.id,
        gatewayPaymentId,
        expected: theirs,
        actual: 0,
        repaired: false,
      });
    }

    const payouts = await reconcilePayouts(db, gateway, since);
    intentsChecked += payouts.checked;
    mismatches.push(
      ...payouts.mismatches.map((m) => ({
        kind: m.kind,
        paymentId: null,
        gatewayPaymentId: m.gatewayPayoutId,
        expected: m.expected,
        actual: m.actual,
        repaired: m.repaired,
        details: { withdrawalId: m.withdrawalId },
      })),
    );

    if (mismatches.length > 0) {
      await db.insert(reconciliationMismatches).values(
        mismatches.map((m) => ({
          runId: run!.id,
          kind: m.kind,
          paymentId: m.paymentId,
          gatewayPaymentId: m.gatewayPaymentId,
          expectedAmount: m.expected,
          actualAmount: m.actual,
          repaired: m.repaired ? ("yes" as const) : ("no" as const),
          details: m.details ?? {},
        })),
      );
    }
    await db
      .update(reconciliationRuns)
      .set({
        status: "finished",
        intentsChecked,
        mismatchCount: mismatches.length,
        repairedCount: mismatches.filter((m) => m.repaired).length,
        finishedAt: new Date(),
      })
      .where(eq(reconciliationRuns.id, run!.id));
    for (const m of mismatches) metrics.reconciliationMismatchesFound.inc({ kind: m.kind, repaired: m.repaired ? "yes" : "no" });
    log.info({ runId: run!.id, intentsChecked, mismatches: mismatches.length }, "reconciliation finished");
    return { runId: run!.id, intentsChecked, mismatches };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(reconciliationRuns)
      .set({ status: "failed", error: message, finishedAt: new Date(), intentsChecked })
      .where(eq(reconciliationRuns.id, run!.id));
    log.error({ runId: run!.id, err: message }, "reconciliation failed");
    throw error;
  }
}
