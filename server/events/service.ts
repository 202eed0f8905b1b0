import { and, asc, count, desc, eq, gte, ilike, inArray, lte, sql, type SQL } from "drizzle-orm";
import { lockEvent } from "./status";
import type { Db, DbOrTx } from "@/db/client";
import { events } from "@/db/schema/events";
import { gameCatalogue, gameExists } from "@/server/games/service";
import { eventEntries } from "./entries";
import { userDirectory } from "@/server/accounts/directory";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { platformFeePercent } from "@/server/env";
import { Forbidden, Invalid, NotFound } from "@/server/errors";
import { announce } from "@/server/live/announce";
import { notificationJobs } from "@/server/notifications/service";
import { enqueueJobs } from "@/server/jobs/queue";
import { formatMoney } from "@/lib/money";
import { assertMoneyAction, checkTermChanges, moneyPhase, moneyRule, type TermChange } from "./money-lifecycle";
import { eventPhase, nextDeadline, payouts, prizePool } from "./phase";
import { holdOrganizerPrize } from "./prize-funding";
import type { z } from "zod";
import type { eventInput, ListEventsInput } from "./schemas";

type EventRow = typeof events.$inferSelect;
type ParsedEventInput = z.infer<typeof eventInput>;

const notFound = () => new NotFound("We could not find that event.");

async function assertGame(db: DbOrTx, gameId: string) {
  const game = await gameExists(db, gameId);
  if (!game) throw new Invalid("Choose a game from the list.", { field: "gameId" });
}

export async function createEvent(db: Db, organizer: SessionUser, input: ParsedEventInput): Promise<EventRow> {
  await assertGame(db, input.gameId);
  const [created] = await db
    .insert(events)
    .values({ ...input, organizerId: organizer.id, platformFeePercent })
    .returning();
  return created!;
}

/** The event, locked, if `actor` may change it: its organizer or an admin. */
export async function lockOwnEvent(tx: DbOrTx, actor: SessionUser, eventId: string): Promise<EventRow> {
  const event = await lockEvent(tx, eventId);
  if (!event) throw notFound();
  if (event.organizerId !== actor.id && !hasRole(actor, "admin")) {
    throw new Forbidden("Only this event's organizer can change it.");
  }
  return event;
}

/** Confirmed entries, unpaid checkouts and open offers: players whose money terms are set. */
const hasRegistrations = (tx: DbOrTx, eventId: string) => eventEntries().hasMoneyTerms(tx, eventId);

const termWords: Record<TermChange["term"], (event: EventRow) => string> = {
  entryFee: (e) => `the entry fee is now ${formatMoney(e.entryFee)}`,
  withdrawalPenaltyPercent: (e) => `the withdrawal penalty is now ${e.withdrawalPenaltyPercent}%`,
  prizeFromFeesPercent: (e) => `${e.prizeFromFeesPercent}% of the entry fees now go to prizes`,
  payoutSplit: (e) => `the payout split is now ${e.payoutSplit.join("/")}`,
  organizerPrize: (e) => `the organizer now puts up ${formatMoney(e.organizerPrize)} of prize money`,
};

/**
 * An organizer's edit, checked against the money lifecycle (money-lifecycle.ts): money terms are
 * frozen once players have registered, except changes in their favour, which they are told about;
 * dates keep registration close ≤ check-in close ≤ start and cannot reopen a phase that closed
 * with players registered; nothing about money or dates changes once the bracket has started. A
 * larger organizer-funded prize of a published event is held from the organizer's wallet at once.
 */
