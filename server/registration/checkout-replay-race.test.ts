/**
 * A checkout sent twice at once (a double click) where the first takes the event's last seat: the
 * second may miss the first's entry when it looks its key up, then read the event as full and go
 * to the waitlist, whose insert finds the first's entry by the key. It must answer as the first
 * does, with the card payment the first is starting (the money property found it answering with
 * no payment once in 1,500 lives). The interleaving is forced here: the second's read of the event
 * waits until the first has committed its entry and is asking the gateway for the card intent.
 */
import { describe, expect, it, vi } from "vitest";

const gate = vi.hoisted(() => {
  let release: () => void = () => {};
  const firstCommitted = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { calls: 0, firstCommitted, release };
});

vi.mock("@/server/events/status", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/events/status")>();
  return {
    ...original,
    getEventRow: async (...args: Parameters<typeof original.getEventRow>) => {
      gate.calls += 1;
      if (gate.calls === 2) await gate.firstCommitted;
      return original.getEventRow(...args);
    },
  };
});

const { createTestDatabase } = await import("@/db/testing/database");
const { createOpenEvent, createUser, insertPlayers } = await import("@/server/testing/factories");
const { games } = await import("@/db/schema");
const { createSimulatedGateway } = await import("@/server/payments/simulated-gateway");
const { checkout } = await import("./service");

const { db } = await createTestDatabase();

describe("a double-submitted card checkout that takes the last seat", () => {
  it("answers both submissions with the same entry and the same card payment", async () => {
    const [game] = await db
      .insert(games)
      .values({ slug: `g-${crypto.randomUUID()}`, name: "Race Game", handleLabel: "Tag" })
      .returning();
    const organizer = await createUser(db, { role: "organizer" });
    const event = await createOpenEvent(db, { organizerId: organizer.id, gameId: game!.id }, { capacity: 2, seatsTaken: 1, entryFee: 500 });
    const [player] = await insertPlayers(db, 1);

    const simulated = createSimulatedGateway(db, "whsec_race_test", async () => {});
    const gateway: typeof simulated = {
      ...simulated,
      // The first checkout reaches the gateway only after its entry (the last seat) committed:
      // that is when the second may read the event. The intent then takes a while, as a real one does.
      createPaymentIntent: async (input) => {
        gate.release();
        await new Promise((resolve) => setTimeout(resolve, 300));
        return simulated.createPaymentIntent(input);
      },
    };

    const input = { eventId: event.id, idempotencyKey: crypto.randomUUID(), walletAmount: 0 };
    const [first, second] = await Promise.all([checkout(db, gateway, player!, input), checkout(db, gateway, player!, input)]);

    expect(gate.calls).toBeGreaterThanOrEqual(2);
    expect(first.next).toBe("pay_card");
    expect(first.paymentId).not.toBeNull();
    expect({ next: second.next, registrationId: second.registrationId, paymentId: second.paymentId }).toEqual({
      next: first.next,
      registrationId: first.registrationId,
      paymentId: first.paymentId,
    });
  });
});
