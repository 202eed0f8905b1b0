/**
 * Entries made the way players make them: teams through the teams service (create, invite,
 * accept), registrations through the registration service (checkout, paid from a wallet topped up
 * by card when the event has a fee; check-in; withdrawal). The only direct write is moving an
 * event's clock (withEntryWindowsOpen); `bulkSoloEntries` is the raw shortcut for scale tests.
 */
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { events, registrations } from "@/db/schema";
import type { SessionUser } from "@/server/accounts/roles";
import { creditFromCard } from "@/server/ledger";
import type { PaymentGateway } from "@/server/payments/gateway";
import { checkIn, checkout, withdraw } from "@/server/registration/service";
import { createTeam, invite, respondToInvite } from "@/server/teams/service";
import { insertPlayers } from "./factories";

export interface SoloEntryOptions {
  /** Checked in unless false. */
  checkedIn?: boolean;
  /** "withdrawn": the player withdraws (after checking in, unless checkedIn is false). */
  status?: "confirmed" | "withdrawn";
  /** The entry fee each player pays from their wallet (topped up by card first); the event's fee. */
  fee?: number;
}

export interface SoloEntry {
  registrationId: string;
  player: SessionUser;
}

export interface TeamEntry {
  registrationId: string;
  teamId: string;
  captain: SessionUser;
  /** Captain first, then the members in the order they joined (the roster frozen at check-in). */
  members: SessionUser[];
}

type Times = Pick<
  typeof events.$inferSelect,
  "registrationOpensAt" | "registrationClosesAt" | "checkInOpensAt" | "checkInClosesAt" | "startsAt"
>;

const HOUR = 3_600_000;

/**
 * Time travel, which is not a user action: registration and check-in are refused outside their
 * windows (and no service reopens a window that closed with players registered), so the event's
 * five times are moved to "registration and check-in open now" for `enter` and then put back as
 * they were. This is the fixtures' one direct write to an event, and it writes nothing but times.
 */
export async function withEntryWindowsOpen<T>(db: Db, eventId: string, enter: () => Promise<T>): Promise<T> {
  const [before] = await db
    .select({
      registrationOpensAt: events.registrationOpensAt,
      registrationClosesAt: events.registrationClosesAt,
      checkInOpensAt: events.checkInOpensAt,
      checkInClosesAt: events.checkInClosesAt,
      startsAt: events.startsAt,
    })
    .from(events)
    .where(eq(events.id, eventId));
  if (!before) throw new Error(`No event ${eventId}.`);
  const now = Date.now();
  const open: Times = {
    registrationOpensAt: new Date(now - HOUR),
    registrationClosesAt: new Date(now + HOUR),
    checkInOpensAt: new Date(now - HOUR),
    checkInClosesAt: new Date(now + HOUR),
    startsAt: new Date(Math.max(now + HOUR, before.startsAt.getTime())),
  };
  await db.update(events).set(open).where(eq(events.id, eventId));
  try {
    return await enter();
  } finally {
    await db.update(events).set(before).where(eq(events.id, eventId));
  }
}

/** The fixtures pay entry fees from wallets only: a checkout that reaches for a card fails loudly. */
const walletOnly = new Proxy({} as PaymentGateway, {
  get: (_gateway, property) =>
    property === "then"
      ? undefined
      : () => {
          throw new Error(`The entry fixtures pay from wallets only; the gateway's ${String(property)} was called.`);
        },
});

/** Tops up each player's wallet with `amount` as a card payment would (card clearing → wallet). */
export async function fundWallets(db: Db, userIds: readonly string[], amount: number): Promise<void> {
  if (amount <= 0) return;
  await Promise.all(
    userIds.map((userId) =>
      creditFromCard(db, {
        userId,
        amount,
        category: "topup",
        description: "Test top-up",
        idempotencyKey: `test-topup:${crypto.randomUUID()}`,
      }),
    ),
  );
}

/** One checkout, paid in full from the wallet (or free), which the service must confirm. */
async function register(db: Db, user: SessionUser, eventId: string, entry: { walletAmount: number; teamId?: string }) {
  const result = await checkout(db, walletOnly, user, {
    eventId,
    idempotencyKey: crypto.randomUUID(),
    walletAmount: entry.walletAmount,
    teamId: entry.teamId,
  });
  if (result.status !== "confirmed") {
    throw new Error(`The checkout ended ${result.status}, not confirmed: is the event full, or its fee not what the fixture paid?`);
  }
  return result.registrationId;
}

