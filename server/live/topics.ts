import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { events } from "@/db/schema";
import { hasRole, type SessionUser } from "@/server/accounts/roles";
import { canFollowBracketTopic } from "@/server/brackets/access";
import { roomAccess } from "@/server/chat/service";
import { isLiveTopic } from "./topics-name";

/**
 * Whether `user` (null: signed out) may follow `topic`. Events follow getEvent: anyone may see a
 * published or unlisted event, a draft only its organizer and admins. Brackets and matches are public
 * unless their event is a draft (asked of the brackets domain).
 * A user's topic (wallet, notifications) is for that user only; a chat room for those who may read it.
 */
export async function canSubscribe(db: DbOrTx, user: SessionUser | null, topic: string): Promise<boolean> {
  if (!isLiveTopic(topic)) return false;
  const separator = topic.indexOf(":");
  const kind = topic.slice(0, separator);
  const id = topic.slice(separator + 1);
  switch (kind) {
    case "event": {
      const [event] = await db.select({ status: events.status, organizerId: events.organizerId }).from(events).where(eq(events.id, id));
      if (!event) return false;
      if (event.status !== "draft") return true;
      return Boolean(user && (user.id === event.organizerId || hasRole(user, "admin")));
    }
    case "bracket":
    case "match":
      return canFollowBracketTopic(db, user, kind, id);
    case "user":
      return user?.id === id;
    case "room":
      // The same check as reading the room's history: members, and for event rooms the organizer,
      // admins and (lobbies) confirmed participants.
      return (await roomAccess(db, user, id)) !== null;
    default:
      return false;
  }
}
