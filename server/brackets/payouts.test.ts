import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { accountBalance, credit, eventEscrowAccount, platformAccount, walletBalances } from "@/server/ledger";
import { payPrizes, setMatchResult, splitPrizes, startBracket } from "./service";
import { bracketFixtures, queuedJobs, rowsOf, type Fixtures } from "./testing";

const { db } = await createTestDatabase();
let f: Fixtures;

beforeAll(async () => {
  f = await bracketFixtures(db);
});

const places = (...list: [string, number][]) => list.map(([entrant, place]) => ({ entrant, place }));
const total = (shares: { amount: number }[]) => shares.reduce((sum, share) => sum + share.amount, 0);

describe("splitPrizes", () => {
  it("pays places by percentage with the remainder cents to the best place", () => {
    const shares = splitPrizes(6_065, [60, 30, 10], places(["a", 1], ["b", 2], ["c", 3], ["d", 4]));
    expect(shares).toEqual([
      { entrant: "a", place: 1, amount: 3_640 },
      { entrant: "b", place: 2, amount: 1_819 },
      { entrant: "c", place: 3, amount: 606 },
    ]);
    expect(total(shares)).toBe(6_065);
  });

  it("splits tied places' shares evenly, rounding down, the rest to first", () => {
    // Semifinal losers share 3rd and 4th: (10% + 0%) / 2 each.
    const shares = splitPrizes(6_065, [60, 30, 10], places(["a", 1], ["b", 2], ["c", 3], ["d", 3]));
    expect(shares).toEqual([
      { entrant: "a", place: 1, amount: 3_640 },
      { entrant: "b", place: 2, amount: 1_819 },
      { entrant: "c", place: 3, amount: 303 },
      { entrant: "d", place: 3, amount: 303 },
    ]);
    expect(total(shares)).toBe(6_065);
    // Five tied for 5th share 5%+3%+2% (places 5..7 of a 7-place split).
    const wide = splitPrizes(
      1_001,
      [40, 25, 15, 10, 5, 3, 2],
      places(["a", 1], ["b", 2], ["c", 3], ["d", 4], ["e", 5], ["f", 5], ["g", 5], ["h", 5], ["i", 5]),
    );
    expect(wide.filter((share) => share.place === 5).map((share) => share.amount)).toEqual([20, 20, 20, 20, 20]);
    expect(total(wide)).toBe(1_001);
  });

  it("gives money nobody can take to the best eligible place", () => {
    // A double forfeit in the final: nobody is first, both finalists are second.
    const noChampion = splitPrizes(1_000, [50, 30, 20], places(["a", 2], ["b", 2], ["c", 3], ["d", 3]));
    expect(noChampion).toEqual([
      { entrant: "a", place: 2, amount: 400 },
      { entrant: "b", place: 2, amount: 400 },
      { entrant: "c", place: 3, amount: 100 },
      { entrant: "d", place: 3, amount: 100 },
    ]);
    // Fewer entrants than paid places, and a disqualified runner-up.
    expect(splitPrizes(999, [50, 30, 20], places(["a", 1], ["b", 2]), new Set(["b"]))).toEqual([{ entrant: "a", place: 1, amount: 999 }]);
    expect(splitPrizes(0, [100], places(["a", 1]))).toEqual([]);
  });
});

async function expectLedgerConsistent() {
  const [row] = await db.execute<{ total: string; drift: number; negative: number }>(sql`
    select (select coalesce(sum(amount), 0) from ledger_entries)::bigint as total,
      (select count(*) from ledger_accounts a where a.balance is not null
        and a.balance <> (select coalesce(sum(amount), 0) from ledger_entries e where e.account_id = a.id))::int as drift,
      (select count(*) from ledger_accounts where balance < 0)::int as negative`);
  expect(row).toEqual({ total: "0", drift: 0, negative: 0 });
}

/** A paid event: 4 entries of `fee` paid from wallets into escrow; organizer prize and split as given. Played to the end. */
async function completedEvent(options: {
  fee: number;
  organizerPrize: number;
  organizerFunds: number;
  split: number[];
  thirdPlace: boolean;
  platformFeePercent?: number;
}) {
  const event = await f.openEvent({
    entryFee: options.fee,
    prizeFromFeesPercent: 80,
    organizerPrize: options.organizerPrize,
    payoutSplit: options.split,
    platformFeePercent: options.platformFeePercent ?? 0,
  });
  // Each player tops up the fee and pays it from the wallet at checkout: the fees are in escrow.
  const field = await f.soloEntries(event.id, 4, { fee: options.fee });
  const clearing = await platformAccount(db, "card_clearing");
  const escrow = await eventEscrowAccount(db, event.id);
  const organizerWallet = await walletBalances(db, f.organizer.id);
  if (options.organizerFunds > organizerWallet.available) {
    await credit(db, {
      userId: f.organizer.id,
      amount: options.organizerFunds - organizerWallet.available,
      fromAccountId: clearing,
      category: "topup",
      description: "Test",
      idempotencyKey: crypto.randomUUID(),
    });
  }
  const { bracketId } = await startBracket(db, f.organizer, event.id, {
    seeding: "registration",
    settings: { thirdPlace: options.thirdPlace, grandFinal: "reset", groups: 1, meetings: 1 },
    reportMinutes: 30,
  });
  const order = ["U-R1-M1", "U-R1-M2", "U-R2-M1", ...(options.thirdPlace ? ["TP"] : [])];
  for (const id of order) {
    const rows = await rowsOf(db, bracketId);
    await setMatchResult(db, f.organizer, { matchId: rows.get(id)!.uuid, outcome: { type: "played", winner: 0 } });
  }
  return { event, field, bracketId, escrow };
}