export async function updateEvent(db: Db, actor: SessionUser, eventId: string, input: ParsedEventInput): Promise<EventRow> {
  await assertGame(db, input.gameId);
  return db.transaction(async (tx) => {
    const event = await lockOwnEvent(tx, actor, eventId);
    if (event.status === "cancelled" || event.status === "completed") {
      // Over or cancelled: nothing is edited any more, in the lifecycle's words.
      const rule = moneyRule("edit_dates", moneyPhase(event));
      throw new Invalid(rule.kind === "refused" ? rule.message : "This event can no longer be edited.");
    }
    if (input.capacity < event.seatsTaken) {
      const rule = moneyRule("capacity_below_confirmed", moneyPhase(event));
      const message = `${event.seatsTaken} seats are already taken. ${rule.kind === "refused" ? rule.message : ""}`.trim();
      throw new Invalid(message, { field: "capacity" });
    }
    const registered = await hasRegistrations(tx, eventId);
    if (registered) {
      if (input.participantType !== event.participantType || input.teamSize !== event.teamSize) {
        throw new Invalid("Solo/team and team size cannot change once players have registered.", { field: "teamSize" });
      }
      if (input.teamPrizeToCaptain !== event.teamPrizeToCaptain) {
        throw new Invalid("Who receives a team's prize cannot change once players have registered.", { field: "teamPrizeToCaptain" });
      }
    }
    const changes = checkTermChanges(event, input, registered);
    checkDateChanges(event, input, registered);
    const [updated] = await tx
      .update(events)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(events.id, eventId))
      .returning();
    let row = updated!;
    if (changes.some((change) => change.term === "organizerPrize") && event.status !== "draft") {
      row = await holdOrganizerPrize(tx, row);
    }
    const notices = changes.filter((change) => change.notify);
    if (notices.length > 0) await notifyTermChanges(tx, row, notices);
    await announce(tx, `event:${row.id}`, { kind: "event.updated" });
    return row;
  });
}

type Dates = Pick<EventRow, "registrationOpensAt" | "registrationClosesAt" | "checkInOpensAt" | "checkInClosesAt" | "startsAt">;
const dateFields = ["registrationOpensAt", "registrationClosesAt", "checkInOpensAt", "checkInClosesAt", "startsAt"] as const;

/** Date edits the lifecycle allows (the input schema already orders the five times). */
function checkDateChanges(event: EventRow, next: Dates, registered: boolean, now = new Date()) {
  const changed = dateFields.filter((field) => event[field].getTime() !== next[field].getTime());
  if (changed.length === 0) return;
  const rule = moneyRule("edit_dates", moneyPhase(event, now));
  if (rule.kind === "refused") throw new Invalid(rule.message, { field: changed[0]! });
  if (!registered) return;
  if (event.registrationClosesAt <= now && next.registrationClosesAt > now) {
    throw new Invalid("Registration has closed with players registered: it cannot be reopened.", { field: "registrationClosesAt" });
  }
  if (event.checkInClosesAt <= now && next.checkInClosesAt > now) {
    throw new Invalid("Check-in has closed with players registered: it cannot be reopened.", { field: "checkInClosesAt" });
  }
}

/** Every registered player hears of a change made in their favour after they paid. */
async function notifyTermChanges(tx: DbOrTx, event: EventRow, changes: TermChange[]) {
  const players = (await eventEntries().registrantIds(tx, event.id)).map((userId) => ({ userId }));
  const words = changes.map((change) => termWords[change.term](event)).join("; ");
  const key = crypto.randomUUID();
  await enqueueJobs(
    tx,
    notificationJobs(
      players.map((player) => ({
        userId: player.userId,
        dedupeKey: `event-terms:${event.id}:${key}:${player.userId}`,
        title: `Better terms in ${event.name}`,
        body: `The organizer changed the event in your favour: ${words}.`,
        link: `/events/${event.id}`,
        email: {
          subject: `Better terms in ${event.name}`,
          text: `The organizer of ${event.name} changed the event in your favour: ${words}.`,
        },
      })),
    ),
  );
}

/**
 * Publishing opens the event to players. An organizer-funded prize is held from the organizer's
 * wallet now, so players see a guaranteed pool; refused (with the amount to add) when the wallet
 * cannot cover it.
 */
