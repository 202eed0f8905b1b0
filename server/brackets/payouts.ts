/**
 * Prize payout when a bracket completes: the event's prize pool (organizer-funded part plus the
 * promised share of entry fees, server/events/phase.ts) split by its payout percentages over the
 * final placements, paid from the event's escrow into the winners' wallets in ONE transaction.
 * Every transfer has an idempotency key (`payout:<bracket>:<place>:<recipient>`, and
 * `prize-funding:<bracket>` for the organizer's part), and the bracket row is locked, so running it
 * twice, or twice at once, pays exactly once.
 */
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import type { PayoutStatus } from "@/db/schema/brackets";
import type { SessionUser } from "@/server/accounts/roles";
import { Invalid } from "@/server/errors";
import { assertMoneyAction } from "@/server/events/money-lifecycle";
import { prizePool } from "@/server/events/phase";
import { announce } from "@/server/live/announce";
import { notify } from "@/server/notifications/service";
import { confirmedFeesPaid, entryRosters } from "@/server/registration/participants";
import { accountBalance, credit, debit, eventEscrowAccount, platformAccount, transfer, transferAmounts } from "@/server/ledger";
import { getEventRow, markEventPaidOut } from "@/server/events/status";
import { formatMoney } from "@/lib/money";
import { assertManager, bracketIdOfEvent, bracketNotFound, eventRef } from "./access";
import type { Placement } from "./engine";
import { enqueueJobs } from "@/server/jobs/queue";
import { metrics } from "@/server/metrics";
import { notificationJobs } from "@/server/notifications/service";

export interface PrizeShare {
  entrant: string;
  place: number;
  amount: number;
}

/**
 * Each entrant's prize in cents. Place k gets split[k-1] percent of the pool. Entrants sharing a
 * place (competition ranking: 1, 2, 3, 3, 5 …) share the percentages of the places they cover
 * evenly, rounded down to the cent. The best place with an eligible entrant takes the rest of the
 * pool: its own share, the cents rounding left over, and money nobody can take (a place nobody
 * holds, e.g. first when the final was a double forfeit, or fewer entrants than paid places; the
 * shares of `excluded` entrants, the disqualified). Within the best place the cents that do not
 * divide evenly go to the better seeds' entries first (placement order). The shares add up to the
 * pool exactly.
 */
export function splitPrizes(
  pool: number,
  split: readonly number[],
  placements: readonly Placement[],
  excluded: ReadonlySet<string> = new Set(),
): PrizeShare[] {
  if (!Number.isSafeInteger(pool) || pool <= 0) return [];
  const ordered = [...placements].sort((a, b) => a.place - b.place);
  const groups = new Map<number, string[]>();
  for (const placement of ordered) groups.set(placement.place, [...(groups.get(placement.place) ?? []), placement.entrant]);
  const percentOf = (from: number, count: number) => {
    let total = 0;
    for (let place = from; place < from + count; place++) total += split[place - 1] ?? 0;
    return total;
  };
  const best = ordered.find((placement) => !excluded.has(placement.entrant));
  if (!best) return [];
  const shares: PrizeShare[] = [];
  let others = 0n;
  for (const [place, members] of groups) {
    if (place === best.place) continue;
    const percent = BigInt(percentOf(place, members.length));
    const amount = (BigInt(pool) * percent) / (100n * BigInt(members.length));
    if (amount === 0n) continue;
    for (const entrant of members) {
      if (excluded.has(entrant)) continue;
      shares.push({ entrant, place, amount: Number(amount) });
      others += amount;
    }
  }
  const winners = groups.get(best.place)!.filter((entrant) => !excluded.has(entrant));
  const top = BigInt(pool) - others;
  const base = top / BigInt(winners.length);
  const extra = Number(top % BigInt(winners.length));
  const topShares = winners.map((entrant, i) => ({ entrant, place: best.place, amount: Number(base) + (i < extra ? 1 : 0) }));
  return [...topShares, ...shares].filter((share) => share.amount > 0);
}

