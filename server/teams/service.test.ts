import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { events, gameHandles, games, registrations, teamInvites, teamMembers, teams } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import { DomainError, fieldErrorsOf } from "@/server/errors";
import { trpcCodeOf } from "@/server/trpc";
import type { SessionUser } from "@/server/accounts/roles";
import {
  createTeam,
  getTeam,
  invite,
  leaveTeam,
  listMyTeams,
  removeMember,
  respondToInvite,
  revokeInvite,
  getTeamLogo,
  setTeamLogo,
  teamRosterForRegistration,
  transferCaptaincy,
} from "./service";

const { db } = await createTestDatabase();

async function outcome(promise: Promise<unknown>): Promise<{ code: string; message: string; fields: Record<string, string[]> | null }> {
  try {
    await promise;
    return { code: "OK", message: "", fields: null };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: trpcCodeOf(error), message: error.message, fields: fieldErrorsOf(error) };
  }
}

const unique = () => crypto.randomUUID().slice(0, 6);

async function newTeam(captain?: SessionUser) {
  const owner = captain ?? (await createUser(db));
  const team = await createTeam(db, owner, { name: `Team ${unique()}`, tag: "TST" });
  return { captain: owner, team };
}

async function members(teamId: string) {
  const rows = await db
    .select({ userId: teamMembers.userId, role: teamMembers.role })
    .from(teamMembers)
    .where(eq(teamMembers.teamId, teamId));
  return new Map(rows.map((r) => [r.userId, r.role]));
}

/** Invites `player` by display name and accepts. */
async function join(teamId: string, captain: SessionUser, player: SessionUser) {
  const sent = await invite(db, captain.id, { teamId, handle: player.name });
  await respondToInvite(db, player.id, { inviteId: sent.inviteId, response: "accept" });
}

async function newGame() {
  const [game] = await db
    .insert(games)
    .values({ slug: `game-${unique()}`, name: "Test Game", handleLabel: "Tag" })
    .returning();
  return game!;
}

/** An event with the team checked in to it, written directly: the registration service is someone else's. */
async function checkIn(
  teamId: string,
  captainId: string,
  eventStatus: "live" | "published" | "completed" | "cancelled",
  registrationStatus: "confirmed" | "withdrawn" = "confirmed",
) {
  const organizer = await createUser(db, { role: "organizer" });
  const game = await newGame();
  const hour = 60 * 60 * 1000;
  const now = Date.now();
  const [event] = await db
    .insert(events)
    .values({
      organizerId: organizer.id,
      gameId: game.id,
      name: `Spring Cup ${unique()}`,
      format: "single_elimination",
      participantType: "team",
      teamSize: 2,
      capacity: 8,
      registrationOpensAt: new Date(now - 48 * hour),
      registrationClosesAt: new Date(now - hour),
      checkInOpensAt: new Date(now - 2 * hour),
      checkInClosesAt: new Date(now + hour),
      startsAt: new Date(now + 2 * hour),
      status: eventStatus,
    })
    .returning();
  await db.insert(registrations).values({
    eventId: event!.id,
    userId: captainId,
    teamId,
    status: registrationStatus,
    idempotencyKey: crypto.randomUUID(),
    fee: 0,
    checkedInAt: new Date(),
  });
  return event!;
}

