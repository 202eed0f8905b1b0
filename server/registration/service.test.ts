import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, games, payments, registrations } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createOpenEvent, createUser, insertPlayers } from "@/server/testing/factories";
import { soloEntries } from "@/server/testing/entries";
import type { SessionUser } from "@/server/accounts/roles";
import type { GatewayEvent } from "@/server/payments/gateway";
import { refundPayment } from "@/server/payments/service";
import { createSimulatedGateway } from "@/server/payments/simulated-gateway";
import { processWebhook } from "@/server/payments/webhooks";
import { accountBalance, credit, eventEscrowAccount, platformAccount, walletBalances } from "@/server/ledger";
import { walletHistory } from "@/server/wallet/service";
import {
  addParticipant,
  dropNoShows,
  removeParticipant,
  cancelEvent,
  checkIn,
  checkout,
  createPromoCode,
  expireCheckout,
  myRegistration,
  refundCancelledEvent,
  withdraw,
} from "./service";
import { codeOf } from "@/server/testing/trpc";
import { startBracket } from "@/server/brackets/service";
import { DomainError, Invalid } from "@/server/errors";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";

const { db } = await createTestDatabase();
const outbox: GatewayEvent[] = [];
const gateway = createSimulatedGateway(db, "whsec_registration_test", async (_tx, event) => {
  outbox.push(event);
});
const key = () => crypto.randomUUID();
let gameId: string;
let organizer: SessionUser;

