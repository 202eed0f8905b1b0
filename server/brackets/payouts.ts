/**
 * Prize payout when a bracket completes: the event's prize pool (organizer-funded part plus the
 * promised share of entry fees, server/events/phase.ts) split by its payout percentages over the
 * final placements, paid from the event's escrow into the winners' wallets in ONE transaction.
 * Every transfer has an idempotency key (`payout:<bracket>:<place>:<recipient>`, and
 * `prize-funding:<bracket>` for the organizer's part), and the bracket row is locked, so running it
 * twice, or twice at once, pays exactly once.
 */
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import type { PayoutStatus } from "@/db/schema";
import type { SessionUser } from "@/server/accounts/roles";
import { prizePool } from "@/server/events/phase";
import { announce } from "@/server/live/announce";
import { notify } from "@/server/notifications/service";
import { confirmedFeesPaid } from "@/server/registration/participants";
import { accountBalance, credit, debit, eventEscrowAccount } from "@/server/wallet/ledger";
import { formatMoney } from "@/server/wallet/money";
import { assertManager, bracketIdOfEvent, bracketNotFound, eventRef } from "./access";
import type { Placement } from "./engine";
import { enqueueJobs } from "@/server/jobs/queue";
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
export function splitPrizes(pool: number, split: readonly number[], placements: readonly Placement[], excluded: ReadonlySet<string> = new Set()): PrizeShare[] {
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
}

class PayoutRefused extends Error {}

const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th"}`;

async function paidRows(tx: DbOrTx, bracketId: string) {
  const rows = await tx.execute<{ entrant_id: string; place: number; recipient_id: string; amount: string }>(
    sql`select entrant_id, place, recipient_id, amount from bracket_payouts where bracket_id = ${bracketId} order by place, entrant_id`,
  );
  return rows.map((row) => ({ entrantId: row.entrant_id, place: row.place, recipientId: row.recipient_id, amount: Number(row.amount) }));
}

/**
 * Pays a completed bracket's prizes (the job queued at completion, and the organizer's retry).
 * When the organizer's wallet cannot cover their funded part, nothing moves: the bracket stays
 * completed with payout `failed` and the reason, and this throws BAD_REQUEST with it.
 */
