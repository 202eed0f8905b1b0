/** Live team views: what tells the people a team change concerns that their team pages changed. */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { teamMembers } from "@/db/schema/teams";
import { announce } from "@/server/live/announce";
import { userTopic } from "@/server/live/session-ended";

export const TEAMS_CHANGED = { kind: "teams.changed" } as const;

/**
 * Announces, in the caller's transaction (so only a committed change is heard), on the user topic
 * of each of the team's members and of `others` (an invitee, a player who left or was removed):
 * their invites on /teams and the team page's members and invites refetch. A user topic is
 * followed only by its own user, and the payload names nothing: each page refetches what its
 * authorized query shows. Members are read after the change, so a player who joined hears it too.
 */
export async function announceTeamChange(tx: DbOrTx, teamId: string, others: readonly string[] = []): Promise<void> {
  const members = await tx.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, teamId));
  // Sorted, so two changes announcing to the same people lock their topics in the same order.
  const people = [...new Set([...members.map((member) => member.userId), ...others])].sort();
  for (const userId of people) await announce(tx, userTopic(userId), TEAMS_CHANGED);
}