beforeAll(async () => {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${key()}`, name: "Test Game", handleLabel: "Tag" })
    .returning();
  gameId = game!.id;
  organizer = await createUser(db, { role: "organizer" });
});

function openEvent(overrides: Parameters<typeof createOpenEvent>[2] = {}) {
  return createOpenEvent(db, { organizerId: organizer.id, gameId }, overrides);
}

/** Players made straight in the table (no argon2), each with `cents` in the wallet. */
async function fundedPlayers(count: number, cents: number): Promise<SessionUser[]> {
  const rows = await insertPlayers(db, count);
  const clearing = await platformAccount(db, "card_clearing");
  for (const row of rows) {
    if (cents > 0)
      await credit(db, {
        userId: row.id,
        amount: cents,
        fromAccountId: clearing,
        category: "topup",
        description: "Test funds",
        idempotencyKey: key(),
      });
  }
  return rows;
}

async function deliverAll() {
  for (const event of outbox.splice(0, outbox.length)) {
    const raw = JSON.stringify(event);
    await processWebhook(db, gateway, raw, gateway.signPayload(raw));
  }
}

async function payCard(paymentId: string, card: string) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  await gateway.confirmCard({
    intentId: payment!.gatewayPaymentId!,
    clientSecret: payment!.clientSecret!,
    cardNumber: card,
    cardLast4: card.slice(-4),
  });
  await deliverAll();
}

async function expectLedgerConsistent() {
  const [row] = await db.execute<{ total: string; drift: number; negative: number }>(sql`
    select (select coalesce(sum(amount), 0) from ledger_entries)::bigint as total,
      (select count(*) from ledger_accounts a where a.balance is not null
        and a.balance <> (select coalesce(sum(amount), 0) from ledger_entries e where e.account_id = a.id))::int as drift,
      (select count(*) from ledger_accounts where balance < 0)::int as negative`);
  expect(row).toEqual({ total: "0", drift: 0, negative: 0 });
}

describe("capacity under concurrency", () => {
  it("500 funded players at once for 64 seats: exactly 64 confirmed, the rest waitlisted, nobody charged twice", async () => {
    const event = await openEvent({ capacity: 64, entryFee: 1_500 });
    const players = await fundedPlayers(500, 5_000);
    const results = await Promise.all(
      players.map((player) => checkout(db, gateway, player, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_500 })),
    );
    expect(results.filter((r) => r.next === "confirmed")).toHaveLength(64);
    expect(results.filter((r) => r.next === "waitlisted")).toHaveLength(436);
    const [seats] = await db.select({ taken: events.seatsTaken }).from(events).where(eq(events.id, event.id));
    expect(seats?.taken).toBe(64);
    const balances = await Promise.all(players.map((p) => walletBalances(db, p.id)));
    expect(balances.filter((b) => b.available === 3_500)).toHaveLength(64);
    expect(balances.filter((b) => b.available === 5_000)).toHaveLength(436);
    expect(await accountBalance(db, await eventEscrowAccount(db, event.id))).toBe(64 * 1_500);
    await expectLedgerConsistent();
  }, 120_000);

  it("one player submitting the same checkout 50 times at once: one registration, one charge", async () => {
    const event = await openEvent();
    const [player] = await fundedPlayers(1, 5_000);
    const idempotencyKey = key();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => checkout(db, gateway, player!, { eventId: event.id, idempotencyKey, walletAmount: 1_000 })),
    );
    expect(new Set(results.map((r) => r.registrationId)).size).toBe(1);
    expect(results.every((r) => r.next === "confirmed")).toBe(true);
    expect((await walletBalances(db, player!.id)).available).toBe(4_000);
    const rows = await db.select().from(registrations).where(eq(registrations.eventId, event.id));
    expect(rows).toHaveLength(1);
    // A new attempt (new key) while registered is refused in words.
    expect(await codeOf(checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_000 }))).toBe(
      "BAD_REQUEST",
    );
  });
});

describe("check-ins beside new entries", () => {
  it("players checking in while others register into the same event never deadlock: every entry and check-in lands", async () => {
    const event = await openEvent({ capacity: 200, entryFee: 0 });
    // soloEntries registers and checks in players several at a time: inserts of entries (which
    // share-lock the event row for the foreign key) race check-ins (which lock the event row).
    const entries = await soloEntries(db, event.id, 60);
    const rows = await db
      .select({ status: registrations.status, checkedInAt: registrations.checkedInAt })
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    expect(entries).toHaveLength(60);
    expect(rows.filter((row) => row.status === "confirmed" && row.checkedInAt !== null)).toHaveLength(60);
    const [seats] = await db.select({ taken: events.seatsTaken }).from(events).where(eq(events.id, event.id));
    expect(seats?.taken).toBe(60);
  });
});

describe("resends", () => {
  it("pairs of identical requests sent at the same moment both get the first answer, never an error", async () => {
    const event = await openEvent({ capacity: 40, entryFee: 300 });
    const players = await fundedPlayers(60, 1_000);
    const pairs = await Promise.all(
      players.map(async (player) => {
        const request = { eventId: event.id, idempotencyKey: key(), walletAmount: 300 };
        return Promise.all([checkout(db, gateway, player, request), checkout(db, gateway, player, request)]);
      }),
    );
    for (const [a, b] of pairs) expect(b!.registrationId).toBe(a!.registrationId);
    expect(pairs.filter(([a]) => a!.next === "confirmed")).toHaveLength(40);
    const balances = await Promise.all(players.map((p) => walletBalances(db, p.id)));
    expect(balances.filter((b) => b.available === 700)).toHaveLength(40);
    expect(balances.filter((b) => b.available === 1_000)).toHaveLength(20);
    await expectLedgerConsistent();
  });
});

describe("paid in full from the wallet (one statement)", () => {
  it("confirms, charges, takes the seat, announces and queues the confirmations together", async () => {
    const event = await openEvent({ capacity: 8, entryFee: 1_200 });
    const [player] = await fundedPlayers(1, 2_000);
    const [before] = await db.execute<{ seq: string | null }>(
      sql`select max(seq)::text as seq from live_events where topic = ${`event:${event.id}`}`,
    );
    const result = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_200 });
    expect(result).toMatchObject({
      next: "confirmed",
      status: "confirmed",
      total: 1_200,
      walletAmount: 1_200,
      cardAmount: 0,
      paymentId: null,
    });
    const [row] = await db.select().from(registrations).where(eq(registrations.id, result.registrationId));
    expect(row).toMatchObject({ status: "confirmed", fee: 1_200, discount: 0, walletAmount: 1_200, cardAmount: 0, holdId: null });
    expect(row!.walletTransferId).not.toBeNull();
    expect(row!.confirmedAt).toBeInstanceOf(Date);
    expect((await walletBalances(db, player!.id)).available).toBe(800);
    expect(await accountBalance(db, await eventEscrowAccount(db, event.id))).toBe(1_200);
    const [seats] = await db.select({ taken: events.seatsTaken }).from(events).where(eq(events.id, event.id));
    expect(seats?.taken).toBe(1);
    const [after] = await db.execute<{ seq: string }>(
      sql`select max(seq)::text as seq from live_events where topic = ${`event:${event.id}`}`,
    );
    expect(Number(after!.seq)).toBe(Number(before!.seq ?? 0) + 1);
    const jobs = await db.execute<{ key: string }>(sql`select j.payload->>'dedupeKey' as key from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'send-notification' and j.payload->>'dedupeKey' like ${`registration:${result.registrationId}:%`} order by 1`);
    expect(jobs.map((j) => j.key)).toEqual([
      `registration:${result.registrationId}:confirmed`,
      `registration:${result.registrationId}:organizer`,
    ]);
    await expectLedgerConsistent();
  });

  it("a wallet that cannot pay writes nothing: no entry, no seat, no charge, and says so", async () => {
    const event = await openEvent({ capacity: 8, entryFee: 1_200 });
    const [player] = await fundedPlayers(1, 1_000);
    const refused = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_200 }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(Invalid);
    expect((refused as Invalid).message).toBe("There is not enough money in the wallet for this.");
    expect(await db.select().from(registrations).where(eq(registrations.eventId, event.id))).toHaveLength(0);
    const [seats] = await db.select({ taken: events.seatsTaken }).from(events).where(eq(events.id, event.id));
    expect(seats?.taken).toBe(0);
    expect((await walletBalances(db, player!.id)).available).toBe(1_000);
    const [announced] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from live_events where topic = ${`event:${event.id}`}`,
    );
    expect(announced!.n).toBe(0);
    // Topped up, the same player can then register.
    await credit(db, {
      userId: player!.id,
      amount: 500,
      fromAccountId: await platformAccount(db, "card_clearing"),
      category: "topup",
      description: "Test funds",
      idempotencyKey: key(),
    });
    expect((await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_200 })).next).toBe(
      "confirmed",
    );
    await expectLedgerConsistent();
  });

  it("the last use of a promo code goes to exactly one of two players checking out at once", async () => {
    const event = await openEvent({ capacity: 8, entryFee: 1_000 });
    const code = `LAST${key().slice(0, 4)}`.toUpperCase();
    await createPromoCode(db, organizer, { eventId: event.id, code, kind: "percent", value: 50, maxUses: 1 });
    const players = await fundedPlayers(2, 2_000);
    const outcomes = await Promise.all(
      players.map((player) =>
        checkout(db, gateway, player, { eventId: event.id, idempotencyKey: key(), walletAmount: 500, promoCode: code }).catch(
          (e: unknown) => e,
        ),
      ),
    );
    const confirmed = outcomes.filter((o) => !(o instanceof DomainError));
    const refused = outcomes.filter((o): o is DomainError => o instanceof DomainError);
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({ next: "confirmed", total: 500 });
    expect(refused.map((e) => e.message)).toEqual(["That code has been used up."]);
    const balances = await Promise.all(players.map((p) => walletBalances(db, p.id)));
    expect(balances.map((b) => b.available).sort()).toEqual([1_500, 2_000]);
    const [uses] = await db.execute<{ uses: number }>(sql`select uses from promo_codes where code = ${code}`);
    expect(uses!.uses).toBe(1);
    expect(await db.select().from(registrations).where(eq(registrations.eventId, event.id))).toHaveLength(1);
    await expectLedgerConsistent();
  });
});

