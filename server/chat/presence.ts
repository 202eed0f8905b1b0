import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { chatPresence } from "@/db/schema/chat";
import { requireRoom, type ChatUser } from "./access";

/** The browser sends a heartbeat every 30 s while a page is open; a missed one is forgiven. */
export const ONLINE_WINDOW_SECONDS = 60;

/**
 * Records that the user is here now, and (with `roomId`) which room they have open: a room counts
 * as "online" those who have it open, not its members who are somewhere else on the site. `roomId:
 * null` says they closed it; without `roomId` (the site-wide heartbeat) the open room stays as it was.
 */
export async function heartbeat(
  db: DbOrTx,
  user: ChatUser,
  input: { roomId?: string | null } = {},
): Promise<{ lastSeenAt: Date; onlineWindowSeconds: number }> {
  if (input.roomId) await requireRoom(db, user, input.roomId);
  const room = input.roomId === undefined ? {} : { roomId: input.roomId, roomSeenAt: input.roomId ? sql`now()` : null };
  const [row] = await db
    .insert(chatPresence)
    .values({ userId: user.id, lastSeenAt: sql`now()`, ...room })
    .onConflictDoUpdate({ target: chatPresence.userId, set: { lastSeenAt: sql`now()`, ...room } })
    .returning({ lastSeenAt: chatPresence.lastSeenAt });
  return { lastSeenAt: row!.lastSeenAt, onlineWindowSeconds: ONLINE_WINDOW_SECONDS };
}
