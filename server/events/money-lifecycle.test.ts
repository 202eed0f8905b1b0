/**
 * The event's money lifecycle as a table test: the rules in money-lifecycle.ts against a table
 * written out here independently (an action or phase added there and not here fails), then every
 * money action × every phase run through the real services on an event put in that phase, and the
 * double payout found by the attack review, step by step, over the API.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, games } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createOpenEvent, createUser, insertPlayers } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";
import { payPrizes, retryPayout, setMatchResult, startBracket } from "@/server/brackets/service";
import { Invalid } from "@/server/errors";
import { createCaller } from "@/server/root";
import { createSimulatedGateway } from "@/server/payments/simulated-gateway";
import {
  cancelEvent,
  checkIn,
  checkout,
  dropNoShows,
  refundCancelledEvent,
  removeParticipant,
  withdraw,
} from "@/server/registration/service";
import { createInnerContext } from "@/server/trpc";
import { accountBalance, credit, eventEscrowAccount, platformAccount, walletBalances } from "@/server/ledger";
import { moneyActions, moneyPhase, moneyPhases, moneyRules, type MoneyAction, type MoneyPhase } from "./money-lifecycle";
import { publishEvent, updateEvent } from "./service";
import { eventInput } from "./schemas";
import { loadAllMatches } from "@/server/brackets/repository";

/**
 * The expected table, one line per action, one letter per phase in this order:
 * draft, upcoming, registration_open, check_in, registration_closed, bracket_started, completed,
 * paid_out, cancelled. A = allowed, R = refused, T = terms frozen once anyone registered (then
 * only changes in the players' favour), F = forfeit (no refund), D = disqualification (no refund).
 */
const PHASES: MoneyPhase[] = [
  "draft",
  "upcoming",
  "registration_open",
  "check_in",
  "registration_closed",
  "bracket_started",
  "completed",
  "paid_out",
  "cancelled",
];
const EXPECTED: Record<MoneyAction, string> = {
  publish: "ARRRRRRRR",
  checkout: "RRARRRRRR",
  player_withdrawal: "RAARRFRRR",
  organizer_removal: "RAAAADDRR",
  drop_no_shows: "RRRRARRRR",
  cancel: "AAAAAAARA",
  edit_entry_fee: "ATTTTRRRR",
  edit_withdrawal_penalty: "ATTTTRRRR",
  edit_prize_share: "ATTTTRRRR",
  edit_payout_split: "ATTTTRRRR",
  edit_organizer_prize: "ATTTTRRRR",
  edit_dates: "AAAAARRRR",
  capacity_below_confirmed: "RRRRRRRRR",
  start_bracket: "RRAAARRRR",
  payout: "RRRRRRAAR",
};
const letter = { allowed: "A", refused: "R", terms_frozen_once_registered: "T", forfeit: "F", disqualify: "D" } as const;