describe("wallet and card together", () => {
  it("wallet part held, card part charged: confirmed on the webhook, the hold posted to escrow", async () => {
    const event = await openEvent({ entryFee: 2_000 });
    const [player] = await fundedPlayers(1, 600);
    const result = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 600 });
    expect(result).toMatchObject({ next: "pay_card", walletAmount: 600, cardAmount: 1_400 });
    expect(await walletBalances(db, player!.id)).toEqual({ available: 0, held: 600, current: 600 });
    await payCard(result.paymentId!, "4242424242424242");
    expect((await myRegistration(db, player!, event.id))?.status).toBe("confirmed");
    expect(await walletBalances(db, player!.id)).toEqual({ available: 0, held: 0, current: 0 });
    expect(await accountBalance(db, await eventEscrowAccount(db, event.id))).toBe(2_000);
    await expectLedgerConsistent();
  });

  it("a declined card at the same moment as the bracket's start or the entry's removal never deadlocks: one of them ends the checkout", async () => {
    for (let round = 0; round < 12; round++) {
      const event = await openEvent({ entryFee: 500, capacity: 8 });
      await db
        .update(events)
        .set({ checkInOpensAt: new Date(Date.now() - 60_000) })
        .where(eq(events.id, event.id));
      const [a, b, c] = await fundedPlayers(3, 500);
      for (const player of [a!, b!]) {
        const entry = await checkout(db, gateway, player, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
        await checkIn(db, player, entry.registrationId);
      }
      // c holds their wallet money for a split checkout whose card is then declined.
      const pending = await checkout(db, gateway, c!, { eventId: event.id, idempotencyKey: key(), walletAmount: 400 });
      const [payment] = await db.select().from(payments).where(eq(payments.id, pending.paymentId!));
      await gateway.confirmCard({
        intentId: payment!.gatewayPaymentId!,
        clientSecret: payment!.clientSecret!,
        cardNumber: "4000000000000002",
        cardLast4: "0002",
      });
      const deliveries = outbox.splice(0, outbox.length).map((event) => {
        const raw = JSON.stringify(event);
        return processWebhook(db, gateway, raw, gateway.signPayload(raw));
      });
      const outcomes = await Promise.allSettled([
        round % 2 === 0
          ? startBracket(db, organizer, event.id, {
              seeding: "registration",
              settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
              reportMinutes: 30,
            })
          : removeParticipant(db, organizer, { registrationId: pending.registrationId, refund: "full" }),
        ...deliveries,
      ]);
      // A removal that comes second finds the entry already ended, and says so; nothing else may fail.
      const failures = outcomes
        .filter((outcome) => outcome.status === "rejected")
        .map((outcome) => String((outcome as PromiseRejectedResult).reason));
      expect(failures.filter((failure) => failure !== "Invalid: This entry has already ended.")).toEqual([]);
      expect(await walletBalances(db, c!.id)).toEqual({ available: 500, held: 0, current: 500 });
    }
  });

  it("a declined card releases the hold: the wallet is as it was and the seat is free", async () => {
    const event = await openEvent({ entryFee: 2_000, capacity: 2 });
    const [player] = await fundedPlayers(1, 600);
    const result = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 600 });
    await payCard(result.paymentId!, "4000000000000002");
    const mine = await myRegistration(db, player!, event.id);
    expect(mine?.status).toBe("payment_failed");
    expect(mine?.payment?.failureMessage).toBe("Your card was declined.");
    expect(await walletBalances(db, player!.id)).toEqual({ available: 600, held: 0, current: 600 });
    const [seats] = await db.select({ taken: events.seatsTaken }).from(events).where(eq(events.id, event.id));
    expect(seats?.taken).toBe(0);
    await expectLedgerConsistent();
  });

  it("a checkout left unpaid expires after 15 minutes and releases its hold and its seat", async () => {
    const event = await openEvent({ entryFee: 2_000 });
    const [player] = await fundedPlayers(1, 1_000);
    const result = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_000 });
    expect(await expireCheckout(db, gateway, result.registrationId)).toBe("unchanged");
    await db
      .update(registrations)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(registrations.id, result.registrationId));
    expect(await expireCheckout(db, gateway, result.registrationId)).toBe("expired");
    expect(await walletBalances(db, player!.id)).toEqual({ available: 1_000, held: 0, current: 1_000 });
    const [seats] = await db.select({ taken: events.seatsTaken }).from(events).where(eq(events.id, event.id));
    expect(seats?.taken).toBe(0);
    // Paying after expiry does not lose the money: it lands in the wallet.
    outbox.length = 0;
    const [payment] = await db.select().from(payments).where(eq(payments.id, result.paymentId!));
    if (payment!.status !== "canceled") {
      await payCard(result.paymentId!, "4242424242424242");
    }
    await expectLedgerConsistent();
  });
});