describe("creating a team", () => {
  it("makes the creator its captain and only member", async () => {
    const captain = await createUser(db);
    const team = await createTeam(db, captain, { name: "Night Owls", tag: "OWL" });
    expect(team).toMatchObject({ name: "Night Owls", tag: "OWL" });
    expect(await members(team.id)).toEqual(new Map([[captain.id, "captain"]]));
    const [row] = await db.select().from(teams).where(eq(teams.id, team.id));
    expect(row?.captainId).toBe(captain.id);
    const mine = await listMyTeams(db, captain.id);
    expect(mine.teams).toEqual([expect.objectContaining({ id: team.id, role: "captain", memberCount: 1, logo: null })]);
  });

  it("refuses a name already taken, in any letter case, as a field error on name", async () => {
    const first = await createUser(db);
    const second = await createUser(db);
    await createTeam(db, first, { name: "Tidal Wave", tag: "TIDE" });
    const result = await outcome(createTeam(db, second, { name: "TIDAL wave", tag: "TW" }));
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.fields).toEqual({ name: ["That team name is taken."] });
    expect(await listMyTeams(db, second.id)).toEqual({ teams: [], invites: [] });
  });

  it("lets one of several simultaneous creations with one name through", async () => {
    const captains = await Promise.all(Array.from({ length: 5 }, () => createUser(db)));
    const results = await Promise.all(captains.map((c) => outcome(createTeam(db, c, { name: "Race Condition", tag: "RACE" }))));
    expect(results.filter((r) => r.code === "OK")).toHaveLength(1);
    expect(results.filter((r) => r.fields?.name?.[0] === "That team name is taken.")).toHaveLength(4);
  });
});

describe("inviting by handle", () => {
  it("finds a player by display name, ignoring letter case", async () => {
    const { captain, team } = await newTeam();
    const player = await createUser(db, { name: `Kestrel ${unique()}` });
    const sent = await invite(db, captain.id, { teamId: team.id, handle: player.name.toUpperCase() });
    expect(sent).toMatchObject({ userId: player.id, name: player.name });
    const mine = await listMyTeams(db, player.id);
    expect(mine.invites).toEqual([expect.objectContaining({ id: sent.inviteId, teamId: team.id, invitedBy: captain.name })]);
  });

  it("finds a player by any game handle, ignoring letter case", async () => {
    const { captain, team } = await newTeam();
    const player = await createUser(db);
    const game = await newGame();
    const handle = `Vesper#${unique()}`;
    await db.insert(gameHandles).values({ userId: player.id, gameId: game.id, handle });
    const sent = await invite(db, captain.id, { teamId: team.id, handle: handle.toLowerCase() });
    expect(sent.userId).toBe(player.id);
  });

  it("asks for something more specific when several players match", async () => {
    const { captain, team } = await newTeam();
    const shared = `Echo ${unique()}`;
    await createUser(db, { name: shared });
    const other = await createUser(db);
    await db.insert(gameHandles).values({ userId: other.id, gameId: (await newGame()).id, handle: shared.toLowerCase() });
    const result = await outcome(invite(db, captain.id, { teamId: team.id, handle: shared }));
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.fields?.handle?.[0]).toMatch(/Several players.*more specific/);
    expect((await outcome(invite(db, captain.id, { teamId: team.id, handle: "nobody-by-this-name" }))).fields?.handle?.[0]).toMatch(
      /No player goes by/,
    );
  });

  it("refuses a second pending invite and an invite to a member, as field errors", async () => {
    const { captain, team } = await newTeam();
    const player = await createUser(db);
    await invite(db, captain.id, { teamId: team.id, handle: player.name });
    expect((await outcome(invite(db, captain.id, { teamId: team.id, handle: player.name }))).fields).toEqual({
      handle: ["Already invited."],
    });
    const self = await outcome(invite(db, captain.id, { teamId: team.id, handle: captain.name }));
    expect(self.fields?.handle?.[0]).toMatch(/already on/);
  });

  it("counts pending invites toward the cap of ten", async () => {
    const { captain, team } = await newTeam();
    for (let i = 0; i < 9; i++) await invite(db, captain.id, { teamId: team.id, handle: (await createUser(db)).name });
    const tenth = await outcome(invite(db, captain.id, { teamId: team.id, handle: (await createUser(db)).name }));
    expect(tenth.code).toBe("BAD_REQUEST");
    expect(tenth.fields?.handle?.[0]).toMatch(/at most 10 members, counting pending invites/);
  });

  it("lets only the captain invite, revoke, remove or hand over captaincy", async () => {
    const { captain, team } = await newTeam();
    const member = await createUser(db);
    await join(team.id, captain, member);
    const outsider = await createUser(db);
    const target = await createUser(db);
    const sent = await invite(db, captain.id, { teamId: team.id, handle: target.name });

    for (const actor of [member, outsider]) {
      expect((await outcome(invite(db, actor.id, { teamId: team.id, handle: outsider.name }))).code).toBe("FORBIDDEN");
      expect((await outcome(removeMember(db, actor.id, { teamId: team.id, userId: member.id }))).code).toBe("FORBIDDEN");
      expect((await outcome(revokeInvite(db, actor.id, { inviteId: sent.inviteId }))).code).toBe("FORBIDDEN");
      expect((await outcome(transferCaptaincy(db, actor.id, { teamId: team.id, userId: member.id }))).code).toBe("FORBIDDEN");
    }
    expect((await outcome(invite(db, captain.id, { teamId: crypto.randomUUID(), handle: outsider.name }))).code).toBe("NOT_FOUND");
    expect((await outcome(getTeam(db, outsider.id, crypto.randomUUID()))).code).toBe("NOT_FOUND");
    expect(await members(team.id)).toEqual(
      new Map([
        [captain.id, "captain"],
        [member.id, "member"],
      ]),
    );
  });
});