export interface PayoutResult {
  status: PayoutStatus;
  pool: number;
  payouts: { entrantId: string; place: number; recipientId: string; amount: number }[];
  /** The fees not promised to prizes, to the organizer, and the platform's fee out of them. */
  organizerShare?: number;
  platformFee?: number;
}

class PayoutRefused extends Error {}

const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th")}`;

async function paidRows(tx: DbOrTx, bracketId: string) {
  const rows = await tx.execute<{ entrant_id: string; place: number; recipient_id: string; amount: string }>(
    sql`select entrant_id, place, recipient_id, amount from bracket_payouts where bracket_id = ${bracketId} order by place, entrant_id, recipient_id`,
  );
  return rows.map((row) => ({ entrantId: row.entrant_id, place: row.place, recipientId: row.recipient_id, amount: Number(row.amount) }));
}

/** What a paid bracket gave the organizer and the platform (for a replayed payout's answer). */
async function paidShares(tx: DbOrTx, bracketId: string) {
  const amounts = await transferAmounts(tx, [`payout:${bracketId}:organizer`, `payout:${bracketId}:platform-fee`]);
  const amountOf = (key: string) => amounts.get(key) ?? 0;
  return { organizerShare: amountOf(`payout:${bracketId}:organizer`), platformFee: amountOf(`payout:${bracketId}:platform-fee`) };
}

/**
 * A team's prize over its players: evenly over the roster frozen at check-in, the cents that do
 * not divide going to the captain; all to the captain when the event says so (or for a solo entry).
 */
export function splitTeamPrize(
  amount: number,
  roster: readonly string[],
  captainId: string,
  toCaptain: boolean,
): { userId: string; amount: number }[] {
  const players = [...new Set(roster)];
  if (toCaptain || players.length <= 1) return [{ userId: players.length === 1 && !toCaptain ? players[0]! : captainId, amount }];
  const base = Math.floor(amount / players.length);
  const rest = amount - base * players.length;
  const shares = players.map((userId) => ({ userId, amount: base + (userId === captainId ? rest : 0) }));
  if (rest > 0 && !players.includes(captainId)) shares.push({ userId: captainId, amount: rest });
  return shares.filter((share) => share.amount > 0);
}

type PayoutEvent = {
  id: string;
  name: string;
  organizer_id: string;
  organizer_prize: string;
  prize_from_fees_percent: number;
  payout_split: number[];
  platform_fee_percent: number;
  team_prize_to_captain: boolean;
  status: string;
};

/**
 * Pays a completed bracket (the job queued at completion, and the organizer's retry), emptying
 * the event's escrow exactly, in one transaction under the bracket's header lock and then the
 * event's (the order every bracket change and the cancellation take): the prizes (the pool fixed
 * when the bracket started; a team's prize split over its roster unless the event gives it to the
 * captain), then what is left, the fees not promised to prizes and the penalties kept from
 * withdrawals, to the organizer's wallet less the platform's fee. Every transfer has its own key,
 * so running it twice, or twice at once, pays exactly once. A bracket started before pools were
 * fixed at the start is funded and pooled here, as it used to be; when the organizer's wallet cannot
 * cover their part nothing moves: the payout is `failed` with the reason, and this throws it.
 */
