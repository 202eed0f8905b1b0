/**
 * The chat domain's surface for other domains: the bracket service creates match rooms, the
 * Firestore publisher lists a room's readers. Who may follow a room live is chat's rule in
 * live-access.ts, registered in server/composition.ts. The rest is split by responsibility:
 * access.ts (who may see a room), rooms.ts, messages.ts, moderation.ts, people.ts, presence.ts.
 */
export { roomAccess, roomReaders, type RoomAccess } from "./access";
export { ensureMatchRoom, matchesWithRooms } from "./rooms";
export type { ChatMessage } from "./messages";
export type { MatchRoomSide } from "@/db/schema/chat";
