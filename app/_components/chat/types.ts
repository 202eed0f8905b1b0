import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/root";

type ChatOutputs = inferRouterOutputs<AppRouter>["chat"];

export type RoomSummary = ChatOutputs["rooms"][number];
export type RoomDetail = ChatOutputs["room"];
export type RoomMember = RoomDetail["members"][number];
export type HistoryPage = ChatOutputs["history"];
export type ChatMessage = HistoryPage["items"][number];

/** A message typed here and not yet confirmed by the server. */
export interface OutgoingMessage {
  clientId: string;
  body: string;
  createdAt: Date;
}

/** What `room:<id>` carries (timestamps as ISO strings: live payloads are JSON). */
export type RoomLiveEvent =
  | { kind: "message"; message: Omit<ChatMessage, "createdAt"> & { createdAt: string } }
  | { kind: "deleted"; messageId: string }
  | { kind: "typing"; userId: string; name: string }
  | { kind: "read"; userId: string; messageId: string; at: string }
  // The page was too far behind to be replayed what it missed (see /api/live): reload the history.
  | { kind: "resync" };

export const roomKindLabel: Record<RoomSummary["kind"], string> = {
  direct: "Direct",
  match: "Match",
  event: "Event lobby",
};

/** The short tag beside a room's name in the list. */
export const roomKindTag: Record<Exclude<RoomSummary["kind"], "direct">, string> = {
  match: "Match",
  event: "Lobby",
};

/** Unread counts arrive capped at 100. */
export function unreadLabel(count: number): string {
  return count > 99 ? "99+" : String(count);
}
