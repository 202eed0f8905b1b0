/**
 * A dispute is the bracket's contested game (server/brackets/published.ts): its row, its match and
 * event, and who is on which side are read through the bracket, with or without a transaction.
 */
import type { DbOrTx } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { canManage } from "@/server/brackets/access";
import { type ContestedGame, contestedGame, type MatchPlayer, playersOfMatch } from "@/server/brackets/published";

export type DisputeRow = ContestedGame;
export type { MatchPlayer };
export { playersOfMatch };

export function readDispute(db: DbOrTx, disputeId: string): Promise<DisputeRow | null> {
  return contestedGame(db, disputeId);
}

/** How `user` stands to a dispute: a player of a side, the organizer (or an admin), or nobody. */
export async function standing(db: DbOrTx, user: SessionUser | null, dispute: DisputeRow, players?: MatchPlayer[]) {
  const all = players ?? (await playersOfMatch(db, dispute.matchUuid));
  const mine = user ? all.find((player) => player.userId === user.id) : undefined;
  return { side: mine ? mine.side : null, manager: canManage(user, { organizerId: dispute.organizerId }), players: all };
}