export async function payPrizes(db: Db, bracketId: string): Promise<PayoutResult> {
  try {
    return await db.transaction(async (tx) => {
      const [bracket] = await tx.execute<{ event_id: string; status: string; payout_status: PayoutStatus; placements: Placement[] | null; disqualified: string[]; prize_pool: string | null }>(sql`
        select event_id, status, payout_status, placements, disqualified, prize_pool from brackets where id = ${bracketId} for update`);
      if (!bracket) throw bracketNotFound();
      if (bracket.payout_status === "paid") return { status: "paid", pool: Number(bracket.prize_pool ?? 0), payouts: await paidRows(tx, bracketId) };
      if (bracket.status !== "completed" || !bracket.placements) return { status: "not_due", pool: 0, payouts: [] };
      const [event] = await tx.execute<{ name: string; organizer_id: string; organizer_prize: string; prize_from_fees_percent: number; payout_split: number[] }>(sql`
        select name, organizer_id, organizer_prize, prize_from_fees_percent, payout_split from events where id = ${bracket.event_id}`);
      const organizerPrize = Number(event!.organizer_prize);
      const pool = prizePool({ organizerPrize, prizeFromFeesPercent: event!.prize_from_fees_percent }, await confirmedFeesPaid(tx, bracket.event_id));
      const shares = splitPrizes(pool, event!.payout_split, bracket.placements, new Set(bracket.disqualified));
      const escrow = await eventEscrowAccount(tx, bracket.event_id);
      const metadata = { eventId: bracket.event_id, bracketId };
      if (organizerPrize > 0) {
        try {
          await debit(tx, {
            userId: event!.organizer_id,
            amount: organizerPrize,
            toAccountId: escrow,
            category: "prize",
            description: `Prize money you put up for ${event!.name}`,
            idempotencyKey: `prize-funding:${bracketId}`,
            metadata,
          });
        } catch (error) {
          if (error instanceof TRPCError && error.code === "BAD_REQUEST") {
            throw new PayoutRefused(
              `Your wallet does not hold the ${formatMoney(organizerPrize)} you put up as prize money for ${event!.name}. Add money to your wallet and retry the payout.`,
            );
          }
          throw error;
        }
      }
      const needed = shares.reduce((sum, share) => sum + share.amount, 0);
      const held = await accountBalance(tx, escrow);
      if (held < needed) {
        throw new PayoutRefused(`The event's escrow holds ${formatMoney(held)}, less than the ${formatMoney(needed)} prize pool. Contact support.`);
      }
      // Team prizes go to the captain's wallet (who shares it with the team is up to the team).
      const recipients = await tx.execute<{ entrant_id: string; user_id: string }>(sql`
        select entrant_id, user_id from bracket_entrants where bracket_id = ${bracketId} and captain
          and entrant_id in (select jsonb_array_elements_text(${JSON.stringify(shares.map((share) => share.entrant))}::jsonb))`);
      const recipientOf = new Map(recipients.map((row) => [row.entrant_id, row.user_id]));
      // One transfer per place and recipient (a captain of two entries with the same place gets one).
      const transfers = new Map<string, { place: number; recipientId: string; amount: number; entrants: string[] }>();
      for (const share of shares) {
        const recipientId = recipientOf.get(share.entrant)!;
        const key = `payout:${bracketId}:${share.place}:${recipientId}`;
        const existing = transfers.get(key);
        if (existing) {
          existing.amount += share.amount;
          existing.entrants.push(share.entrant);
        } else transfers.set(key, { place: share.place, recipientId, amount: share.amount, entrants: [share.entrant] });
      }
      const rows: { entrant_id: string; place: number; recipient_id: string; amount: number; transfer_id: string }[] = [];
      for (const [idempotencyKey, payout] of transfers) {
        const posted = await credit(tx, {
          userId: payout.recipientId,
          amount: payout.amount,
          fromAccountId: escrow,
          category: "prize",
          description: `Prize: ${ordinal(payout.place)} place in ${event!.name}`,
          idempotencyKey,
          metadata: { ...metadata, place: payout.place },
        });
        for (const entrant of payout.entrants) {
          const share = shares.find((candidate) => candidate.entrant === entrant)!;
          rows.push({ entrant_id: entrant, place: payout.place, recipient_id: payout.recipientId, amount: share.amount, transfer_id: posted.transferId });
        }
      }
      if (rows.length > 0) {
        await tx.execute(sql`
          insert into bracket_payouts (bracket_id, entrant_id, place, recipient_id, amount, transfer_id)
          select ${bracketId}::uuid, r.entrant_id, r.place, r.recipient_id, r.amount, r.transfer_id
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(entrant_id text, place int, recipient_id uuid, amount bigint, transfer_id uuid)
          on conflict do nothing`);
      }
      await tx.execute(sql`update brackets set payout_status = 'paid', paid_at = now(), prize_pool = ${pool}, payout_error = null where id = ${bracketId}`);
      await announce(tx, `bracket:${bracketId}`, { kind: "payout", status: "paid" });
      const winners = await tx.execute<{ entrant_id: string; user_id: string }>(sql`
        select entrant_id, user_id from bracket_entrants where bracket_id = ${bracketId}
          and entrant_id in (select jsonb_array_elements_text(${JSON.stringify(rows.map((row) => row.entrant_id))}::jsonb))`);
      const byEntrant = new Map(rows.map((row) => [row.entrant_id, row]));
      await enqueueJobs(
        tx,
        notificationJobs(
          winners.map((winner) => {
            const row = byEntrant.get(winner.entrant_id)!;
            const toYou = row.recipient_id === winner.user_id;
            return {
              userId: winner.user_id,
              dedupeKey: `payout:${bracketId}:${winner.user_id}`,
              title: `You placed ${ordinal(row.place)} in ${event!.name}`,
              body: toYou ? `${formatMoney(row.amount)} prize money is in your wallet.` : `${formatMoney(row.amount)} prize money went to your team captain's wallet.`,
              link: "/wallet",
            };
          }),
        ),
      );
      return { status: "paid" as const, pool, payouts: rows.map((row) => ({ entrantId: row.entrant_id, place: row.place, recipientId: row.recipient_id, amount: row.amount })) };
    });
  } catch (error) {
    if (!(error instanceof PayoutRefused)) throw error;
    await db.transaction(async (tx) => {
      const [updated] = await tx.execute<{ event_id: string; organizer_id: string }>(sql`
        update brackets b set payout_status = 'failed', payout_error = ${error.message} from events e
        where b.id = ${bracketId} and b.payout_status <> 'paid' and e.id = b.event_id returning b.event_id, e.organizer_id`);
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
    throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
  }
}

/** The organizer's retry of a failed payout. */
export async function retryPayout(db: Db, actor: SessionUser, eventId: string): Promise<PayoutResult> {
  const event = await eventRef(db, eventId);
  assertManager(actor, event);
  const bracketId = await bracketIdOfEvent(db, eventId);
  if (!bracketId) throw bracketNotFound();
  const result = await payPrizes(db, bracketId);
  if (result.status === "not_due") throw new TRPCError({ code: "BAD_REQUEST", message: "The bracket is not finished yet: prizes are paid when it completes." });
  return result;
}
