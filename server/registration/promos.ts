/** Promo codes: organizers make them; a checkout or a quote checks the one a player typed. */
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import { promoCodes } from "@/db/schema/registration";
import { userDirectory } from "@/server/accounts/directory";
import type { SessionUser } from "@/server/accounts/roles";
import { Invalid } from "@/server/errors";
import { lockOwnEvent } from "@/server/events/service";
import type { EventRow } from "./lifecycle";
import type { Discount } from "./pricing";

export type PromoRow = typeof promoCodes.$inferSelect;

export const promoUsedUp = () => new Invalid("That code has been used up.", { field: "promoCode" });
export const NO_SUCH_CODE = "That code is not valid for this event.";

export const discountOf = (promo: PromoRow): Discount =>
  promo.kind === "percent" ? { kind: "percent", percent: promo.value } : { kind: "fixed", cents: promo.value };

/** A promo code the player typed, checked for this event; errors are field errors on promoCode. */
export async function findPromo(db: DbOrTx, event: EventRow, code: string | undefined): Promise<PromoRow | null> {
  if (!code) return null;
  const [promo] = await db.select().from(promoCodes).where(sql`upper(${promoCodes.code}) = ${code.trim().toUpperCase()}`);
  const creator = promo
    ? (await db.select({ role: userDirectory.role }).from(userDirectory).where(eq(userDirectory.id, promo.createdBy)))[0]
    : undefined;
  const applies =
    promo && (promo.eventId ? promo.eventId === event.id : promo.createdBy === event.organizerId || creator?.role === "admin");
  // One answer for a code that does not exist, belongs elsewhere or has expired: a guesser learns nothing.
  if (!promo || !applies || (promo.expiresAt && promo.expiresAt <= new Date())) throw new Invalid(NO_SUCH_CODE, { field: "promoCode" });
  if (promo.maxUses !== null && promo.uses >= promo.maxUses) throw promoUsedUp();
  return promo;
}

/** Organizers make codes for one of their events, or for all of them (eventId omitted). */
export async function createPromoCode(
  db: Db,
  actor: SessionUser,
  input: { eventId?: string; code: string; kind: "percent" | "fixed"; value: number; maxUses?: number; expiresAt?: Date },
) {
  if (input.eventId) await db.transaction((tx) => lockOwnEvent(tx, actor, input.eventId!));
  try {
    const [created] = await db
      .insert(promoCodes)
      .values({ ...input, eventId: input.eventId ?? null, createdBy: actor.id })
      .returning();
    return created!;
  } catch (error) {
    if (pgErrorCode(error) === "23505") throw new Invalid("That code already exists. Choose another.", { field: "code" });
    throw error;
  }
}

export async function listPromoCodes(db: DbOrTx, actor: SessionUser, eventId: string) {
  return db
    .select()
    .from(promoCodes)
    .where(and(eq(promoCodes.createdBy, actor.id), or(eq(promoCodes.eventId, eventId), isNull(promoCodes.eventId))))
    .orderBy(desc(promoCodes.createdAt));
}