/** How many players check out (and check in) at once: the checkout is built for a crowd. */
const CONCURRENT_PLAYERS = 16;

/** `enter` for every item, at most `limit` at a time; results in the items' order. */
async function eachConcurrently<T, R>(items: readonly T[], limit: number, enter: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await enter(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * `count` solo players with confirmed entries, checked in unless `checkedIn: false`, in
 * registration order (the first is the earliest). The players check out at the same time, so the
 * order is read back as the bracket seeds by registration: by the entries' creation time, then id.
 */
export async function soloEntries(db: Db, eventId: string, count: number, options: SoloEntryOptions = {}): Promise<SoloEntry[]> {
  const players = await insertPlayers(db, count);
  const fee = options.fee ?? 0;
  await fundWallets(
    db,
    players.map((player) => player.id),
    fee,
  );
  return withEntryWindowsOpen(db, eventId, async () => {
    const entries = await eachConcurrently(players, CONCURRENT_PLAYERS, async (player): Promise<SoloEntry> => {
      const registrationId = await register(db, player, eventId, { walletAmount: fee });
      if (options.checkedIn !== false) await checkIn(db, player, registrationId);
      return { registrationId, player };
    });
    // Withdrawals give seats back under the event's lock: one after another.
    if (options.status === "withdrawn") {
      for (const entry of entries) await withdraw(db, entry.player, entry.registrationId);
    }
    return inRegistrationOrder(db, entries);
  });
}

/** The entries as checkedInEntries (server/registration/participants.ts) orders them for seeding. */
async function inRegistrationOrder(db: Db, entries: SoloEntry[]): Promise<SoloEntry[]> {
  if (entries.length < 2) return entries;
  const byId = new Map(entries.map((entry) => [entry.registrationId, entry]));
  const rows = await db
    .select({ id: registrations.id })
    .from(registrations)
    .where(inArray(registrations.id, [...byId.keys()]))
    .orderBy(asc(registrations.createdAt), asc(registrations.id));
  return rows.map((row) => byId.get(row.id)!);
}

/**
 * A team of `size` made by its captain (who invites the others, who accept), entered by the
 * captain for free and checked in, which freezes its roster.
 */
export async function teamEntry(db: Db, eventId: string, size: number): Promise<TeamEntry> {
  // Invites find players by name, so these names are unique.
  const suffix = crypto.randomUUID().slice(0, 8);
  const members = await insertPlayers(db, size, { name: (i) => `${i === 0 ? "Captain" : `Member ${i}`} ${suffix}` });
  const captain = members[0]!;
  const team = await createTeam(db, captain, { name: `Team ${suffix}`, tag: "TST" });
  // One at a time: the roster is in the order members joined.
  for (const member of members.slice(1)) {
    const { inviteId } = await invite(db, captain.id, { teamId: team.id, handle: member.name });
    await respondToInvite(db, member.id, { inviteId, response: "accept" });
  }
  return withEntryWindowsOpen(db, eventId, async () => {
    const registrationId = await register(db, captain, eventId, { walletAmount: 0, teamId: team.id });
    await checkIn(db, captain, registrationId);
    return { registrationId, teamId: team.id, captain, members };
  });
}

/**
 * A raw shortcut for scale tests only (thousands of entrants): confirmed, checked-in free solo
 * entries written straight to the registrations table, one statement, with the seats counted.
 * It skips everything the services do (notifications, announcements, the money lifecycle), so
 * use it only where a test needs the size of a field, not how players entered it.
 */
export async function bulkSoloEntries(db: Db, eventId: string, count: number): Promise<SoloEntry[]> {
  const players = await insertPlayers(db, count);
  const base = Date.now() - 1_000_000;
  const rows = await db
    .insert(registrations)
    .values(
      players.map((player, i) => ({
        eventId,
        userId: player.id,
        status: "confirmed" as const,
        idempotencyKey: crypto.randomUUID(),
        fee: 0,
        createdAt: new Date(base + i * 10),
        confirmedAt: new Date(base + i * 10),
        checkedInAt: new Date(),
      })),
    )
    .returning({ id: registrations.id });
  await db
    .update(events)
    .set({ seatsTaken: sql`${events.seatsTaken} + ${rows.length}` })
    .where(eq(events.id, eventId));
  return rows.map((row, i) => ({ registrationId: row.id, player: players[i]! }));
}