describe("answering an invite", () => {
  it("accepting adds the player, and accepting again changes nothing", async () => {
    const { captain, team } = await newTeam();
    const player = await createUser(db);
    const sent = await invite(db, captain.id, { teamId: team.id, handle: player.name });
    expect(await respondToInvite(db, player.id, { inviteId: sent.inviteId, response: "accept" })).toMatchObject({ status: "accepted" });
    expect(await respondToInvite(db, player.id, { inviteId: sent.inviteId, response: "accept" })).toMatchObject({ status: "accepted" });
    expect(await members(team.id)).toEqual(
      new Map([
        [captain.id, "captain"],
        [player.id, "member"],
      ]),
    );
    const view = await getTeam(db, player.id, team.id);
    expect(view.viewerRole).toBe("member");
    expect(view.invites).toEqual([]);
    expect((await listMyTeams(db, player.id)).invites).toEqual([]);
  });

  it("declining does not add the player, and a declined invite cannot be accepted later", async () => {
    const { captain, team } = await newTeam();
    const player = await createUser(db);
    const sent = await invite(db, captain.id, { teamId: team.id, handle: player.name });
    expect(await respondToInvite(db, player.id, { inviteId: sent.inviteId, response: "decline" })).toMatchObject({ status: "declined" });
    expect((await outcome(respondToInvite(db, player.id, { inviteId: sent.inviteId, response: "accept" }))).code).toBe("BAD_REQUEST");
    expect(await members(team.id)).toEqual(new Map([[captain.id, "captain"]]));
    // A new invite after a decline is fine.
    await invite(db, captain.id, { teamId: team.id, handle: player.name });
  });

  it("a revoked invite cannot be accepted, and only the invitee may answer", async () => {
    const { captain, team } = await newTeam();
    const player = await createUser(db);
    const sent = await invite(db, captain.id, { teamId: team.id, handle: player.name });
    expect((await outcome(respondToInvite(db, captain.id, { inviteId: sent.inviteId, response: "accept" }))).code).toBe("FORBIDDEN");
    const captainView = await getTeam(db, captain.id, team.id);
    expect(captainView.invites).toEqual([expect.objectContaining({ id: sent.inviteId, userId: player.id })]);
    expect((await getTeam(db, player.id, team.id)).invites).toEqual([]);
    expect((await getTeam(db, player.id, team.id)).myInviteId).toBe(sent.inviteId);
    await revokeInvite(db, captain.id, { inviteId: sent.inviteId });
    const late = await outcome(respondToInvite(db, player.id, { inviteId: sent.inviteId, response: "accept" }));
    expect(late).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/withdrew/) });
    expect(await members(team.id)).toEqual(new Map([[captain.id, "captain"]]));
  });

  it("holds the cap of ten members when twenty invitees accept at once", async () => {
    const { captain, team } = await newTeam();
    const players = await Promise.all(Array.from({ length: 20 }, () => createUser(db)));
    // More invites than the inviting rules allow, written directly, to race the accept check alone.
    const invites = await db
      .insert(teamInvites)
      .values(players.map((p) => ({ teamId: team.id, userId: p.id, invitedBy: captain.id })))
      .returning({ id: teamInvites.id, userId: teamInvites.userId });
    const results = await Promise.all(invites.map((i) => outcome(respondToInvite(db, i.userId, { inviteId: i.id, response: "accept" }))));
    expect(results.filter((r) => r.code === "OK")).toHaveLength(9);
    const refused = results.filter((r) => r.code !== "OK");
    expect(refused).toHaveLength(11);
    for (const r of refused) expect(r).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/is full/) });
    const [row] = await db.select({ value: count() }).from(teamMembers).where(eq(teamMembers.teamId, team.id));
    expect(row?.value).toBe(10);
    const [accepted] = await db
      .select({ value: count() })
      .from(teamInvites)
      .where(and(eq(teamInvites.teamId, team.id), eq(teamInvites.status, "accepted")));
    expect(accepted?.value).toBe(9);
  });
});

