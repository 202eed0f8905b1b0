import type { DbOrTx } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { canFollowBracketTopic } from "./access";

/** Who may follow `bracket:<id>` (registered in server/composition.ts): see canFollowBracketTopic. */
export function mayFollowBracketTopic(db: DbOrTx, user: SessionUser | null, bracketId: string): Promise<boolean> {
  return canFollowBracketTopic(db, user, "bracket", bracketId);
}

/** Who may follow `match:<uuid>` (registered in server/composition.ts): see canFollowBracketTopic. */
export function mayFollowMatchTopic(db: DbOrTx, user: SessionUser | null, matchId: string): Promise<boolean> {
  return canFollowBracketTopic(db, user, "match", matchId);
}
