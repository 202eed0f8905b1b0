import type { DbOrTx } from "@/db/client";
import { type ChatUser, roomAccess } from "./access";

/**
 * Who may follow `room:<id>` (registered in server/composition.ts): the same check as reading the
 * room's history (members, and for event rooms the organizer, admins and, in lobbies, confirmed
 * participants). Asked again before each event of an open stream, as access can be lost.
 */
export async function mayFollowRoomTopic(db: DbOrTx, user: ChatUser | null, roomId: string): Promise<boolean> {
  return (await roomAccess(db, user, roomId)) !== null;
}
