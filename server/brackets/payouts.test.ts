import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { SEND_NOTIFICATION_TASK } from "@/server/notifications/service";
import { accountBalance, credit, debit, eventEscrowAccount, platformAccount, walletBalances } from "@/server/wallet/ledger";
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
    const wide = splitPrizes(1_001, [40, 25, 15, 10, 5, 3, 2], places(["a", 1], ["b", 2], ["c", 3], ["d", 4], ["e", 5], ["f", 5], ["g", 5], ["h", 5], ["i", 5]));
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
async function completedEvent(options: { fee: number; organizerPrize: number; organizerFunds: number; split: number[]; thirdPlace: boolean }) {
  const event = await f.openEvent({ entryFee: options.fee, prizeFromFeesPercent: 80, organizerPrize: options.organizerPrize, payoutSplit: options.split });
  const field = await f.soloEntries(event.id, 4, { fee: options.fee });
  const clearing = await platformAccount(db, "card_clearing");
  const escrow = await eventEscrowAccount(db, event.id);
  for (const entry of field) {
    await credit(db, { userId: entry.player.id, amount: options.fee, fromAccountId: clearing, category: "topup", description: "Test", idempotencyKey: crypto.randomUUID() });
    await debit(db, { userId: entry.player.id, amount: options.fee, toAccountId: escrow, category: "entry_fee", description: "Entry", idempotencyKey: crypto.randomUUID(), metadata: { eventId: event.id } });
  }
  const organizerWallet = await walletBalances(db, f.organizer.id);
  if (options.organizerFunds > organizerWallet.available) {
    await credit(db, { userId: f.organizer.id, amount: options.organizerFunds - organizerWallet.available, fromAccountId: clearing, category: "topup", description: "Test", idempotencyKey: crypto.randomUUID() });
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
  it("pays exactly once when run twice and concurrently; sums equal the pool; escrow drops by the fee part", async () => {
    const { event, field, bracketId, escrow } = await completedEvent({ fee: 333, organizerPrize: 5_000, organizerFunds: 5_000, split: [60, 30, 10], thirdPlace: true });
    const [header] = await db.execute<{ status: string; payout_status: string; placements: { entrant: string; place: number }[] }>(
      sql`select status, payout_status, placements from brackets where id = ${bracketId}`,
    );
    expect(header).toMatchObject({ status: "completed", payout_status: "pending" });
    // Seeds 1 and 4 are in the first semifinal: seed 1 wins everything; seed 4 takes third.
    const placeOf = new Map(header!.placements.map((p) => [p.entrant, p.place]));
    expect([1, 2, 3, 4].map((seed) => placeOf.get(field[seed - 1]!.registrationId))).toEqual([1, 2, 4, 3]);
    const escrowBefore = await accountBalance(db, escrow);
    expect(escrowBefore).toBe(1_332);

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
    expect((await walletBalances(db, f.organizer.id)).available).toBe(0);
    expect(await accountBalance(db, escrow)).toBe(escrowBefore + 5_000 - 6_065);
    // Out of the escrow: exactly the pool, in the prize transfers.
    const [paidOut] = await db.execute<{ total: string }>(sql`
      select coalesce(sum(e.amount), 0)::bigint as total from ledger_entries e join ledger_transfers t on t.id = e.transfer_id
      where e.account_id = ${escrow} and t.idempotency_key like ${`payout:${bracketId}:%`}`);
    expect(Number(paidOut!.total)).toBe(-6_065);
    const transfers = await db.execute<{ key: string; category: string; amount: string; event_id: string }>(sql`
      select idempotency_key as key, category, amount, metadata->>'eventId' as event_id from ledger_transfers
      where idempotency_key like ${`payout:${bracketId}:%`} or idempotency_key = ${`prize-funding:${bracketId}`} order by amount desc`);
    expect(transfers.map((t) => [t.key.split(":").slice(0, 3).join(":"), t.category, Number(t.amount), t.event_id])).toEqual([
      [`prize-funding:${bracketId}`, "prize", 5_000, event.id],
      [`payout:${bracketId}:1`, "prize", 3_640, event.id],
      [`payout:${bracketId}:2`, "prize", 1_819, event.id],
      [`payout:${bracketId}:3`, "prize", 606, event.id],
    ]);
    await expectLedgerConsistent();
    const notices = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter((job) => String(job.dedupeKey).startsWith(`payout:${bracketId}:`));
    expect(notices.map((n) => n.title).sort()).toEqual([`You placed 1st in ${event.name}`, `You placed 2nd in ${event.name}`, `You placed 3rd in ${event.name}`]);
    // Paid: the results are final.
    const rows = await rowsOf(db, bracketId);
    await expect(setMatchResult(db, f.organizer, { matchId: rows.get("U-R2-M1")!.uuid, outcome: { type: "played", winner: 1 } })).rejects.toThrow(
      "The prizes for this bracket have been paid: its results can no longer change.",
    );
  });

  it("refuses clearly when the organizer cannot fund their part, moves nothing, and pays on retry", async () => {
    const { event, field, bracketId } = await completedEvent({ fee: 500, organizerPrize: 5_000, organizerFunds: 1_000, split: [100], thirdPlace: false });
    await expect(payPrizes(db, bracketId)).rejects.toThrow(
      `Your wallet does not hold the $50.00 you put up as prize money for ${event.name}. Add money to your wallet and retry the payout.`,
    );
    const [header] = await db.execute<{ status: string; payout_status: string; payout_error: string }>(sql`select status, payout_status, payout_error from brackets where id = ${bracketId}`);
    expect(header).toMatchObject({ status: "completed", payout_status: "failed" });
    expect(header!.payout_error).toMatch(/^Your wallet does not hold/);
    expect((await walletBalances(db, field[0]!.player.id)).available).toBe(0);
    expect((await walletBalances(db, f.organizer.id)).available).toBe(1_000);

    await credit(db, { userId: f.organizer.id, amount: 4_000, fromAccountId: await platformAccount(db, "card_clearing"), category: "topup", description: "Test", idempotencyKey: crypto.randomUUID() });
    const caller = createCaller(createInnerContext({ db, user: f.organizer }));
    const paid = await caller.brackets.retryPayout({ eventId: event.id });
    // 5,000 + 80% of 2,000.
    expect(paid).toMatchObject({ status: "paid", pool: 6_600 });
    expect((await walletBalances(db, field[0]!.player.id)).available).toBe(6_600);
    await expectLedgerConsistent();
  });

  it("a team's prize goes to its captain's wallet; every player hears about it", async () => {
    const event = await f.openEvent({ participantType: "team", teamSize: 2, organizerPrize: 1_000, payoutSplit: [100] });
    await credit(db, { userId: f.organizer.id, amount: 1_000, fromAccountId: await platformAccount(db, "card_clearing"), category: "topup", description: "Test", idempotencyKey: crypto.randomUUID() });
    const red = await f.teamEntry(event.id, 2);
    await f.teamEntry(event.id, 2);
    const { bracketId } = await startBracket(db, f.organizer, event.id, { seeding: "registration", settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 }, reportMinutes: 30 });
    const [final] = [...(await rowsOf(db, bracketId)).values()];
    await setMatchResult(db, f.organizer, { matchId: final!.uuid, outcome: { type: "played", winner: 0 } });
    const result = await payPrizes(db, bracketId);
    expect(result.payouts).toEqual([{ entrantId: red.registrationId, place: 1, recipientId: red.captain.id, amount: 1_000 }]);
    expect((await walletBalances(db, red.captain.id)).available).toBe(1_000);
    expect((await walletBalances(db, red.members[1]!.id)).available).toBe(0);
    const notices = (await queuedJobs(db, SEND_NOTIFICATION_TASK)).filter((job) => String(job.dedupeKey).startsWith(`payout:${bracketId}:`));
    expect(notices.map((n) => [n.userId, n.body]).sort()).toEqual(
      [
        [red.captain.id, "$10.00 prize money is in your wallet."],
        [red.members[1]!.id, "$10.00 prize money went to your team captain's wallet."],
      ].sort(),
    );
  });
});