describe("leaving and removing", () => {
  it("the captain cannot leave while others remain, but can after handing over captaincy", async () => {
    const { captain, team } = await newTeam();
    const member = await createUser(db);
    await join(team.id, captain, member);
    const blocked = await outcome(leaveTeam(db, captain.id, { teamId: team.id }));
    expect(blocked).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Make another member captain/) });
    expect((await outcome(removeMember(db, captain.id, { teamId: team.id, userId: captain.id }))).code).toBe("BAD_REQUEST");

    await transferCaptaincy(db, captain.id, { teamId: team.id, userId: member.id });
    expect(await members(team.id)).toEqual(
      new Map([
        [captain.id, "member"],
        [member.id, "captain"],
      ]),
    );
    expect(await leaveTeam(db, captain.id, { teamId: team.id })).toEqual({ teamId: team.id, teamDeleted: false });
    expect(await members(team.id)).toEqual(new Map([[member.id, "captain"]]));
  });

  it("a captain alone leaves by deleting the team", async () => {
    const { captain, team } = await newTeam();
    const invited = await createUser(db);
    await invite(db, captain.id, { teamId: team.id, handle: invited.name });
    expect(await leaveTeam(db, captain.id, { teamId: team.id })).toEqual({ teamId: team.id, teamDeleted: true });
    expect(await db.select().from(teams).where(eq(teams.id, team.id))).toEqual([]);
    expect((await listMyTeams(db, invited.id)).invites).toEqual([]);
  });

  it("the captain removes a member; removing someone not on the team is NOT_FOUND", async () => {
    const { captain, team } = await newTeam();
    const member = await createUser(db);
    await join(team.id, captain, member);
    await removeMember(db, captain.id, { teamId: team.id, userId: member.id });
    expect(await members(team.id)).toEqual(new Map([[captain.id, "captain"]]));
    expect((await outcome(removeMember(db, captain.id, { teamId: team.id, userId: member.id }))).code).toBe("NOT_FOUND");
    expect((await outcome(leaveTeam(db, member.id, { teamId: team.id }))).code).toBe("BAD_REQUEST");
  });
});

