import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { Internal } from "@/server/errors";
import { walletBalances } from "@/server/ledger";
import { createUser } from "@/server/testing/factories";
import { startTopUp } from "@/server/wallet/service";
import type { GatewayEvent } from "./gateway";
import { purposeHooks } from "./purposes";
import { getPayment } from "./service";
import { createSimulatedGateway } from "./simulated-gateway";
import { processWebhook } from "./webhooks";

const { db } = await createTestDatabase();
const outbox: GatewayEvent[] = [];
const gateway = createSimulatedGateway(db, "whsec_purposes_test", async (_tx, event) => {
  outbox.push(event);
});

/** Runs `work` as a process would that never loaded server/composition.ts (the vitest set-up loads it). */
async function withoutComposition<T>(work: () => Promise<T>): Promise<T> {
  const store = globalThis as Record<string, unknown>;
  const registered = store.driftwoodPaymentPurposes;
  delete store.driftwoodPaymentPurposes;
  try {
    return await work();
  } finally {
    store.driftwoodPaymentPurposes = registered;
  }
}

describe("payment purposes without the composition root", () => {
  it("are an Internal error naming the purpose and the composition root, never a default", async () => {
    await withoutComposition(async () => {
      for (const purpose of ["wallet_topup", "registration"] as const) {
        expect(() => purposeHooks(purpose)).toThrow(Internal);
        expect(() => purposeHooks(purpose)).toThrow(
          `payment purpose "${purpose}": the composition root (server/composition.ts) was not loaded`,
        );
      }
    });
  });

  it("fail a succeeded payment's webhook and change nothing; the provider's retry, once registered, credits exactly once", async () => {
    const user = await createUser(db);
    const topUp = await startTopUp(db, gateway, { userId: user.id, amount: 2_500, idempotencyKey: crypto.randomUUID() });
    const payment = (await getPayment(db, topUp.id))!;
    await gateway.confirmCard({
      intentId: payment.gatewayPaymentId!,
      clientSecret: payment.clientSecret!,
      cardNumber: "4242424242424242",
      cardLast4: "4242",
    });
    const [succeeded] = outbox.splice(0);
    const raw = JSON.stringify(succeeded);

    await withoutComposition(async () => {
      await expect(processWebhook(db, gateway, raw, gateway.signPayload(raw))).rejects.toThrow(/payment purpose "wallet_topup"/);
    });
    expect((await getPayment(db, topUp.id))?.status).toBe("pending");
    expect(await walletBalances(db, user.id)).toEqual({ available: 0, held: 0, current: 0 });

    expect((await processWebhook(db, gateway, raw, gateway.signPayload(raw))).body.outcome).toBe("processed");
    expect((await processWebhook(db, gateway, raw, gateway.signPayload(raw))).body.outcome).toBe("duplicate");
    expect((await getPayment(db, topUp.id))?.status).toBe("succeeded");
    expect(await walletBalances(db, user.id)).toEqual({ available: 2_500, held: 0, current: 2_500 });
  });
});