describe("the money lifecycle table", () => {
  it("lists exactly the actions and phases of this table", () => {
    expect([...moneyPhases]).toEqual(PHASES);
    expect([...moneyActions].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s: %s", (action, row) => {
    const actual = PHASES.map((phase) => letter[moneyRules[action as MoneyAction][phase].kind]).join("");
    expect(actual).toBe(row);
    for (const phase of PHASES) {
      const rule = moneyRules[action as MoneyAction][phase];
      if (rule.kind === "refused") expect(rule.message.length).toBeGreaterThan(10);
    }
  });

  it("derives the phase from the status, the clock and the payout", () => {
    const at = (hours: number) => new Date(Date.UTC(2026, 0, 10) + hours * 3_600_000);
    const base = { registrationOpensAt: at(0), registrationClosesAt: at(10), checkInClosesAt: at(12), paidOutAt: null };
    const now = (hours: number) => at(hours);
    expect(moneyPhase({ ...base, status: "draft" }, now(5))).toBe("draft");
    expect(moneyPhase({ ...base, status: "published" }, now(-1))).toBe("upcoming");
    expect(moneyPhase({ ...base, status: "published" }, now(5))).toBe("registration_open");
    expect(moneyPhase({ ...base, status: "published" }, now(11))).toBe("check_in");
    expect(moneyPhase({ ...base, status: "published" }, now(13))).toBe("registration_closed");
    expect(moneyPhase({ ...base, status: "live" }, now(5))).toBe("bracket_started");
    expect(moneyPhase({ ...base, status: "completed" }, now(5))).toBe("completed");
    expect(moneyPhase({ ...base, status: "completed", paidOutAt: now(20) }, now(21))).toBe("paid_out");
    expect(moneyPhase({ ...base, status: "cancelled" }, now(5))).toBe("cancelled");
  });
});

const { db } = await createTestDatabase();
const gateway = createSimulatedGateway(db, "whsec_lifecycle_test", async () => {});
let gameId: string;
let organizer: SessionUser;
const FEE = 1_000;
const hour = 3_600_000;

beforeAll(async () => {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${crypto.randomUUID()}`, name: "Lifecycle Game", handleLabel: "Tag" })
    .returning();
  gameId = game!.id;
  organizer = await createUser(db, { role: "organizer" });
});

async function fund(userId: string, cents: number) {
  await credit(db, {
    userId,
    amount: cents,
    fromAccountId: await platformAccount(db, "card_clearing"),
    category: "topup",
    description: "Test funds",
    idempotencyKey: crypto.randomUUID(),
  });
}

async function players(count: number) {
  const rows = await insertPlayers(db, count);
  for (const row of rows) await fund(row.id, 5 * FEE);
  return rows;
}

/** Moves the event's clock: times relative to now, in hours. */
async function setTimes(
  eventId: string,
  t: { opens: number; closes: number; checkInOpens: number; checkInCloses: number; starts: number },
) {
  const now = Date.now();
  await db
    .update(events)
    .set({
      registrationOpensAt: new Date(now + t.opens * hour),
      registrationClosesAt: new Date(now + t.closes * hour),
      checkInOpensAt: new Date(now + t.checkInOpens * hour),
      checkInClosesAt: new Date(now + t.checkInCloses * hour),
      startsAt: new Date(now + t.starts * hour),
    })
    .where(eq(events.id, eventId));
}

interface Staged {
  eventId: string;
  entrants: { user: SessionUser; registrationId: string }[];
  bracketId: string | null;
}

/**
 * A paid event (fee 10.00, 100 % of fees to prizes, penalty 0 %, no organizer prize) put in
 * `phase` through the services: two players paid from their wallets and checked in; the clock and
 * the bracket moved as the phase needs.
 */
async function eventIn(phase: MoneyPhase): Promise<Staged> {
  const event = await createOpenEvent(
    db,
    { organizerId: organizer.id, gameId },
    { entryFee: FEE, capacity: 4, prizeFromFeesPercent: 100, payoutSplit: [100], withdrawalPenaltyPercent: 0 },
  );
  const staged: Staged = { eventId: event.id, entrants: [], bracketId: null };
  if (phase === "draft" || phase === "upcoming") {
    if (phase === "draft") await db.update(events).set({ status: "draft" }).where(eq(events.id, event.id));
    else await setTimes(event.id, { opens: 1, closes: 10, checkInOpens: 8, checkInCloses: 11, starts: 12 });
    return staged;
  }
  // Registration open, check-in open too, while two players pay and check in.
  await setTimes(event.id, { opens: -2, closes: 10, checkInOpens: -1, checkInCloses: 11, starts: 12 });
  for (const user of await players(2)) {
    const entry = await checkout(db, gateway, user, { eventId: event.id, idempotencyKey: crypto.randomUUID(), walletAmount: FEE });
    await checkIn(db, user, entry.registrationId);
    staged.entrants.push({ user, registrationId: entry.registrationId });
  }
  if (phase === "check_in") await setTimes(event.id, { opens: -3, closes: -1, checkInOpens: -2, checkInCloses: 1, starts: 2 });
  if (phase === "registration_closed") await setTimes(event.id, { opens: -3, closes: -2, checkInOpens: -2, checkInCloses: -1, starts: 1 });
  if (["bracket_started", "completed", "paid_out", "cancelled"].includes(phase)) {
    const started = await startBracket(db, organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    });
    staged.bracketId = started.bracketId;
  }
  if (phase === "completed" || phase === "paid_out") {
    const [final] = [...(await loadAllMatches(db, staged.bracketId!)).values()];
    await setMatchResult(db, organizer, { matchId: final!.uuid, outcome: { type: "played", winner: 0 } });
  }
  if (phase === "paid_out") await payPrizes(db, staged.bracketId!);
  if (phase === "cancelled") await cancelEvent(db, organizer, event.id, "Venue closed");
  const [row] = await db.select().from(events).where(eq(events.id, event.id));
  expect(moneyPhase(row!)).toBe(phase);
  return staged;
}

async function editOf(eventId: string, change: (input: ReturnType<typeof eventInput.parse>) => void) {
  const [row] = await db.select().from(events).where(eq(events.id, eventId));
  const input = eventInput.parse({ ...row, rules: row!.rules });
  change(input);
  return updateEvent(db, organizer, eventId, input);
}

/** A draft or an upcoming event has no entry to withdraw or remove: only the table speaks for those cells. */
const NO_ENTRY = Symbol("no entry");

/** Each action, as a player or the organizer does it through the services. */
const run: Partial<Record<MoneyAction, (staged: Staged) => Promise<unknown>>> = {
  publish: (s) => publishEvent(db, organizer, s.eventId),
  checkout: async (s) => {
    const [user] = await players(1);
    return checkout(db, gateway, user!, { eventId: s.eventId, idempotencyKey: crypto.randomUUID(), walletAmount: FEE });
  },
  player_withdrawal: async (s) => {
    if (s.entrants.length === 0) return NO_ENTRY;
    return withdraw(db, s.entrants[0]!.user, s.entrants[0]!.registrationId);
  },
  organizer_removal: async (s) => {
    if (s.entrants.length === 0) return NO_ENTRY;
    return removeParticipant(db, organizer, { registrationId: s.entrants[0]!.registrationId, refund: "full" });
  },
  drop_no_shows: (s) => dropNoShows(db, organizer, s.eventId),
  cancel: (s) => cancelEvent(db, organizer, s.eventId, "Testing the lifecycle"),
  edit_entry_fee: (s) => editOf(s.eventId, (input) => (input.entryFee += 100)),
  edit_withdrawal_penalty: (s) => editOf(s.eventId, (input) => (input.withdrawalPenaltyPercent += 10)),
  edit_payout_split: (s) => editOf(s.eventId, (input) => (input.payoutSplit = [60, 40])),
  edit_dates: (s) => editOf(s.eventId, (input) => (input.startsAt = new Date(input.startsAt.getTime() + hour))),
  start_bracket: (s) =>
    startBracket(db, organizer, s.eventId, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    }),
  payout: (s) => retryPayout(db, organizer, s.eventId),
};

/** Who may hold which money after an action: nothing below zero, and an escrow that holds what its rule says. */
async function escrowOf(eventId: string) {
  return accountBalance(db, await eventEscrowAccount(db, eventId));
}

describe("every money action in every phase, through the services", () => {
  const cells = Object.keys(run).flatMap((action) => PHASES.map((phase) => [action as MoneyAction, phase] as const));
  it.each(cells)("%s while %s", async (action, phase) => {
    const rule = moneyRules[action][phase];
    const staged = await eventIn(phase);
    if (staged.entrants.length === 0 && (action === "player_withdrawal" || action === "organizer_removal")) return;
    const escrowBefore = await escrowOf(staged.eventId);
    const attempt = run[action]!(staged);
    if (rule.kind === "refused") {
      await expect(attempt).rejects.toThrow(rule.message);
      expect(await escrowOf(staged.eventId)).toBe(escrowBefore);
      return;
    }
    if (rule.kind === "terms_frozen_once_registered" && staged.entrants.length > 0) {
      // These edits are all against the players: refused once anyone has paid.
      await expect(attempt).rejects.toThrow(/Players have registered/);
      return;
    }
    await expect(attempt).resolves.toBeDefined();
    const escrowAfter = await escrowOf(staged.eventId);
    if (rule.kind === "forfeit" || rule.kind === "disqualify") {
      expect(escrowAfter).toBe(escrowBefore);
      const [header] = await db.execute<{ disqualified: string[] }>(sql`select disqualified from brackets where id = ${staged.bracketId}`);
      expect(header!.disqualified).toContain(staged.entrants[0]!.registrationId);
    }
    expect(escrowAfter).toBeGreaterThanOrEqual(0);
  });
});

describe("the double payout found by the attack review", () => {
  /**
   * Capacity 2, fee 100.00, 100 % of fees to prizes, split [100], penalty 0 %, registration open
   * while check-in is open. Two players pay and check in; the bracket starts and the final is
   * recorded; the payout pays the winner 200.00. Then the organizer removes both players with a
   * full refund (variant 1) or each player withdraws (variant 2): both must be refused, and every
   * balance stay as it was.
   */
  async function paidOutEvent() {
    const event = await createOpenEvent(
      db,
      { organizerId: organizer.id, gameId },
      { entryFee: 10_000, capacity: 2, prizeFromFeesPercent: 100, payoutSplit: [100], withdrawalPenaltyPercent: 0 },
    );
    await setTimes(event.id, { opens: -2, closes: 10, checkInOpens: -1, checkInCloses: 11, starts: 12 });
    const field = await insertPlayers(db, 2);
    const entries: string[] = [];
    for (const player of field) {
      await fund(player.id, 10_000);
      const caller = createCaller(createInnerContext({ db, user: player }));
      const entry = await caller.registration.checkout({ eventId: event.id, idempotencyKey: crypto.randomUUID(), walletAmount: 10_000 });
      await caller.registration.checkIn({ registrationId: entry.registrationId });
      entries.push(entry.registrationId);
    }
    const escrow = await eventEscrowAccount(db, event.id);
    expect(await accountBalance(db, escrow)).toBe(20_000);
    const organizerCaller = createCaller(createInnerContext({ db, user: organizer }));
    const { bracketId } = await organizerCaller.brackets.start({
      eventId: event.id,
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    });
    const [final] = [...(await loadAllMatches(db, bracketId)).values()];
    await organizerCaller.brackets.setResult({ matchId: final!.uuid, outcome: { type: "played", winner: 0 } });
    await payPrizes(db, bracketId);
    expect(await accountBalance(db, escrow)).toBe(0);
    const balances = async () => Promise.all(field.map(async (player) => (await walletBalances(db, player.id)).available));
    const before = await balances();
    expect([...before].sort((a, b) => a - b)).toEqual([0, 20_000]);
    return { event, field, entries, escrow, balances, before, organizerCaller };
  }

  it("organizer removal with a full refund after the payout is refused; every balance unchanged", async () => {
    const { entries, escrow, balances, before, organizerCaller } = await paidOutEvent();
    for (const registrationId of entries) {
      await expect(organizerCaller.registration.removeParticipant({ registrationId, refund: "full" })).rejects.toThrow(
        "This event's prizes have been paid: its money can no longer move.",
      );
    }
    expect(await balances()).toEqual(before);
    expect(await accountBalance(db, escrow)).toBe(0);
  });

  it("player withdrawal after the payout is refused; every balance unchanged", async () => {
    const { field, entries, escrow, balances, before } = await paidOutEvent();
    for (const [i, player] of field.entries()) {
      const caller = createCaller(createInnerContext({ db, user: player }));
      await expect(caller.registration.withdraw({ registrationId: entries[i]! })).rejects.toThrow(
        "This event's prizes have been paid: its money can no longer move.",
      );
    }
    expect(await balances()).toEqual(before);
    expect(await accountBalance(db, escrow)).toBe(0);
  });

  it("cancelling after the payout is refused; cancelling a started event refunds everyone in full and empties the escrow", async () => {
    const { event, organizerCaller } = await paidOutEvent();
    await expect(organizerCaller.registration.cancelEvent({ eventId: event.id, reason: "Changed my mind" })).rejects.toThrow(
      "The prizes have been paid",
    );
    const started = await eventIn("bracket_started");
    const paid = await Promise.all(started.entrants.map(async (entrant) => (await walletBalances(db, entrant.user.id)).available));
    await cancelEvent(db, organizer, started.eventId, "Server outage");
    await refundCancelledEvent(db, started.eventId, "Server outage");
    await refundCancelledEvent(db, started.eventId, "Server outage");
    const after = await Promise.all(started.entrants.map(async (entrant) => (await walletBalances(db, entrant.user.id)).available));
    expect(after).toEqual(paid.map((balance) => balance + FEE));
    expect(await escrowOf(started.eventId)).toBe(0);
  });
});

describe("money and results racing each other", () => {
  it("a payout and a cancellation of the same event at once: one wins, nothing is paid twice, the escrow ends at zero", async () => {
    for (let round = 0; round < 5; round++) {
      const staged = await eventIn("completed");
      const before = await Promise.all(staged.entrants.map(async (entrant) => (await walletBalances(db, entrant.user.id)).available));
      const [paid, cancelled] = await Promise.allSettled([
        payPrizes(db, staged.bracketId!),
        cancelEvent(db, organizer, staged.eventId, "Racing the payout"),
      ]);
      await refundCancelledEvent(db, staged.eventId, "Racing the payout");
      const after = await Promise.all(staged.entrants.map(async (entrant) => (await walletBalances(db, entrant.user.id)).available));
      const gained = after.reduce((sum, balance, i) => sum + balance - before[i]!, 0);
      const paidOut = paid.status === "fulfilled" && paid.value.status === "paid";
      // Exactly one of the two moved the money: the prize (the whole pool) or the refunds (every fee).
      expect(paidOut !== (cancelled.status === "fulfilled")).toBe(true);
      expect(gained).toBe(2 * FEE);
      expect(await escrowOf(staged.eventId)).toBe(0);
    }
  });

  it("a cancellation and the final's result at once: the result lands before the cancellation or not at all", async () => {
    for (let round = 0; round < 5; round++) {
      const staged = await eventIn("bracket_started");
      const [final] = [...(await loadAllMatches(db, staged.bracketId!)).values()];
      const [result, cancelled] = await Promise.allSettled([
        setMatchResult(db, organizer, { matchId: final!.uuid, outcome: { type: "played", winner: 0 } }),
        cancelEvent(db, organizer, staged.eventId, "Racing the final"),
      ]);
      expect(cancelled.status).toBe("fulfilled");
      const [header] = await db.execute<{ status: string; payout_status: string; changed: number }>(sql`
        select b.status, b.payout_status,
          (select count(*) from bracket_actions a where a.bracket_id = b.id and a.kind = 'result'
             and a.created_at > (select e.cancelled_at from events e where e.id = b.event_id))::int as changed
        from brackets b where b.id = ${staged.bracketId}`);
      expect(header!.payout_status).toBe("cancelled");
      expect(header!.changed).toBe(0);
      if (result.status === "rejected") expect(String(result.reason)).toMatch(/cancelled/);
      await refundCancelledEvent(db, staged.eventId, "Racing the final");
      expect(await escrowOf(staged.eventId)).toBe(0);
      // After the cancellation no payout can happen.
      expect((await payPrizes(db, staged.bracketId!)).status).toBe("cancelled");
    }
  });

  it("100 withdrawals and removals at once against a started event: all forfeits or disqualifications, no refund, escrow intact", async () => {
    const event = await createOpenEvent(
      db,
      { organizerId: organizer.id, gameId },
      { entryFee: FEE, capacity: 64, prizeFromFeesPercent: 100, payoutSplit: [100] },
    );
    await setTimes(event.id, { opens: -2, closes: 10, checkInOpens: -1, checkInCloses: 11, starts: 12 });
    const field = await players(50);
    const entries = await Promise.all(
      field.map(async (user) => {
        const entry = await checkout(db, gateway, user, { eventId: event.id, idempotencyKey: crypto.randomUUID(), walletAmount: FEE });
        await checkIn(db, user, entry.registrationId);
        return { user, registrationId: entry.registrationId };
      }),
    );
    const { bracketId } = await startBracket(db, organizer, event.id, {
      seeding: "registration",
      settings: { thirdPlace: false, grandFinal: "reset", groups: 1, meetings: 1 },
      reportMinutes: 30,
    });
    const escrowBefore = await escrowOf(event.id);
    expect(escrowBefore).toBe(50 * FEE);
    const wallets = async () => Promise.all(entries.map(async (entry) => (await walletBalances(db, entry.user.id)).available));
    const walletsBefore = await wallets();
    const attempts = entries.flatMap((entry) => [
      withdraw(db, entry.user, entry.registrationId),
      removeParticipant(db, organizer, { registrationId: entry.registrationId, refund: "full" }),
    ]);
    const outcomes = await Promise.allSettled(attempts);
    // Refusals are answers in words (already disqualified), never a crash.
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") {
        expect(outcome.reason).toBeInstanceOf(Invalid);
      }
    }
    expect(await wallets()).toEqual(walletsBefore);
    expect(await escrowOf(event.id)).toBe(escrowBefore);
    const [header] = await db.execute<{ disqualified: string[] }>(sql`select disqualified from brackets where id = ${bracketId}`);
    expect(new Set(header!.disqualified)).toEqual(new Set(entries.map((entry) => entry.registrationId)));
  });
});