export async function payPrizes(db: Db, bracketId: string): Promise<PayoutResult> {
  try {
    // Set inside the transaction, counted only after it committed.
    let paidNow: { prizes: number; organizerShare: number; platformFee: number } | null = null;
    const result = await db.transaction(async (tx): Promise<PayoutResult> => {
      const [bracket] = await tx.execute<{
        event_id: string;
        status: string;
        payout_status: PayoutStatus;
        placements: Placement[] | null;
        disqualified: string[];
        prize_pool: string | null;
      }>(sql`
        select event_id, status, payout_status, placements, disqualified, prize_pool from brackets where id = ${bracketId} for update`);
      if (!bracket) throw bracketNotFound();
      if (bracket.payout_status === "paid")
        return {
          status: "paid",
          pool: Number(bracket.prize_pool ?? 0),
          payouts: await paidRows(tx, bracketId),
          ...(await paidShares(tx, bracketId)),
        };
      if (bracket.payout_status === "cancelled") return { status: "cancelled", pool: 0, payouts: [] };
      if (bracket.status !== "completed" || !bracket.placements) return { status: "not_due", pool: 0, payouts: [] };
      const [event] = await tx.execute<PayoutEvent>(sql`
        select id, name, organizer_id, organizer_prize, prize_from_fees_percent, payout_split, platform_fee_percent, team_prize_to_captain, status
        from events where id = ${bracket.event_id} for update`);
      if (event!.status === "cancelled") return { status: "cancelled", pool: 0, payouts: [] };
      const escrow = await eventEscrowAccount(tx, bracket.event_id);
      const metadata = { eventId: bracket.event_id, bracketId };
      const pool = bracket.prize_pool !== null ? Number(bracket.prize_pool) : await legacyPool(tx, event!, escrow, bracketId);
      const shares = splitPrizes(pool, event!.payout_split, bracket.placements, new Set(bracket.disqualified));
      const needed = shares.reduce((sum, share) => sum + share.amount, 0);
      const held = await accountBalance(tx, escrow);
      if (held < needed) {
        throw new PayoutRefused(
          `The event's escrow holds ${formatMoney(held)}, less than the ${formatMoney(needed)} prize pool. Contact support.`,
        );
      }
      const rows = await payShares(tx, { bracketId, event: event!, shares, escrow, metadata });
      const rest = await payOrganizerShare(tx, { bracketId, event: event!, escrow, metadata });
      await tx.execute(
        sql`update brackets set payout_status = 'paid', paid_at = now(), prize_pool = ${pool}, payout_error = null where id = ${bracketId}`,
      );
      await markEventPaidOut(tx, bracket.event_id);
      await announce(tx, `bracket:${bracketId}`, { kind: "payout", status: "paid" });
      await announce(tx, `event:${bracket.event_id}`, { kind: "event.updated" });
      await notifyPayout(tx, { bracketId, event: event!, rows, ...rest });
      paidNow = { prizes: rows.reduce((sum, row) => sum + row.amount, 0), ...rest };
      return {
        status: "paid" as const,
        pool,
        payouts: rows.map((row) => ({ entrantId: row.entrant_id, place: row.place, recipientId: row.recipient_id, amount: row.amount })),
        ...rest,
      };
    });
    recordPayout(paidNow);
    return result;
  } catch (error) {
    if (!(error instanceof PayoutRefused)) throw error;
    metrics.payouts.inc({ status: "refused" });
    await db.transaction(async (tx) => {
      const [updated] = await tx.execute<{ event_id: string; organizer_id: string }>(sql`
        update brackets b set payout_status = 'failed', payout_error = ${error.message} from events e
        where b.id = ${bracketId} and b.payout_status not in ('paid', 'cancelled') and e.id = b.event_id returning b.event_id, e.organizer_id`);
      if (updated) {
        await notify(tx, {
          userId: updated.organizer_id,
          dedupeKey: `payout-failed:${bracketId}:${Date.now()}`,
          title: "Prize payout failed",
          body: error.message,
          link: `/organizer/events/${updated.event_id}`,
        });
      }
    });
    throw new Invalid(error.message);
  }
}

function recordPayout(paid: { prizes: number; organizerShare: number; platformFee: number } | null): void {
  if (!paid) return;
  metrics.payouts.inc({ status: "paid" });
  metrics.payoutAmount.inc({ kind: "prize" }, paid.prizes);
  metrics.payoutAmount.inc({ kind: "organizer" }, paid.organizerShare);
  metrics.payoutAmount.inc({ kind: "platform_fee" }, paid.platformFee);
}

/**
 * A bracket started before the pool was fixed at the start: the organizer's part is taken from
 * their wallet now (unless it is already in the escrow) and the pool computed from the fees paid.
 */