export async function publishEvent(db: Db, actor: SessionUser, eventId: string): Promise<EventRow> {
  return db.transaction(async (tx) => {
    const event = await lockOwnEvent(tx, actor, eventId);
    assertMoneyAction("publish", event);
    if (event.registrationClosesAt <= new Date()) {
      throw new Invalid("Registration would already be closed: move the dates before publishing.");
    }
    const [published] = await tx
      .update(events)
      .set({ status: "published", publishedAt: new Date(), updatedAt: new Date() })
      .where(eq(events.id, eventId))
      .returning();
    const held = await holdOrganizerPrize(tx, published!);
    await announce(tx, `event:${held.id}`, { kind: "event.updated" });
    return held;
  });
}

const visibleToPublic: SQL = sql`${events.status} <> 'draft' and ${events.visibility} = 'public'`;

/** Entry fees actually paid (confirmed entries), the base of the prize pool. */
const feesPaid = (db: DbOrTx, eventIds: string[]) => eventEntries().feesPaid(db, eventIds);

function summary(event: EventRow & { gameName: string; organizerName: string }, paid: { confirmed: number; fees: number } | undefined) {
  const pool = prizePool(event, paid?.fees ?? 0);
  return {
    id: event.id,
    name: event.name,
    gameId: event.gameId,
    gameName: event.gameName,
    organizerId: event.organizerId,
    organizerName: event.organizerName,
    format: event.format,
    participantType: event.participantType,
    teamSize: event.teamSize,
    capacity: event.capacity,
    seatsTaken: event.seatsTaken,
    confirmed: paid?.confirmed ?? 0,
    entryFee: event.entryFee,
    prizePool: pool,
    prizePoolAtCapacity: prizePool(event, event.entryFee * event.capacity),
    startsAt: event.startsAt,
    timeZone: event.timeZone,
    status: event.status,
    phase: eventPhase(event),
    nextDeadline: nextDeadline(event),
    hasBanner: event.hasBanner,
  };
}
export type EventSummary = ReturnType<typeof summary>;

const withNames = {
  gameName: gameCatalogue.name,
  organizerName: userDirectory.name,
};

