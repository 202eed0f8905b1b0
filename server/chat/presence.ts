import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { chatPresence } from "@/db/schema/chat";

/** The browser sends a heartbeat every 30 s while a page is open; a missed one is forgiven. */
export const ONLINE_WINDOW_SECONDS = 60;

/** Records that the user is here now. Presence is read when room lists and rooms are fetched. */
export async function heartbeat(db: DbOrTx, userId: string): Promise<{ lastSeenAt: Date; onlineWindowSeconds: number }> {
  const [row] = await db
    .insert(chatPresence)
    .values({ userId, lastSeenAt: sql`now()` })
    .onConflictDoUpdate({ target: chatPresence.userId, set: { lastSeenAt: sql`now()` } })
    .returning({ lastSeenAt: chatPresence.lastSeenAt });
  return { lastSeenAt: row!.lastSeenAt, onlineWindowSeconds: ONLINE_WINDOW_SECONDS };
}
