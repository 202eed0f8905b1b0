import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { createGame, createOpenEvent, createUser } from "@/server/testing/factories";
import { fundWallets } from "@/server/testing/entries";
import { paymentGateway } from "@/server/payments/provider";
import { payerContext } from "@/server/payments/purposes";
import { getPayment } from "@/server/payments/service";
import type { SimulatedGateway } from "@/server/payments/simulated-gateway";
import { runDueJobs } from "@/server/worker";
import { createCaller } from "@/server/root";
import { codeOf } from "@/server/testing/trpc";
import { createInnerContext } from "@/server/trpc";
import { CHECKOUT_TTL_MS } from "./lifecycle";
import { checkout } from "./service";

const database = await createTestDatabase();
const { db } = database;
let organizer: SessionUser;
let gameId: string;

beforeAll(async () => {
  organizer = await createUser(db, { role: "organizer" });
  gameId = (await createGame(db, { name: "Context Game" })).id;
});

/** A $5.00 entry, $2.00 of it from the wallet: the card step's payment. */
async function splitEntry() {
  const event = await createOpenEvent(
    db,
    { organizerId: organizer.id, gameId },
    { entryFee: 500, name: `Card Step Cup ${crypto.randomUUID().slice(0, 6)}` },
  );
  const player = await createUser(db);
  await fundWallets(db, [player.id], 200);
  const before = Date.now();
  const entry = await checkout(db, await paymentGateway(db), player, {
    eventId: event.id,
    idempotencyKey: crypto.randomUUID(),
    walletAmount: 200,
  });
  expect(entry.next).toBe("pay_card");
  return { event, player, paymentId: entry.paymentId!, before };
}

describe("the card step of an entry fee tells its payer what they pay for", () => {
  it("the payer sees the event, the fee split into wallet and card, and when the seat is released", async () => {
    const { event, player, paymentId, before } = await splitEntry();
    const view = await createCaller(createInnerContext({ db, user: player })).payments.simulatedCheckout({ paymentId });
    expect(view).toMatchObject({
      purpose: "registration",
      amount: 300,
      returnTo: `/events/${event.id}?payment=${paymentId}#register`,
      context: { title: event.name, path: `/events/${event.id}`, total: 500, walletHeld: 200, card: 300 },
    });
    const heldUntil = view.context!.heldUntil!.getTime();
    expect(heldUntil).toBeGreaterThanOrEqual(before + CHECKOUT_TTL_MS - 1_000);
    expect(heldUntil).toBeLessThanOrEqual(Date.now() + CHECKOUT_TTL_MS);
  });

  it("anyone else gets NOT_FOUND, as if the payment did not exist", async () => {
    const { paymentId } = await splitEntry();
    const stranger = await createUser(db);
    expect(await codeOf(createCaller(createInnerContext({ db, user: stranger })).payments.simulatedCheckout({ paymentId }))).toBe(
      "NOT_FOUND",
    );
  });

  it("a top-up has nothing to add; a paid entry no longer counts down", async () => {
    const { player, paymentId } = await splitEntry();
    const topUp = await createCaller(createInnerContext({ db, user: player })).wallet.startTopUp({
      amount: 1_000,
      idempotencyKey: crypto.randomUUID(),
    });
    expect(await payerContext(db, (await getPayment(db, topUp.id))!)).toBeNull();
    const gateway = (await paymentGateway(db)) as SimulatedGateway;
    const payment = (await getPayment(db, paymentId))!;
    await gateway.confirmCard({
      intentId: payment.gatewayPaymentId!,
      clientSecret: payment.clientSecret!,
      cardNumber: "4242424242424242",
      cardLast4: "4242",
    });
    await runDueJobs(database);
    expect((await getPayment(db, paymentId))?.status).toBe("succeeded");
    expect(await payerContext(db, (await getPayment(db, paymentId))!)).toMatchObject({
      total: 500,
      walletHeld: 200,
      card: 300,
      heldUntil: null,
    });
  });
});
