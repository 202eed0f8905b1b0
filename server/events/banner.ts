import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { eventBanners, events } from "@/db/schema/events";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { lockOwnEvent } from "./service";

export const BANNER_MAX_BYTES = 2 * 1024 * 1024;

/** Sets (or replaces) the event's banner. `type` is the sniffed type, never the browser's claim. */
export async function setEventBanner(db: Db, actor: SessionUser, eventId: string, file: { type: string; data: Buffer }) {
  const updatedAt = new Date();
  await db.transaction(async (tx) => {
    await lockOwnEvent(tx, actor, eventId);
    await tx
      .insert(eventBanners)
      .values({ eventId, contentType: file.type, data: file.data, updatedAt })
      .onConflictDoUpdate({ target: eventBanners.eventId, set: { contentType: file.type, data: file.data, updatedAt } });
    await tx.update(events).set({ hasBanner: true, updatedAt }).where(eq(events.id, eventId));
  });
  return { hasBanner: true, version: updatedAt.getTime() };
}

export async function removeEventBanner(db: Db, actor: SessionUser, eventId: string) {
  const updatedAt = new Date();
  await db.transaction(async (tx) => {
    await lockOwnEvent(tx, actor, eventId);
    await tx.delete(eventBanners).where(eq(eventBanners.eventId, eventId));
    await tx.update(events).set({ hasBanner: false, updatedAt }).where(eq(events.id, eventId));
  });
  return { hasBanner: false, version: updatedAt.getTime() };
}

/**
 * The banner, for whoever may see the event: anyone for a published one, only its organizer and
 * admins for a draft (everyone else gets null, as if it had none). `viewer` is asked only for a
 * draft, so serving public banners never touches the session.
 */
export async function getEventBanner(db: DbOrTx, viewer: () => Promise<SessionUser | null>, eventId: string) {
  const [row] = await db
    .select({
      contentType: eventBanners.contentType,
      data: eventBanners.data,
      updatedAt: eventBanners.updatedAt,
      status: events.status,
      organizerId: events.organizerId,
    })
    .from(eventBanners)
    .innerJoin(events, eq(events.id, eventBanners.eventId))
    .where(eq(eventBanners.eventId, eventId));
  if (!row) return null;
  const draft = row.status === "draft";
  if (draft) {
    const user = await viewer();
    if (!user || (user.id !== row.organizerId && !hasRole(user, "admin"))) return null;
  }
  return { contentType: row.contentType, data: row.data, updatedAt: row.updatedAt, draft };
}
