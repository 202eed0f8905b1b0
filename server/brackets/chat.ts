import type { Db, DbOrTx } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { ensureMatchRoom, matchesWithRooms } from "@/server/chat/service";
import { Forbidden } from "@/server/errors";
import { assertVisible, canManage, matchNotFound, matchRef } from "./access";
import { loadMatchByUuid, playersOf, type StoredMatch } from "./repository";
import type { MatchRoomSide } from "@/server/chat/service";
import { playersOfMatch } from "./published";
import { matchNameOf } from "./summary";

/**
 * The chat room of a match, for the players of its two sides (as they stand now: a correction that
 * puts someone else in the match moves the room with it) and the event's organizer and admins.
 * Created on first use, so a 16,384-entrant bracket does not start with 16,383 empty rooms.
 */
export async function matchChatRoom(db: Db, user: SessionUser, input: { matchId: string }): Promise<{ roomId: string }> {
  const ref = await matchRef(db, input.matchId);
  assertVisible(user, ref);
  const match = await loadMatchByUuid(db, input.matchId);
  if (!match) throw matchNotFound();
  const entrants = match.sides.flatMap((side) => (side.entrant ? [side.entrant] : []));
  const players = await playersOf(db, ref.bracketId, entrants);
  const memberIds = players.map((player) => player.userId);
  if (!memberIds.includes(user.id) && !canManage(user, ref)) {
    throw new Forbidden("Only the players of this match and the organizer can chat here.");
  }
  const room = await matchRoomOf(db, input.matchId);
  return db.transaction((tx) => ensureMatchRoom(tx, { matchId: input.matchId, eventId: ref.eventId, memberIds, ...room }));
}

/**
 * After a change moved players in or out of matches (a correction, an undo, a DQ), the rooms those
 * matches already have follow: new players join, replaced ones lose access. In the change's transaction.
 */
export async function syncMatchRooms(tx: DbOrTx, bracketId: string, eventId: string, moved: readonly StoredMatch[]): Promise<void> {
  const withRooms = await matchesWithRooms(
    tx,
    moved.map((row) => row.uuid),
  );
  for (const row of moved) {
    if (!withRooms.has(row.uuid)) continue;
    const entrants = row.sides.flatMap((side) => (side.entrant ? [side.entrant] : []));
    const players = await playersOf(tx, bracketId, entrants);
    const room = await matchRoomOf(tx, row.uuid);
    await ensureMatchRoom(tx, { matchId: row.uuid, eventId, memberIds: players.map((player) => player.userId), ...room });
  }
}

/** What a match room is named by: the match number ("Match 6") and each side's name and players. */
async function matchRoomOf(db: DbOrTx, matchUuid: string): Promise<{ title: string; sides: MatchRoomSide[] }> {
  const [name, players] = [await matchNameOf(db, { uuid: matchUuid }), await playersOfMatch(db, matchUuid)];
  const sides = [0, 1].map((side) => {
    const of = players.filter((player) => player.side === side);
    return { name: of[0]?.entrantName ?? null, userIds: of.map((player) => player.userId) };
  });
  return { title: name ? `Match ${name.number}` : "Match", sides };
}
