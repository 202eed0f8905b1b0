/**
 * Team pages follow their viewer's own user topic: a team change is announced on the topic of
 * each person it concerns (the team's members, and an invitee or a player who left), once it
 * commits, with a payload that names nothing.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import type { SessionUser } from "@/server/accounts/roles";
import { createUser } from "@/server/testing/factories";
import { TEAMS_CHANGED } from "./live";
import { createTeam, invite, leaveTeam, removeMember, respondToInvite, revokeInvite, transferCaptaincy } from "./service";

const { db } = await createTestDatabase();

/** How many times each user's topic was announced on, with the payloads seen. */
async function userTopics(users: readonly SessionUser[]) {
  const rows = await db.execute<{ topic: string; payload: unknown }>(
    sql`select topic, payload from live_events where topic like 'user:%' order by seq`,
  );
  return users.map((user) => rows.filter((row) => row.topic === `user:${user.id}`).map((row) => row.payload));
}

/** Which of `users` heard `change` on their own topic. */
async function heardBy(users: readonly SessionUser[], change: () => Promise<unknown>): Promise<boolean[]> {
  const before = await userTopics(users);
  await change();
  const after = await userTopics(users);
  return after.map((payloads, i) => {
    const fresh = payloads.slice(before[i]!.length);
    for (const payload of fresh) expect(payload).toEqual(TEAMS_CHANGED);
    return fresh.length > 0;
  });
}

describe("team changes announce on the user topics of the people concerned", () => {
  it("invite, decline, revoke, accept, captaincy, removal and leaving each reach the members and the player concerned, and nobody else", async () => {
    const [captain, invitee, member, stranger] = await Promise.all([createUser(db), createUser(db), createUser(db), createUser(db)]);
    const team = await createTeam(db, captain, { name: `Live ${crypto.randomUUID().slice(0, 6)}`, tag: "LIVE" });
    const everyone = [captain, invitee, member, stranger];

    // The invitee sees the invite arrive on /teams; the captain's team page shows it pending.
    let sent = { inviteId: "" };
    expect(
      await heardBy(everyone, async () => {
        sent = await invite(db, captain.id, { teamId: team.id, handle: invitee.name });
      }),
    ).toEqual([true, true, false, false]);
    expect(await heardBy(everyone, () => respondToInvite(db, invitee.id, { inviteId: sent.inviteId, response: "decline" }))).toEqual([
      true,
      true,
      false,
      false,
    ]);

    const again = await invite(db, captain.id, { teamId: team.id, handle: invitee.name });
    expect(await heardBy(everyone, () => revokeInvite(db, captain.id, { inviteId: again.inviteId }))).toEqual([true, true, false, false]);

    const third = await invite(db, captain.id, { teamId: team.id, handle: member.name });
    expect(await heardBy(everyone, () => respondToInvite(db, member.id, { inviteId: third.inviteId, response: "accept" }))).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(await heardBy(everyone, () => transferCaptaincy(db, captain.id, { teamId: team.id, userId: member.id }))).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(await heardBy(everyone, () => removeMember(db, member.id, { teamId: team.id, userId: captain.id }))).toEqual([
      true,
      false,
      true,
      false,
    ]);
    // The last member leaves: the team is deleted, and the leaver's pages hear it.
    expect(await heardBy(everyone, () => leaveTeam(db, member.id, { teamId: team.id }))).toEqual([false, false, true, false]);
  });

  it("a refused change announces nothing", async () => {
    const [captain, other] = await Promise.all([createUser(db), createUser(db)]);
    const team = await createTeam(db, captain, { name: `Live ${crypto.randomUUID().slice(0, 6)}`, tag: "LIVE" });
    expect(
      await heardBy([captain, other], () => invite(db, other.id, { teamId: team.id, handle: captain.name }).catch(() => null)),
    ).toEqual([false, false]);
  });
});