describe("payPrizes", () => {
  it("pays exactly once when run twice and concurrently; sums equal the pool; the rest goes to the organizer and the escrow ends at zero", async () => {
    const { event, field, bracketId, escrow } = await completedEvent({
      fee: 333,
      organizerPrize: 5_000,
      organizerFunds: 5_000,
      split: [60, 30, 10],
      thirdPlace: true,
    });
    const [header] = await db.execute<{ status: string; payout_status: string; placements: { entrant: string; place: number }[] }>(
      sql`select status, payout_status, placements from brackets where id = ${bracketId}`,
    );
    expect(header).toMatchObject({ status: "completed", payout_status: "pending" });
    // Seeds 1 and 4 are in the first semifinal: seed 1 wins everything; seed 4 takes third.
    const placeOf = new Map(header!.placements.map((p) => [p.entrant, p.place]));
    expect([1, 2, 3, 4].map((seed) => placeOf.get(field[seed - 1]!.registrationId))).toEqual([1, 2, 4, 3]);
    // The fees and, since the start, the organizer's prize.
    expect(await accountBalance(db, escrow)).toBe(1_332 + 5_000);

    const results = await Promise.all([payPrizes(db, bracketId), payPrizes(db, bracketId), payPrizes(db, bracketId)]);
    const again = await payPrizes(db, bracketId);
    // Pool: 5,000 from the organizer + 80% of 1,332 in fees = 6,065.
    for (const result of [...results, again]) {
      expect(result.status).toBe("paid");
      expect(result.pool).toBe(6_065);
      expect(result.payouts.map((p) => [p.place, p.amount])).toEqual([
        [1, 3_640],
        [2, 1_819],
        [3, 606],
      ]);
    }
    const wallets = await Promise.all(field.map((entry) => walletBalances(db, entry.player.id)));
    expect(wallets.map((wallet) => wallet.available)).toEqual([3_640, 1_819, 0, 606]);
    // The 20% of fees not promised to prizes (267 of 1,332, rounding in the players' favour) to the organizer.
    expect((await walletBalances(db, f.organizer.id)).available).toBe(267);
    expect(results.every((result) => result.organizerShare === 267 && result.platformFee === 0)).toBe(true);
    expect(await accountBalance(db, escrow)).toBe(0);
    const transfers = await db.execute<{ key: string; category: string; amount: string; event_id: string }>(sql`
      select idempotency_key as key, category, amount, metadata->>'eventId' as event_id from ledger_transfers
      where idempotency_key like ${`payout:${bracketId}:%`} or idempotency_key = ${`event:${event.id}:prize-funding`} order by amount desc`);
    expect(transfers.map((t) => [t.key.split(":").slice(0, 3).join(":"), t.category, Number(t.amount), t.event_id])).toEqual([
      [`event:${event.id}:prize-funding`, "prize", 5_000, event.id],
      [`payout:${bracketId}:1`, "prize", 3_640, event.id],
      [`payout:${bracketId}:2`, "prize", 1_819, event.id],
      [`payout:${bracketId}:3`, "prize", 606, event.id],
      [`payout:${bracketId}:organizer`, "prize", 267, event.id],
    ]);
    await expectLedgerConsistent();
    const notices = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter((job) =>
      String(job.dedupeKey).startsWith(`payout:${bracketId}:`),
    );
    expect(notices.map((n) => n.title).sort()).toEqual(
      [
        `${event.name} is paid out`,
        `You placed 1st in ${event.name}`,
        `You placed 2nd in ${event.name}`,
        `You placed 3rd in ${event.name}`,
      ].sort(),
    );
    // Paid: the results are final.
    const rows = await rowsOf(db, bracketId);
    await expect(
      setMatchResult(db, f.organizer, { matchId: rows.get("U-R2-M1")!.uuid, outcome: { type: "played", winner: 1 } }),
    ).rejects.toThrow("The prizes for this bracket have been paid: its results can no longer change.");
  });

  it("refuses to start when the organizer cannot fund their part, moves nothing, and starts once they can", async () => {
    await expect(
      completedEvent({ fee: 500, organizerPrize: 5_000, organizerFunds: 1_000, split: [100], thirdPlace: false }),
    ).rejects.toThrow(
      "The organizer's wallet does not hold the $50.00 put up as prize money: add it to the wallet, then start the bracket.",
    );
    expect((await walletBalances(db, f.organizer.id)).available).toBeGreaterThanOrEqual(1_000);
    const { event, field, bracketId, escrow } = await completedEvent({
      fee: 500,
      organizerPrize: 5_000,
      organizerFunds: 5_000,
      split: [100],
      thirdPlace: false,
    });
    const organizerBefore = (await walletBalances(db, f.organizer.id)).available;
    const caller = createCaller(createInnerContext({ db, user: f.organizer }));
    const paid = await caller.brackets.retryPayout({ eventId: event.id });
    // 5,000 + 80% of 2,000; the other 400 to the organizer.
    expect(paid).toMatchObject({ status: "paid", pool: 6_600, organizerShare: 400 });
    expect((await walletBalances(db, field[0]!.player.id)).available).toBe(6_600);
    expect((await walletBalances(db, f.organizer.id)).available).toBe(organizerBefore + 400);
    expect(await accountBalance(db, escrow)).toBe(0);
    expect(bracketId).toBeTruthy();
    await expectLedgerConsistent();
  });

  it("takes the event's platform fee out of the organizer's share into fee revenue", async () => {
    const revenue = await platformAccount(db, "fee_revenue");
    const revenueBefore = await accountBalance(db, revenue);
    const { event, bracketId, escrow } = await completedEvent({
      fee: 1_000,
      organizerPrize: 0,
      organizerFunds: 0,
      split: [100],
      thirdPlace: false,
      platformFeePercent: 10,
    });
    const organizerBefore = (await walletBalances(db, f.organizer.id)).available;
    const paid = await payPrizes(db, bracketId);
    // Fees 4,000: 3,200 to prizes; of the 800 left, 10% (80) to the platform.
    expect(paid).toMatchObject({ status: "paid", pool: 3_200, organizerShare: 720, platformFee: 80 });
    expect(await accountBalance(db, revenue)).toBe(revenueBefore + 80);
    expect((await walletBalances(db, f.organizer.id)).available).toBe(organizerBefore + 720);
    expect(await accountBalance(db, escrow)).toBe(0);
    const [row] = await db.execute<{ paid_out: boolean }>(
      sql`select paid_out_at is not null as paid_out from events where id = ${event.id}`,
    );
    expect(row!.paid_out).toBe(true);
    await expectLedgerConsistent();
  });

  it("a team's prize is split evenly over its checked-in roster, the odd cent to the captain; every player hears about it", async () => {
    const event = await f.openEvent({ participantType: "team", teamSize: 3, organizerPrize: 1_001, payoutSplit: [100] });
    await credit(db, {
      userId: f.organizer.id,
      amount: 1_001,
      fromAccountId: await platformAccount(db, "card_clearing"),
      category: "topup",
      description: "Test",
      idempotencyKey: crypto.randomUUID(),
    });
    const red = await f.teamEntry(event.id, 3);
    await f.teamEntry(event.id, 3);
    const { bracketId } = await startBracket(db, f.organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    });
    const [final] = [...(await rowsOf(db, bracketId)).values()];
    await setMatchResult(db, f.organizer, { matchId: final!.uuid, outcome: { type: "played", winner: 0 } });
    const result = await payPrizes(db, bracketId);
    const expected = [
      [red.captain.id, 335],
      [red.members[1]!.id, 333],
      [red.members[2]!.id, 333],
    ] as const;
    expect(result.payouts.map((p) => [p.recipientId, p.amount]).sort()).toEqual(expected.map((e) => [...e]).sort());
    for (const [userId, amount] of expected) expect((await walletBalances(db, userId)).available).toBe(amount);
    const notices = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter((job) =>
      String(job.dedupeKey).startsWith(`payout:${bracketId}:`),
    );
    expect(notices.map((n) => [n.userId, n.body]).sort()).toEqual(
      expected.map(([userId, amount]) => [userId, `$${(amount / 100).toFixed(2)} prize money is in your wallet.`]).sort(),
    );
  });

  it("a team's prize goes to the captain alone when the event says so", async () => {
    const event = await f.openEvent({
      participantType: "team",
      teamSize: 2,
      organizerPrize: 1_000,
      payoutSplit: [100],
      teamPrizeToCaptain: true,
    });
    await credit(db, {
      userId: f.organizer.id,
      amount: 1_000,
      fromAccountId: await platformAccount(db, "card_clearing"),
      category: "topup",
      description: "Test",
      idempotencyKey: crypto.randomUUID(),
    });
    const red = await f.teamEntry(event.id, 2);
    await f.teamEntry(event.id, 2);
    const { bracketId } = await startBracket(db, f.organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    });
    const [final] = [...(await rowsOf(db, bracketId)).values()];
    await setMatchResult(db, f.organizer, { matchId: final!.uuid, outcome: { type: "played", winner: 0 } });
    const result = await payPrizes(db, bracketId);
    expect(result.payouts).toEqual([{ entrantId: red.registrationId, place: 1, recipientId: red.captain.id, amount: 1_000 }]);
    expect((await walletBalances(db, red.captain.id)).available).toBe(1_000);
    expect((await walletBalances(db, red.members[1]!.id)).available).toBe(0);
  });
});