export async function listEvents(db: DbOrTx, input: ListEventsInput) {
  const now = new Date();
  const where: SQL[] = [visibleToPublic];
  if (input.search) where.push(ilike(events.name, `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (input.gameId) where.push(eq(events.gameId, input.gameId));
  if (input.format) where.push(eq(events.format, input.format));
  if (input.price === "free") where.push(eq(events.entryFee, 0));
  if (input.price === "paid") where.push(sql`${events.entryFee} > 0`);
  if (input.from) where.push(gte(events.startsAt, input.from));
  if (input.to) where.push(lte(events.startsAt, input.to));
  switch (input.phase) {
    case "upcoming":
      where.push(eq(events.status, "published"), sql`${events.registrationOpensAt} > ${now.toISOString()}`);
      break;
    case "registration_open":
      where.push(
        eq(events.status, "published"),
        sql`${events.registrationOpensAt} <= ${now.toISOString()} and ${events.registrationClosesAt} > ${now.toISOString()}`,
      );
      break;
    case "check_in":
      where.push(
        eq(events.status, "published"),
        sql`${events.checkInOpensAt} <= ${now.toISOString()} and ${events.checkInClosesAt} > ${now.toISOString()}`,
      );
      break;
    case "live":
    case "completed":
    case "cancelled":
      where.push(eq(events.status, input.phase));
      break;
    default:
      // Discovery starts with what a player can still join or watch.
      where.push(
        inArray(events.status, ["published", "live"]),
        sql`(${events.status} = 'live' or ${events.startsAt} > ${now.toISOString()})`,
      );
  }
  const order = {
    soonest: [asc(events.startsAt), asc(events.id)],
    newest: [desc(events.publishedAt), asc(events.id)],
    prize: [
      desc(sql`${events.organizerPrize} + ${events.entryFee} * ${events.capacity} * ${events.prizeFromFeesPercent} / 100`),
      asc(events.id),
    ],
    fee: [asc(events.entryFee), asc(events.startsAt)],
  }[input.sort];
  const filter = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select({ event: events, ...withNames })
      .from(events)
      .innerJoin(gameCatalogue, eq(gameCatalogue.id, events.gameId))
      .innerJoin(userDirectory, eq(userDirectory.id, events.organizerId))
      .where(filter)
      .orderBy(...order)
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ value: count() }).from(events).where(filter),
  ]);
  const paid = await feesPaid(
    db,
    rows.map((r) => r.event.id),
  );
  return {
    events: rows.map((r) => summary({ ...r.event, gameName: r.gameName, organizerName: r.organizerName }, paid.get(r.event.id))),
    total: total?.value ?? 0,
    page: input.page,
    pageCount: Math.max(1, Math.ceil((total?.value ?? 0) / input.pageSize)),
  };
}

/** One event for its page. Drafts are visible only to their organizer and admins. */
export async function getEvent(db: DbOrTx, viewer: SessionUser | null, eventId: string) {
  const [row] = await db
    .select({ event: events, ...withNames })
    .from(events)
    .innerJoin(gameCatalogue, eq(gameCatalogue.id, events.gameId))
    .innerJoin(userDirectory, eq(userDirectory.id, events.organizerId))
    .where(eq(events.id, eventId));
  if (!row) throw notFound();
  const canManage = Boolean(viewer && (viewer.id === row.event.organizerId || hasRole(viewer, "admin")));
  if (row.event.status === "draft" && !canManage) throw notFound();
  const paid = (await feesPaid(db, [eventId])).get(eventId);
  const base = summary({ ...row.event, gameName: row.gameName, organizerName: row.organizerName }, paid);
  return {
    ...base,
    rules: row.event.rules,
    substitutes: row.event.substitutes,
    payoutSplit: row.event.payoutSplit,
    payouts: payouts(base.prizePool, row.event.payoutSplit),
    prizeFromFeesPercent: row.event.prizeFromFeesPercent,
    organizerPrize: row.event.organizerPrize,
    withdrawalPenaltyPercent: row.event.withdrawalPenaltyPercent,
    platformFeePercent: row.event.platformFeePercent,
    teamPrizeToCaptain: row.event.teamPrizeToCaptain,
    /** The organizer's prize is held from their wallet (published) or already in the escrow (started). */
    organizerPrizeGuaranteed:
      row.event.organizerPrize > 0 &&
      ((row.event.status === "published" && row.event.prizeHoldId !== null) ||
        row.event.status === "live" ||
        row.event.status === "completed"),
    paidOutAt: row.event.paidOutAt,
    registrationOpensAt: row.event.registrationOpensAt,
    registrationClosesAt: row.event.registrationClosesAt,
    checkInOpensAt: row.event.checkInOpensAt,
    checkInClosesAt: row.event.checkInClosesAt,
    visibility: row.event.visibility,
    canManage,
  };
}

/** The organizer's own events (admins: everyone's), newest first, drafts included. */
export async function listOrganizerEvents(db: DbOrTx, organizer: SessionUser) {
  const rows = await db
    .select({ event: events, ...withNames })
    .from(events)
    .innerJoin(gameCatalogue, eq(gameCatalogue.id, events.gameId))
    .innerJoin(userDirectory, eq(userDirectory.id, events.organizerId))
    .where(hasRole(organizer, "admin") ? undefined : eq(events.organizerId, organizer.id))
    .orderBy(desc(events.createdAt))
    .limit(100);
  const paid = await feesPaid(
    db,
    rows.map((r) => r.event.id),
  );
  return rows.map((r) => summary({ ...r.event, gameName: r.gameName, organizerName: r.organizerName }, paid.get(r.event.id)));
}