async function legacyPool(tx: DbOrTx, event: PayoutEvent, escrow: string, bracketId: string): Promise<number> {
  const organizerPrize = Number(event.organizer_prize);
  if (organizerPrize > 0) {
    const funded = await transferAmounts(tx, [`event:${event.id}:prize-post`, `event:${event.id}:prize-funding`]);
    if (funded.size === 0) {
      try {
        await debit(tx, {
          userId: event.organizer_id,
          amount: organizerPrize,
          toAccountId: escrow,
          category: "prize",
          description: `Prize money you put up for ${event.name}`,
          idempotencyKey: `prize-funding:${bracketId}`,
          metadata: { eventId: event.id, bracketId },
        });
      } catch (error) {
        if (error instanceof Invalid) {
          throw new PayoutRefused(
            `Your wallet does not hold the ${formatMoney(organizerPrize)} you put up as prize money for ${event.name}. Add money to your wallet and retry the payout.`,
          );
        }
        throw error;
      }
    }
  }
  return prizePool({ organizerPrize, prizeFromFeesPercent: event.prize_from_fees_percent }, await confirmedFeesPaid(tx, event.id));
}

type PayoutRow = { entrant_id: string; place: number; recipient_id: string; amount: number; transfer_id: string };

/** The prizes: one transfer per place and recipient, one bracket_payouts row per entrant and recipient. */
async function payShares(
  tx: DbOrTx,
  {
    bracketId,
    event,
    shares,
    escrow,
    metadata,
  }: { bracketId: string; event: PayoutEvent; shares: PrizeShare[]; escrow: string; metadata: Record<string, string> },
): Promise<PayoutRow[]> {
  if (shares.length === 0) return [];
  const players = await tx.execute<{ entrant_id: string; user_id: string; captain: boolean }>(sql`
    select entrant_id, user_id, captain from bracket_entrants where bracket_id = ${bracketId}
      and entrant_id in (select jsonb_array_elements_text(${JSON.stringify(shares.map((share) => share.entrant))}::jsonb))`);
  const rosters = await entryRosters(
    tx,
    shares.map((share) => share.entrant),
  );
  const parts: { entrant: string; place: number; userId: string; amount: number }[] = [];
  for (const share of shares) {
    const mine = players.filter((player) => player.entrant_id === share.entrant);
    const captainId = mine.find((player) => player.captain)!.user_id;
    const roster = rosters.get(share.entrant) ?? mine.map((player) => player.user_id);
    for (const part of splitTeamPrize(share.amount, roster, captainId, event.team_prize_to_captain)) {
      parts.push({ entrant: share.entrant, place: share.place, ...part });
    }
  }
  // One transfer per place and recipient (a player of two entries with the same place gets one).
  const transfers = new Map<string, { place: number; recipientId: string; amount: number; parts: typeof parts }>();
  for (const part of parts) {
    const key = `payout:${bracketId}:${part.place}:${part.userId}`;
    const existing = transfers.get(key);
    if (existing) {
      existing.amount += part.amount;
      existing.parts.push(part);
    } else transfers.set(key, { place: part.place, recipientId: part.userId, amount: part.amount, parts: [part] });
  }
  const rows: PayoutRow[] = [];
  for (const [idempotencyKey, payout] of transfers) {
    const posted = await credit(tx, {
      userId: payout.recipientId,
      amount: payout.amount,
      fromAccountId: escrow,
      category: "prize",
      description: `Prize: ${ordinal(payout.place)} place in ${event.name}`,
      idempotencyKey,
      metadata: { ...metadata, place: payout.place },
    });
    for (const part of payout.parts) {
      const same = rows.find((row) => row.entrant_id === part.entrant && row.recipient_id === part.userId);
      if (same) same.amount += part.amount;
      else
        rows.push({
          entrant_id: part.entrant,
          place: part.place,
          recipient_id: part.userId,
          amount: part.amount,
          transfer_id: posted.transferId,
        });
    }
  }
  await tx.execute(sql`
    insert into bracket_payouts (bracket_id, entrant_id, place, recipient_id, amount, transfer_id)
    select ${bracketId}::uuid, r.entrant_id, r.place, r.recipient_id, r.amount, r.transfer_id
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(entrant_id text, place int, recipient_id uuid, amount bigint, transfer_id uuid)
    on conflict do nothing`);
  return rows;
}