describe("roster lock at check-in", () => {
  it("blocks leave, remove and accept while the team is checked in to an event that is not over", async () => {
    const { captain, team } = await newTeam();
    const member = await createUser(db);
    await join(team.id, captain, member);
    const newcomer = await createUser(db);
    const pending = await invite(db, captain.id, { teamId: team.id, handle: newcomer.name });
    const event = await checkIn(team.id, captain.id, "live");

    const message = `The roster is locked: ${event.name} has started check-in.`;
    for (const attempt of [
      () => leaveTeam(db, member.id, { teamId: team.id }),
      () => removeMember(db, captain.id, { teamId: team.id, userId: member.id }),
      () => respondToInvite(db, newcomer.id, { inviteId: pending.inviteId, response: "accept" }),
    ]) {
      const result = await outcome(attempt());
      expect(result.code).toBe("BAD_REQUEST");
      expect(result.message).toContain(message);
    }
    expect(await members(team.id)).toEqual(
      new Map([
        [captain.id, "captain"],
        [member.id, "member"],
      ]),
    );
    expect((await getTeam(db, member.id, team.id)).lockedBy).toBe(event.name);
    // Declining is not a roster change.
    expect(await respondToInvite(db, newcomer.id, { inviteId: pending.inviteId, response: "decline" })).toMatchObject({
      status: "declined",
    });

    await db.update(events).set({ status: "completed" }).where(eq(events.id, event.id));
    await leaveTeam(db, member.id, { teamId: team.id });
    expect(await members(team.id)).toEqual(new Map([[captain.id, "captain"]]));
  });

  it("does not lock for a cancelled event or a withdrawn entry", async () => {
    const { captain, team } = await newTeam();
    const member = await createUser(db);
    await join(team.id, captain, member);
    await checkIn(team.id, captain.id, "cancelled");
    await checkIn(team.id, captain.id, "live", "withdrawn");
    expect((await getTeam(db, captain.id, team.id)).lockedBy).toBeNull();
    await removeMember(db, captain.id, { teamId: team.id, userId: member.id });
  });

  it("keeps a team with entries on record when its last member tries to leave", async () => {
    const { captain, team } = await newTeam();
    await checkIn(team.id, captain.id, "completed");
    const result = await outcome(leaveTeam(db, captain.id, { teamId: team.id }));
    expect(result).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/entries on record/) });
    expect(await members(team.id)).toEqual(new Map([[captain.id, "captain"]]));
  });
});

describe("roster for registration", () => {
  it("gives the captain the member ids, and refuses others or a team too small", async () => {
    const { captain, team } = await newTeam();
    const member = await createUser(db);
    await join(team.id, captain, member);
    const roster = await teamRosterForRegistration(db, team.id, captain.id, 2);
    expect(roster.teamId).toBe(team.id);
    expect(new Set(roster.memberIds)).toEqual(new Set([captain.id, member.id]));
    expect((await outcome(teamRosterForRegistration(db, team.id, member.id, 2))).code).toBe("FORBIDDEN");
    const small = await outcome(teamRosterForRegistration(db, team.id, captain.id, 5));
    expect(small.code).toBe("BAD_REQUEST");
    expect(small.fields?.teamId?.[0]).toMatch(/at least 5 members/);
    expect((await outcome(teamRosterForRegistration(db, crypto.randomUUID(), captain.id, 1))).code).toBe("NOT_FOUND");
  });
});

describe("team logo", () => {
  it("only the captain sets it; the team then shows a versioned logo URL", async () => {
    const { captain, team } = await newTeam();
    const member = await createUser(db);
    await join(team.id, captain, member);
    const png = { type: "image/png", data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]) };
    expect((await outcome(setTeamLogo(db, member.id, team.id, png))).code).toBe("FORBIDDEN");
    expect((await outcome(setTeamLogo(db, captain.id, crypto.randomUUID(), png))).code).toBe("NOT_FOUND");
    const url = await setTeamLogo(db, captain.id, team.id, png);
    expect(url).toMatch(new RegExp(`^/api/teams/${team.id}/logo\\?v=\\d+$`));
    expect((await getTeam(db, member.id, team.id)).logo).toBe(url);
    expect((await getTeamLogo(db, team.id))?.data.equals(png.data)).toBe(true);
    const [row] = await db.select({ hasLogo: teams.hasLogo }).from(teams).where(eq(teams.id, team.id));
    expect(row?.hasLogo).toBe(true);
  });
});
