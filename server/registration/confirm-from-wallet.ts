/**
 * The checkout paid in full from the wallet (or free), confirmed in one statement by
 * registration_confirm_from_wallet() (sql/registration_confirm_from_wallet.sql): the checkout's
 * fast path. The path with a card part is checkoutInTransaction in service.ts.
 */
import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { postgresClient, type Db } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import { moneyRefusal } from "@/server/events/money-lifecycle";
import { jobSpecsJson } from "@/server/jobs/queue";
import { debitRequest, refusal, transferArguments, type WalletAccounts } from "@/server/ledger";
import { announcement } from "@/server/live/announce";
import { confirmationJobs, type EventRow, REGISTRATIONS_CHANGED, type Registration } from "./lifecycle";
import { promoUsedUp } from "./promos";

/** The event has no seat left (the checkout then joins the waitlist). */
export class EventFull extends Error {}

/** The idempotency key was used meanwhile by a request that got there first: answer with its entry. */
export class Replay extends Error {}

/** The bracket started (or the event was cancelled) after the checkout read the event. */
export const registrationClosed = () => moneyRefusal("Registration for this event has closed.");

export type NewEntry = Pick<
  Registration,
  "eventId" | "userId" | "teamId" | "idempotencyKey" | "fee" | "discount" | "walletAmount" | "cardAmount" | "promoCodeId"
>;

/** registration_confirm_from_wallet() (migration 0013), as a prepared statement. */
const CONFIRM_FROM_WALLET_SQL = `select wallet_transfer_id, created_at, confirmed_at from registration_confirm_from_wallet(
  $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::text, $6::bigint, $7::bigint, $8::uuid,
  $9::text[], $10::text[], $11::text[]::ledger_transfer_category[], $12::text[]::ledger_transfer_operation[], $13::text[],
  $14::jsonb, $15::uuid[], $16::int[], $17::uuid[], $18::bigint[],
  $19::text, $20::text, $21::jsonb, $22::json)`;

/**
 * A new entry whose fee the wallet pays in full, or a free one, confirmed in one statement (see
 * migration 0013): the entry, the promo code's use, the entry fee into the event's escrow, the
 * seat, the announcement and the confirmation jobs commit together, and the event's hot rows (its
 * seat count, its live topic) are not held while this process does anything else.
 */
export async function confirmFromWallet(
  db: Db,
  event: EventRow,
  values: NewEntry,
  wallet: WalletAccounts | null,
  escrow: string,
): Promise<Registration> {
  const id = randomUUID();
  const entry: Registration = {
    ...values,
    id,
    status: "confirmed",
    holdId: null,
    walletTransferId: null,
    paymentId: null,
    expiresAt: null,
    offerExpiresAt: null,
    waitlistedAt: null,
    checkedInAt: null,
    roster: null,
    seed: null,
    createdAt: new Date(),
    confirmedAt: new Date(),
    endedAt: null,
  };
  const entryFee = transferArguments(
    values.walletAmount > 0
      ? debitRequest({
          wallet: wallet!,
          amount: values.walletAmount,
          toAccountId: escrow,
          category: "entry_fee",
          description: `Entry fee: ${event.name}`,
          idempotencyKey: `registration:${id}:wallet`,
          metadata: { eventId: event.id, registrationId: id },
        })
      : null,
  );
  const topic = `event:${event.id}`;
  const announced = announcement(topic, REGISTRATIONS_CHANGED);
  let rows: { wallet_transfer_id: string | null; created_at: Date; confirmed_at: Date }[];
  try {
    rows = await postgresClient(db).unsafe(
      CONFIRM_FROM_WALLET_SQL,
      [
        id,
        values.eventId,
        values.userId,
        values.teamId,
        values.idempotencyKey,
        values.fee,
        values.discount,
        values.promoCodeId,
        ...entryFee,
        announced.channel,
        topic,
        announced.json,
        jobSpecsJson([...confirmationJobs(entry, event), ...announced.jobs]),
      ] as postgres.ParameterOrJSON<never>[],
      { prepare: true },
    );
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === "DW008") throw new EventFull();
    if (code === "DW009") throw registrationClosed();
    if (code === "DW007") throw promoUsedUp();
    if (code === "DW006") throw refusal((error as Error).message);
    throw error;
  }
  const [row] = rows;
  if (!row) throw new Replay();
  return { ...entry, walletTransferId: row.wallet_transfer_id, createdAt: row.created_at, confirmedAt: row.confirmed_at };
}