/**
 * What the escrow holds after the prizes (fees not promised to prizes, withdrawal penalties) goes
 * to the organizer, less the platform's fee (the event's platform_fee_percent of it, rounded down)
 * into fee revenue. The escrow ends at zero.
 */
async function payOrganizerShare(
  tx: DbOrTx,
  { bracketId, event, escrow, metadata }: { bracketId: string; event: PayoutEvent; escrow: string; metadata: Record<string, string> },
): Promise<{ organizerShare: number; platformFee: number }> {
  const rest = await accountBalance(tx, escrow);
  if (rest <= 0) return { organizerShare: 0, platformFee: 0 };
  const platformFee = Math.floor((rest * event.platform_fee_percent) / 100);
  const organizerShare = rest - platformFee;
  if (platformFee > 0) {
    await transfer(tx, {
      fromAccountId: escrow,
      toAccountId: await platformAccount(tx, "fee_revenue"),
      amount: platformFee,
      category: "prize",
      description: `Platform fee: ${event.name}`,
      idempotencyKey: `payout:${bracketId}:platform-fee`,
      metadata,
    });
  }
  if (organizerShare > 0) {
    await credit(tx, {
      userId: event.organizer_id,
      amount: organizerShare,
      fromAccountId: escrow,
      category: "prize",
      description: `Organizer's share of the entry fees: ${event.name}`,
      idempotencyKey: `payout:${bracketId}:organizer`,
      metadata,
    });
  }
  return { organizerShare, platformFee };
}

async function notifyPayout(
  tx: DbOrTx,
  {
    bracketId,
    event,
    rows,
    organizerShare,
    platformFee,
  }: { bracketId: string; event: PayoutEvent; rows: PayoutRow[]; organizerShare: number; platformFee: number },
) {
  const byUser = new Map<string, { place: number; amount: number }>();
  for (const row of rows) {
    const known = byUser.get(row.recipient_id);
    byUser.set(row.recipient_id, { place: Math.min(known?.place ?? row.place, row.place), amount: (known?.amount ?? 0) + row.amount });
  }
  const notices = [...byUser].map(([userId, won]) => {
    const title = `You placed ${ordinal(won.place)} in ${event.name}`;
    const body = `${formatMoney(won.amount)} prize money is in your wallet.`;
    return { userId, dedupeKey: `payout:${bracketId}:${userId}`, title, body, link: "/wallet", email: { subject: title, text: body } };
  });
  if (organizerShare > 0 || platformFee > 0) {
    const body = `Prizes are paid. Your share of the entry fees, ${formatMoney(organizerShare)}, is in your wallet${platformFee > 0 ? ` (after the ${event.platform_fee_percent}% platform fee, ${formatMoney(platformFee)})` : ""}.`;
    notices.push({
      userId: event.organizer_id,
      dedupeKey: `payout:${bracketId}:organizer`,
      title: `${event.name} is paid out`,
      body,
      link: "/wallet",
      email: { subject: `${event.name} is paid out`, text: body },
    });
  }
  await enqueueJobs(tx, notificationJobs(notices));
}

/** The organizer's retry of a failed payout. */
export async function retryPayout(db: Db, actor: SessionUser, eventId: string): Promise<PayoutResult> {
  const event = await eventRef(db, eventId);
  assertManager(actor, event);
  const timeline = await getEventRow(db, eventId);
  assertMoneyAction("payout", timeline!);
  const bracketId = await bracketIdOfEvent(db, eventId);
  if (!bracketId) throw bracketNotFound();
  const result = await payPrizes(db, bracketId);
  if (result.status === "not_due") throw new Invalid("The bracket is not finished yet: prizes are paid when it completes.");
  if (result.status === "cancelled") throw new Invalid("This event was cancelled: its entry fees were refunded instead.");
  return result;
}
