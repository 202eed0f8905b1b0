/**
 * The organizer's dashboard and the event page follow `event:<id>`: every change to the event's
 * entries (a checkout started, paid, waitlisted, checked in, imported, withdrawn) is announced
 * there, once the change commits, with a payload that names nobody (the topic is public).
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, payments } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { Invalid } from "@/server/errors";
import { credit, platformAccount } from "@/server/ledger";
import type { GatewayEvent } from "@/server/payments/gateway";
import { createSimulatedGateway } from "@/server/payments/simulated-gateway";
import { processWebhook } from "@/server/payments/webhooks";
import { createGame, createOpenEvent, createUser, insertPlayers } from "@/server/testing/factories";
import { importParticipantsCsv } from "./import";
import { REGISTRATIONS_CHANGED } from "./lifecycle";
import { checkIn, checkout, withdraw } from "./service";

const { db } = await createTestDatabase();
const outbox: GatewayEvent[] = [];
const gateway = createSimulatedGateway(db, "whsec_registration_live_test", async (_tx, event) => {
  outbox.push(event);
});
const key = () => crypto.randomUUID();
let gameId: string;
let organizer: SessionUser;

beforeAll(async () => {
  gameId = (await createGame(db)).id;
  organizer = await createUser(db, { role: "organizer" });
});

const openEvent = (overrides: Parameters<typeof createOpenEvent>[2] = {}) =>
  createOpenEvent(db, { organizerId: organizer.id, gameId }, overrides);

async function players(count: number, cents = 0): Promise<SessionUser[]> {
  const rows = await insertPlayers(db, count);
  for (const row of rows) {
    if (cents === 0) continue;
    await credit(db, {
      userId: row.id,
      amount: cents,
      fromAccountId: await platformAccount(db, "card_clearing"),
      category: "topup",
      description: "Test funds",
      idempotencyKey: key(),
    });
  }
  return rows;
}

/** The payloads announced on the event's topic so far, oldest first. */
async function announced(eventId: string): Promise<unknown[]> {
  const rows = await db.execute<{ payload: unknown }>(
    sql`select payload from live_events where topic = ${`event:${eventId}`} order by seq`,
  );
  return rows.map((row) => row.payload);
}

/** Runs `change` and returns what it announced on the event's topic. */
async function announcedBy(eventId: string, change: () => Promise<unknown>): Promise<unknown[]> {
  const before = (await announced(eventId)).length;
  await change();
  return (await announced(eventId)).slice(before);
}

async function payCard(paymentId: string) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  await gateway.confirmCard({
    intentId: payment!.gatewayPaymentId!,
    clientSecret: payment!.clientSecret!,
    cardNumber: "4242424242424242",
    cardLast4: "4242",
  });
  for (const event of outbox.splice(0, outbox.length)) {
    const raw = JSON.stringify(event);
    await processWebhook(db, gateway, raw, gateway.signPayload(raw));
  }
}

describe("announcements on the event's topic", () => {
  it("a card checkout is announced when it takes its seat (paying) and again when the card is paid (confirmed)", async () => {
    const event = await openEvent({ entryFee: 1_500 });
    const [player] = await players(1);
    let paymentId = "";
    expect(
      await announcedBy(event.id, async () => {
        const started = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 0 });
        expect(started.next).toBe("pay_card");
        paymentId = started.paymentId!;
      }),
    ).toEqual([REGISTRATIONS_CHANGED]);
    expect(await announcedBy(event.id, () => payCard(paymentId))).toEqual([REGISTRATIONS_CHANGED]);
  });

  it("joining the waitlist of a full event is announced; a refused registration announces nothing", async () => {
    const event = await openEvent({ entryFee: 0, capacity: 2 });
    const [first, second, third] = await players(3);
    for (const player of [first!, second!])
      await checkout(db, gateway, player, { eventId: event.id, idempotencyKey: key(), walletAmount: 0 });
    expect(
      await announcedBy(event.id, async () => {
        const waiting = await checkout(db, gateway, third!, { eventId: event.id, idempotencyKey: key(), walletAmount: 0 });
        expect(waiting.next).toBe("waitlisted");
      }),
    ).toEqual([REGISTRATIONS_CHANGED]);
    // Registering again is refused (already on the waitlist): nothing changed, nothing is said.
    const refused = await announcedBy(event.id, () =>
      checkout(db, gateway, third!, { eventId: event.id, idempotencyKey: key(), walletAmount: 0 }).catch((error: unknown) => {
        expect(error).toBeInstanceOf(Invalid);
      }),
    );
    expect(refused).toEqual([]);
  });

  it("a check-in is announced once; checking in again announces nothing", async () => {
    const event = await openEvent({ entryFee: 0 });
    const [player] = await players(1);
    const entry = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 0 });
    await db
      .update(events)
      .set({ checkInOpensAt: new Date(Date.now() - 60_000) })
      .where(eq(events.id, event.id));
    expect(await announcedBy(event.id, () => checkIn(db, player!, entry.registrationId))).toEqual([REGISTRATIONS_CHANGED]);
    expect(await announcedBy(event.id, () => checkIn(db, player!, entry.registrationId))).toEqual([]);
  });

  it("a CSV import is announced once, and a withdrawal (a refund) too", async () => {
    const event = await openEvent({ entryFee: 500 });
    const [imported, paying] = await players(2, 500);
    const text = `email\n${imported!.email}\n`;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    expect(await announcedBy(event.id, () => importParticipantsCsv(db, organizer, event.id, stream, "participants"))).toEqual([
      REGISTRATIONS_CHANGED,
    ]);
    const entry = await checkout(db, gateway, paying!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
    expect(await announcedBy(event.id, () => withdraw(db, paying!, entry.registrationId))).toContainEqual(REGISTRATIONS_CHANGED);
  });
});