describe("refunds", () => {
  it("withdrawing with a 25% penalty pays back exactly 75% of each part", async () => {
    const event = await openEvent({ entryFee: 2_000, withdrawalPenaltyPercent: 25 });
    const [player] = await fundedPlayers(1, 800);
    const result = await checkout(db, gateway, player!, { eventId: event.id, idempotencyKey: key(), walletAmount: 800 });
    await payCard(result.paymentId!, "4242424242424242");
    const refund = await withdraw(db, player!, result.registrationId);
    expect(refund).toMatchObject({ wallet: 600, card: 900, penalty: 500 });
    expect((await walletBalances(db, player!.id)).available).toBe(600);
    // The card part left the escrow with the decision: only the penalty is left in it.
    expect(await accountBalance(db, await eventEscrowAccount(db, event.id))).toBe(500);
    const history = async () =>
      (await walletHistory(db, player!.id, { filters: {}, limit: 10 })).rows.map((row) => [row.kind, row.description, row.amount]);
    // The two parts of the refund, made in one transaction.
    expect(await history()).toEqual([
      ["wallet", `Refund: ${event.name}`, 600],
      ["card_refund", "Refunded $9.00 to card •••• 4242 (on its way: cards take 5–10 days)", 900],
      ["wallet", `Entry fee: ${event.name}`, -800],
      ["wallet", "Test funds", 800],
    ]);
    // The card part goes back through the processor (the job's work, done here directly).
    await refundPayment(db, gateway, {
      paymentId: result.paymentId!,
      amount: 900,
      idempotencyKey: `registration:${result.registrationId}:refund-card`,
      reason: "withdrew",
    });
    await deliverAll();
    expect(await accountBalance(db, await eventEscrowAccount(db, event.id))).toBe(500);
    expect((await history())[1]).toEqual(["card_refund", "Refunded $9.00 to card •••• 4242", 900]);
    expect(await myRegistration(db, player!, event.id)).toMatchObject({
      status: "withdrawn",
      refundedToWallet: 600,
      refundedToCard: 900,
      cardRefundPending: false,
    });
    // Again: nothing more.
    expect((await withdraw(db, player!, result.registrationId)).wallet).toBe(0);
    await expectLedgerConsistent();
  });

  it("cancelling the event refunds every entry in full, once, even when the job runs twice", async () => {
    const event = await openEvent({ entryFee: 1_000 });
    const players = await fundedPlayers(5, 1_000);
    for (const player of players) await checkout(db, gateway, player, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_000 });
    await cancelEvent(db, organizer, event.id, "Venue flooded");
    await refundCancelledEvent(db, event.id, "Venue flooded");
    await refundCancelledEvent(db, event.id, "Venue flooded");
    for (const player of players) expect((await walletBalances(db, player.id)).available).toBe(1_000);
    expect(await accountBalance(db, await eventEscrowAccount(db, event.id))).toBe(0);
    const statuses = await db.select({ status: registrations.status }).from(registrations).where(eq(registrations.eventId, event.id));
    expect(statuses.every((s) => s.status === "cancelled")).toBe(true);
    await expectLedgerConsistent();
  });

  it("a freed seat is offered to the first on the waitlist", async () => {
    const event = await openEvent({ capacity: 2, entryFee: 500 });
    const [a, b, c] = await fundedPlayers(3, 500);
    const first = await checkout(db, gateway, a!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
    await checkout(db, gateway, b!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
    expect((await checkout(db, gateway, c!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 })).next).toBe("waitlisted");
    await withdraw(db, a!, first.registrationId);
    expect((await myRegistration(db, c!, event.id))?.status).toBe("offered");
    const paid = await checkout(db, gateway, c!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
    expect(paid.next).toBe("confirmed");
    const [seats] = await db.select({ taken: events.seatsTaken }).from(events).where(eq(events.id, event.id));
    expect(seats?.taken).toBe(2);
  });

  it("each waitlisted player reads their own place in the queue", async () => {
    const event = await openEvent({ capacity: 2, entryFee: 500 });
    const [a, a2, b, c] = await fundedPlayers(4, 500);
    for (const player of [a!, a2!]) await checkout(db, gateway, player, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
    for (const player of [b!, c!]) {
      expect((await checkout(db, gateway, player, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 })).next).toBe(
        "waitlisted",
      );
    }
    expect(await myRegistration(db, a!, event.id)).toMatchObject({ status: "confirmed", waitlistPosition: null });
    expect(await myRegistration(db, b!, event.id)).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
    expect(await myRegistration(db, c!, event.id)).toMatchObject({ status: "waitlisted", waitlistPosition: 2 });
  });

  it("paying a waitlist offer with the same checkout sent twice at once: both get the first answer, one charge", async () => {
    for (let round = 0; round < 10; round++) {
      const event = await openEvent({ capacity: 2, entryFee: 500 });
      const [a, other, b] = await fundedPlayers(3, 500);
      const first = await checkout(db, gateway, a!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
      await checkout(db, gateway, other!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 });
      expect((await checkout(db, gateway, b!, { eventId: event.id, idempotencyKey: key(), walletAmount: 500 })).next).toBe("waitlisted");
      await withdraw(db, a!, first.registrationId);
      const attempt = { eventId: event.id, idempotencyKey: key(), walletAmount: 500 };
      const answers = await Promise.all([checkout(db, gateway, b!, attempt), checkout(db, gateway, b!, attempt)]);
      expect(answers.map((answer) => answer.next)).toEqual(["confirmed", "confirmed"]);
      expect(answers[1]!.registrationId).toBe(answers[0]!.registrationId);
      expect((await walletBalances(db, b!.id)).available).toBe(0);
    }
  });
});

describe("promo codes", () => {
  it("a fixed code larger than the fee makes the entry free; a used-up code says so; expired, unknown and other events' codes get one answer", async () => {
    const event = await openEvent({ entryFee: 500 });
    await createPromoCode(db, organizer, {
      eventId: event.id,
      code: `FREE${key().slice(0, 4)}`.toUpperCase(),
      kind: "fixed",
      value: 5_000,
      maxUses: 1,
    });
    const [code] = await db.execute<{ code: string }>(sql`select code from promo_codes where event_id = ${event.id}`);
    const [p1, p2] = await fundedPlayers(2, 0);
    const free = await checkout(db, gateway, p1!, { eventId: event.id, idempotencyKey: key(), walletAmount: 0, promoCode: code!.code });
    expect(free).toMatchObject({ next: "confirmed", total: 0 });
    const usedUp = await checkout(db, gateway, p2!, {
      eventId: event.id,
      idempotencyKey: key(),
      walletAmount: 0,
      promoCode: code!.code,
    }).catch((e: unknown) => e);
    expect((usedUp as Invalid).message).toBe("That code has been used up.");

    const expiredCode = `OLD${key().slice(0, 4)}`.toUpperCase();
    await createPromoCode(db, organizer, {
      eventId: event.id,
      code: expiredCode,
      kind: "percent",
      value: 50,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await db.execute(sql`update promo_codes set expires_at = now() - interval '1 minute' where code = ${expiredCode}`);
    const expired = await checkout(db, gateway, p2!, {
      eventId: event.id,
      idempotencyKey: key(),
      walletAmount: 0,
      promoCode: expiredCode,
    }).catch((e: unknown) => e);
    expect((expired as Invalid).message).toBe("That code is not valid for this event.");
    const unknown = await checkout(db, gateway, p2!, {
      eventId: event.id,
      idempotencyKey: key(),
      walletAmount: 0,
      promoCode: "NOSUCHCODE",
    }).catch((e: unknown) => e);
    expect((unknown as Invalid).message).toBe("That code is not valid for this event.");
    const other = await openEvent({ entryFee: 500 });
    const otherCode = `ELSE${key().slice(0, 4)}`.toUpperCase();
    await createPromoCode(db, organizer, { eventId: other.id, code: otherCode, kind: "percent", value: 50 });
    const elsewhere = await checkout(db, gateway, p2!, {
      eventId: event.id,
      idempotencyKey: key(),
      walletAmount: 0,
      promoCode: otherCode,
    }).catch((e: unknown) => e);
    expect((elsewhere as Invalid).message).toBe("That code is not valid for this event.");
  });

  it("promo attempts are limited per player: ten in ten minutes, in quotes and checkouts together, then 429 in words", async () => {
    const event = await openEvent({ entryFee: 500 });
    const [player] = await fundedPlayers(1, 0);
    const caller = createCaller(createInnerContext({ db, user: player! }));
    for (let i = 0; i < 10; i++) {
      const attempt =
        i % 2 === 0
          ? caller.registration.quote({ eventId: event.id, promoCode: `GUESS${i}` })
          : caller.registration.checkout({ eventId: event.id, idempotencyKey: key(), walletAmount: 0, promoCode: `GUESS${i}` });
      await expect(attempt).rejects.toThrow("That code is not valid for this event.");
    }
    await expect(caller.registration.quote({ eventId: event.id, promoCode: "GUESS10" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/try again in/i),
    });
    // A quote without a code is still answered.
    await expect(caller.registration.quote({ eventId: event.id })).resolves.toMatchObject({ total: 500 });
  });

  it("the same checkout sent several times at once with a code's last use: every copy gets the first answer", async () => {
    for (let round = 0; round < 10; round++) {
      const event = await openEvent({ entryFee: 500 });
      const code = `LAST${key().slice(0, 6)}`.toUpperCase();
      await createPromoCode(db, organizer, { eventId: event.id, code, kind: "fixed", value: 500, maxUses: 1 });
      const [player] = await fundedPlayers(1, 0);
      const attempt = { eventId: event.id, idempotencyKey: key(), walletAmount: 0, promoCode: code };
      // Sent eight times, so that some copies check the code after the first has used it.
      const answers = await Promise.all(Array.from({ length: 8 }, () => checkout(db, gateway, player!, attempt)));
      expect(answers.map((answer) => [answer.next, answer.registrationId])).toEqual(
        answers.map(() => ["confirmed", answers[0]!.registrationId]),
      );
    }
  });

  it("an entry that ends before the bracket starts gives its code's use back", async () => {
    const event = await openEvent({ entryFee: 500, withdrawalPenaltyPercent: 0 });
    const code = `ONCE${key().slice(0, 4)}`.toUpperCase();
    await createPromoCode(db, organizer, { eventId: event.id, code, kind: "percent", value: 50, maxUses: 1 });
    const [p1, p2] = await fundedPlayers(2, 1_000);
    const uses = async () => Number((await db.execute<{ uses: number }>(sql`select uses from promo_codes where code = ${code}`))[0]!.uses);
    const first = await checkout(db, gateway, p1!, { eventId: event.id, idempotencyKey: key(), walletAmount: 250, promoCode: code });
    expect(first).toMatchObject({ next: "confirmed", total: 250 });
    expect(await uses()).toBe(1);
    await withdraw(db, p1!, first.registrationId);
    expect(await uses()).toBe(0);
    // A card checkout that expires unpaid gives it back too.
    const pending = await checkout(db, gateway, p2!, { eventId: event.id, idempotencyKey: key(), walletAmount: 0, promoCode: code });
    expect(pending.next).toBe("pay_card");
    expect(await uses()).toBe(1);
    await db
      .update(registrations)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(registrations.id, pending.registrationId));
    await expireCheckout(db, gateway, pending.registrationId);
    expect(await uses()).toBe(0);
  });
});

describe("the organizer's hand on entries", () => {
  it("adds a player by email for free, refuses unknown emails and duplicates", async () => {
    const event = await openEvent({ capacity: 2 });
    const [player] = await fundedPlayers(1, 0);
    const row = await addParticipant(db, organizer, { eventId: event.id, email: player!.email.toUpperCase() });
    expect(row).toMatchObject({ status: "confirmed", fee: 0 });
    expect(await codeOf(addParticipant(db, organizer, { eventId: event.id, email: player!.email }))).toBe("BAD_REQUEST");
    expect(await codeOf(addParticipant(db, organizer, { eventId: event.id, email: "nobody@example.test" }))).toBe("BAD_REQUEST");
    const stranger = await createUser(db, { role: "organizer" });
    expect(await codeOf(addParticipant(db, stranger, { eventId: event.id, email: player!.email }))).toBe("FORBIDDEN");
  });

  it("removes an entry with the chosen refund, and frees the seat for the waitlist", async () => {
    const event = await openEvent({ capacity: 2, entryFee: 1_000, withdrawalPenaltyPercent: 50 });
    const [a, filler, b] = await fundedPlayers(3, 1_000);
    const entry = await checkout(db, gateway, a!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_000 });
    await checkout(db, gateway, filler!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_000 });
    expect((await checkout(db, gateway, b!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_000 })).next).toBe("waitlisted");
    await removeParticipant(db, organizer, { registrationId: entry.registrationId, refund: "policy" });
    expect((await walletBalances(db, a!.id)).available).toBe(500);
    expect((await myRegistration(db, b!, event.id))?.status).toBe("offered");
    expect(await codeOf(removeParticipant(db, organizer, { registrationId: entry.registrationId, refund: "full" }))).toBe("BAD_REQUEST");
    await expectLedgerConsistent();
  });

  it("drops no-shows after check-in closes, refunding by the event's policy", async () => {
    const now = Date.now();
    const event = await openEvent({ entryFee: 1_000, withdrawalPenaltyPercent: 20 });
    const [present, absent] = await fundedPlayers(2, 1_000);
    const here = await checkout(db, gateway, present!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_000 });
    await checkout(db, gateway, absent!, { eventId: event.id, idempotencyKey: key(), walletAmount: 1_000 });
    await db.update(registrations).set({ checkedInAt: new Date() }).where(eq(registrations.id, here.registrationId));
    expect(await codeOf(dropNoShows(db, organizer, event.id))).toBe("BAD_REQUEST");
    await db
      .update(events)
      .set({
        registrationClosesAt: new Date(now - 60_000),
        checkInOpensAt: new Date(now - 50_000),
        checkInClosesAt: new Date(now - 1_000),
        startsAt: new Date(now + 60_000),
      })
      .where(eq(events.id, event.id));
    expect(await dropNoShows(db, organizer, event.id)).toEqual({ dropped: 1 });
    expect((await myRegistration(db, absent!, event.id))?.status).toBe("removed");
    expect((await walletBalances(db, absent!.id)).available).toBe(800);
    expect((await myRegistration(db, present!, event.id))?.status).toBe("confirmed");
    await expectLedgerConsistent();
  });
});
