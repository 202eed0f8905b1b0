import { and, asc, count, eq, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { isUniqueViolation, pgErrorCode } from "@/db/errors";
import { teamInvites, teamLogos, teamMembers, teams } from "@/db/schema/teams";
import { hasGameHandle, userDirectory } from "@/server/accounts/directory";
import { Forbidden, Invalid, NotFound } from "@/server/errors";
import { notify } from "@/server/notifications/service";
import { teamEntries } from "./entries";
import { announceTeamChange } from "./live";
import { MAX_TEAM_MEMBERS, type CreateTeamInput, type InviteInput, type MemberInput, type RespondInput } from "./schemas";

const teamNotFound = () => new NotFound("That team does not exist.");
const inviteNotFound = () => new NotFound("That invite does not exist.");
const captainOnly = () => new Forbidden("Only the team's captain can do this.");
const notOnTeam = () => new NotFound("That player is not on this team.");
const badRequest = (message: string) => new Invalid(message);
const nameTaken = () => new Invalid("That team name is taken.", { field: "name" });

/** Logo URLs carry the upload time, so the image can be cached forever and a new upload gets a new URL. */
export function teamLogoUrl(teamId: string, updatedAt: Date | null): string | null {
  return updatedAt ? `/api/teams/${teamId}/logo?v=${updatedAt.getTime()}` : null;
}

/**
 * Locks the team row for the rest of the transaction. Every membership change takes this lock
 * first, so checks such as the member cap see every earlier change already committed.
 */
async function lockTeam(tx: DbOrTx, teamId: string) {
  const [team] = await tx
    .select({ id: teams.id, name: teams.name, captainId: teams.captainId })
    .from(teams)
    .where(eq(teams.id, teamId))
    .for("update");
  if (!team) throw teamNotFound();
  return team;
}

async function lockTeamAsCaptain(tx: DbOrTx, teamId: string, actorId: string) {
  const team = await lockTeam(tx, teamId);
  if (team.captainId !== actorId) throw captainOnly();
  return team;
}

async function memberRole(db: DbOrTx, teamId: string, userId: string) {
  const [row] = await db
    .select({ role: teamMembers.role })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
  return row?.role ?? null;
}

async function memberCount(db: DbOrTx, teamId: string): Promise<number> {
  const [row] = await db.select({ value: count() }).from(teamMembers).where(eq(teamMembers.teamId, teamId));
  return row?.value ?? 0;
}

/** The event that locks the team's roster, if any; registration, which holds the entries, answers. */
const rosterLock = (db: DbOrTx, teamId: string) => teamEntries().rosterLock(db, teamId);

async function assertRosterUnlocked(db: DbOrTx, teamId: string) {
  const lock = await rosterLock(db, teamId);
  if (lock) {
    throw badRequest(`The roster is locked: ${lock.eventName} has started check-in. Members can change again once it is over.`);
  }
}

export async function createTeam(db: DbOrTx, captain: { id: string }, input: CreateTeamInput) {
  const [taken] = await db.select({ id: teams.id }).from(teams).where(sql`lower(${teams.name}) = lower(${input.name})`);
  if (taken) throw nameTaken();
  try {
    return await db.transaction(async (tx) => {
      const [team] = await tx
        .insert(teams)
        .values({ name: input.name, tag: input.tag, captainId: captain.id })
        .returning({ id: teams.id, name: teams.name, tag: teams.tag });
      await tx.insert(teamMembers).values({ teamId: team!.id, userId: captain.id, role: "captain" });
      return team!;
    });
  } catch (error) {
    // Two teams named alike at the same moment: the unique index on lower(name) decides.
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

/** A team as any signed-in player sees it; pending invites only for its captain. */
export async function getTeam(db: DbOrTx, viewerId: string, teamId: string) {
  const [team] = await db
    .select({
      id: teams.id,
      name: teams.name,
      tag: teams.tag,
      captainId: teams.captainId,
      createdAt: teams.createdAt,
      logoUpdatedAt: teamLogos.updatedAt,
    })
    .from(teams)
    .leftJoin(teamLogos, eq(teamLogos.teamId, teams.id))
    .where(eq(teams.id, teamId));
  if (!team) throw teamNotFound();
  const isCaptain = team.captainId === viewerId;

  const [members, invites, myInvite, lock, entries] = await Promise.all([
    db
      .select({
        userId: userDirectory.id,
        name: userDirectory.name,
        image: userDirectory.image,
        role: teamMembers.role,
        joinedAt: teamMembers.joinedAt,
      })
      .from(teamMembers)
      .innerJoin(userDirectory, eq(userDirectory.id, teamMembers.userId))
      .where(eq(teamMembers.teamId, teamId))
      .orderBy(asc(teamMembers.role), asc(teamMembers.joinedAt), asc(userDirectory.name)),
    isCaptain
      ? db
          .select({
            id: teamInvites.id,
            userId: userDirectory.id,
            name: userDirectory.name,
            image: userDirectory.image,
            createdAt: teamInvites.createdAt,
          })
          .from(teamInvites)
          .innerJoin(userDirectory, eq(userDirectory.id, teamInvites.userId))
          .where(and(eq(teamInvites.teamId, teamId), eq(teamInvites.status, "pending")))
          .orderBy(asc(teamInvites.createdAt))
      : Promise.resolve([]),
    db
      .select({ id: teamInvites.id })
      .from(teamInvites)
      .where(and(eq(teamInvites.teamId, teamId), eq(teamInvites.userId, viewerId), eq(teamInvites.status, "pending"))),
    rosterLock(db, teamId),
    teamEntries().activeEntries(db, teamId),
  ]);

  const viewerRole = members.find((m) => m.userId === viewerId)?.role ?? null;
  return {
    id: team.id,
    name: team.name,
    tag: team.tag,
    captainId: team.captainId,
    createdAt: team.createdAt,
    logo: teamLogoUrl(team.id, team.logoUpdatedAt),
    viewerRole,
    members,
    invites,
    myInviteId: myInvite[0]?.id ?? null,
    lockedBy: lock?.eventName ?? null,
    activeEntries: entries,
    maxMembers: MAX_TEAM_MEMBERS,
  };
}

/** The teams the user is on, and the invites waiting for their answer. */
export async function listMyTeams(db: DbOrTx, userId: string) {
  const [mine, invites] = await Promise.all([
    db
      .select({
        id: teams.id,
        name: teams.name,
        tag: teams.tag,
        role: teamMembers.role,
        logoUpdatedAt: teamLogos.updatedAt,
        memberCount: sql<number>`(select count(*)::int from team_members m where m.team_id = ${teams.id})`,
      })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .leftJoin(teamLogos, eq(teamLogos.teamId, teams.id))
      .where(eq(teamMembers.userId, userId))
      .orderBy(sql`lower(${teams.name})`),
    db
      .select({
        id: teamInvites.id,
        teamId: teams.id,
        teamName: teams.name,
        tag: teams.tag,
        logoUpdatedAt: teamLogos.updatedAt,
        invitedBy: userDirectory.name,
        createdAt: teamInvites.createdAt,
      })
      .from(teamInvites)
      .innerJoin(teams, eq(teams.id, teamInvites.teamId))
      .innerJoin(userDirectory, eq(userDirectory.id, teamInvites.invitedBy))
      .leftJoin(teamLogos, eq(teamLogos.teamId, teams.id))
      .where(and(eq(teamInvites.userId, userId), eq(teamInvites.status, "pending")))
      .orderBy(asc(teamInvites.createdAt)),
  ]);
  return {
    teams: mine.map(({ logoUpdatedAt, ...team }) => ({ ...team, logo: teamLogoUrl(team.id, logoUpdatedAt) })),
    invites: invites.map(({ logoUpdatedAt, ...invite }) => ({ ...invite, logo: teamLogoUrl(invite.teamId, logoUpdatedAt) })),
  };
}

/**
 * The one player whose display name or any game handle is `handle`, ignoring letter case.
 * Display names are not unique, so several matches ask for something more specific.
 */
export async function findPlayerByHandle(db: DbOrTx, handle: string) {
  const text = handle.trim().toLowerCase();
  const matches = await db
    .select({ id: userDirectory.id, name: userDirectory.name })
    .from(userDirectory)
    .where(or(sql`lower(${userDirectory.name}) = ${text}`, hasGameHandle(userDirectory.id, { equals: text })))
    .limit(2);
  if (matches.length === 0) {
    throw new Invalid(`No player goes by “${handle.trim()}”. Check the spelling of their display name or game handle.`, {
      field: "handle",
    });
  }
  if (matches.length > 1) {
    throw new Invalid(`Several players go by “${handle.trim()}”. Be more specific: use their game handle, like Name#TAG.`, {
      field: "handle",
    });
  }
  return matches[0]!;
}

export async function invite(db: DbOrTx, captainId: string, input: InviteInput) {
  try {
    return await db.transaction(async (tx) => {
      const team = await lockTeamAsCaptain(tx, input.teamId, captainId);
      const invitee = await findPlayerByHandle(tx, input.handle);
      if (await memberRole(tx, team.id, invitee.id)) throw new Invalid(`${invitee.name} is already on ${team.name}.`, { field: "handle" });
      const [pendingInvites, members] = await Promise.all([
        tx
          .select({ userId: teamInvites.userId })
          .from(teamInvites)
          .where(and(eq(teamInvites.teamId, team.id), eq(teamInvites.status, "pending"))),
        memberCount(tx, team.id),
      ]);
      if (pendingInvites.some((p) => p.userId === invitee.id)) throw new Invalid("Already invited.", { field: "handle" });
      if (members + pendingInvites.length >= MAX_TEAM_MEMBERS) {
        throw new Invalid(
          `A team has at most ${MAX_TEAM_MEMBERS} members, counting pending invites. Revoke an invite or remove a member first.`,
          { field: "handle" },
        );
      }
      const [created] = await tx
        .insert(teamInvites)
        .values({ teamId: team.id, userId: invitee.id, invitedBy: captainId })
        .returning({ id: teamInvites.id });
      await notify(tx, {
        userId: invitee.id,
        dedupeKey: `team-invite:${created!.id}`,
        title: `You're invited to ${team.name}`,
        body: `The captain of ${team.name} invited you to join the team.`,
        link: "/teams",
      });
      await announceTeamChange(tx, team.id, [invitee.id]);
      return { inviteId: created!.id, userId: invitee.id, name: invitee.name };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Invalid("Already invited.", { field: "handle" });
    throw error;
  }
}

export async function respondToInvite(db: DbOrTx, userId: string, input: RespondInput) {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ teamId: teamInvites.teamId, userId: teamInvites.userId })
      .from(teamInvites)
      .where(eq(teamInvites.id, input.inviteId));
    if (!found) throw inviteNotFound();
    if (found.userId !== userId) throw new Forbidden("This invite is for another player.");
    // Team first, then invite: the same order as every other membership change.
    const team = await lockTeam(tx, found.teamId);
    const [current] = await tx
      .select({ status: teamInvites.status })
      .from(teamInvites)
      .where(eq(teamInvites.id, input.inviteId))
      .for("update");
    if (!current) throw inviteNotFound();
    const result = { teamId: team.id, teamName: team.name };

    switch (current.status) {
      case "revoked":
        throw badRequest(`The captain of ${team.name} withdrew this invite.`);
      case "declined":
        if (input.response === "decline") return { ...result, status: "declined" as const };
        throw badRequest(`You declined this invite to ${team.name}. Ask the captain for a new one.`);
      case "accepted":
        if (input.response === "accept") return { ...result, status: "accepted" as const };
        throw badRequest(`You already accepted this invite. To leave ${team.name}, use Leave team on its page.`);
      case "pending":
        break;
    }

    if (input.response === "decline") {
      await tx.update(teamInvites).set({ status: "declined", respondedAt: new Date() }).where(eq(teamInvites.id, input.inviteId));
      await announceTeamChange(tx, team.id, [userId]);
      return { ...result, status: "declined" as const };
    }

    await assertRosterUnlocked(tx, team.id);
    if ((await memberCount(tx, team.id)) >= MAX_TEAM_MEMBERS) {
      throw badRequest(`${team.name} is full: a team has at most ${MAX_TEAM_MEMBERS} members.`);
    }
    await tx.insert(teamMembers).values({ teamId: team.id, userId, role: "member" }).onConflictDoNothing();
    await tx.update(teamInvites).set({ status: "accepted", respondedAt: new Date() }).where(eq(teamInvites.id, input.inviteId));
    await announceTeamChange(tx, team.id);
    return { ...result, status: "accepted" as const };
  });
}

export async function revokeInvite(db: DbOrTx, captainId: string, input: { inviteId: string }) {
  return db.transaction(async (tx) => {
    const [found] = await tx.select({ teamId: teamInvites.teamId }).from(teamInvites).where(eq(teamInvites.id, input.inviteId));
    if (!found) throw inviteNotFound();
    await lockTeamAsCaptain(tx, found.teamId, captainId);
    const [current] = await tx
      .select({ status: teamInvites.status, name: userDirectory.name, userId: teamInvites.userId })
      .from(teamInvites)
      .innerJoin(userDirectory, eq(userDirectory.id, teamInvites.userId))
      .where(eq(teamInvites.id, input.inviteId))
      .for("update", { of: teamInvites });
    if (!current) throw inviteNotFound();
    if (current.status === "accepted") throw badRequest(`${current.name} already accepted. Remove them from the team instead.`);
    if (current.status === "declined") throw badRequest(`${current.name} already declined this invite.`);
    if (current.status === "pending") {
      await tx.update(teamInvites).set({ status: "revoked", respondedAt: new Date() }).where(eq(teamInvites.id, input.inviteId));
      await announceTeamChange(tx, found.teamId, [current.userId]);
    }
    return { inviteId: input.inviteId, status: "revoked" as const };
  });
}

const teamHasEntries = () =>
  badRequest(
    "You are the last member, and this team has tournament entries on record, so it can't be deleted. Invite someone and make them captain before you leave.",
  );

/**
 * The member leaves. A captain with teammates must hand over captaincy first; a captain who is
 * the last member leaves by deleting the team (its invites and logo go with it).
 */
export async function leaveTeam(db: DbOrTx, userId: string, input: { teamId: string }) {
  try {
    return await db.transaction(async (tx) => {
      const team = await lockTeam(tx, input.teamId);
      if (!(await memberRole(tx, team.id, userId))) throw badRequest(`You are not on ${team.name}.`);
      await assertRosterUnlocked(tx, team.id);
      if (team.captainId !== userId) {
        await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, userId)));
        await announceTeamChange(tx, team.id, [userId]);
        return { teamId: team.id, teamDeleted: false };
      }
      if ((await memberCount(tx, team.id)) > 1) {
        throw badRequest("You are the captain. Make another member captain before you leave.");
      }
      if ((await teamEntries().entryCount(tx, team.id)) > 0) throw teamHasEntries();
      await tx.delete(teams).where(eq(teams.id, team.id));
      await announceTeamChange(tx, team.id, [userId]);
      return { teamId: team.id, teamDeleted: true };
    });
  } catch (error) {
    // A registration written by the registration service between our check and the delete.
    if (pgErrorCode(error) === "23503") throw teamHasEntries();
    throw error;
  }
}

export async function removeMember(db: DbOrTx, captainId: string, input: MemberInput) {
  return db.transaction(async (tx) => {
    const team = await lockTeamAsCaptain(tx, input.teamId, captainId);
    if (input.userId === captainId) {
      throw badRequest("You can't remove yourself. To leave, make another member captain first.");
    }
    if (!(await memberRole(tx, team.id, input.userId))) throw notOnTeam();
    await assertRosterUnlocked(tx, team.id);
    await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, input.userId)));
    await announceTeamChange(tx, team.id, [input.userId]);
    return { teamId: team.id, userId: input.userId };
  });
}

export async function transferCaptaincy(db: DbOrTx, captainId: string, input: MemberInput) {
  return db.transaction(async (tx) => {
    const team = await lockTeamAsCaptain(tx, input.teamId, captainId);
    if (input.userId === captainId) throw badRequest("You are already the captain.");
    if (!(await memberRole(tx, team.id, input.userId))) throw notOnTeam();
    await tx.update(teams).set({ captainId: input.userId }).where(eq(teams.id, team.id));
    await tx
      .update(teamMembers)
      .set({ role: "member" })
      .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, captainId)));
    await tx
      .update(teamMembers)
      .set({ role: "captain" })
      .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, input.userId)));
    await announceTeamChange(tx, team.id);
    return { teamId: team.id, captainId: input.userId };
  });
}

/**
 * For the registration service: the roster a captain enters with. Inside the caller's transaction
 * the team row stays share-locked until it commits, so nobody joins or leaves mid-registration.
 */
export async function teamRosterForRegistration(
  db: DbOrTx,
  teamId: string,
  captainId: string,
  minMembers: number,
): Promise<{ teamId: string; memberIds: string[] }> {
  const [team] = await db
    .select({ id: teams.id, name: teams.name, captainId: teams.captainId })
    .from(teams)
    .where(eq(teams.id, teamId))
    .for("share");
  if (!team) throw teamNotFound();
  if (team.captainId !== captainId) {
    throw new Forbidden("Only the team's captain can register it.");
  }
  const members = await db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(teamMembers.joinedAt), asc(teamMembers.userId));
  if (members.length < minMembers) {
    throw new Invalid(`${team.name} needs at least ${minMembers} members to enter; it has ${members.length}. Invite more players first.`, {
      field: "teamId",
    });
  }
  return { teamId: team.id, memberIds: members.map((m) => m.userId) };
}

export async function setTeamLogo(db: DbOrTx, captainId: string, teamId: string, file: { type: string; data: Buffer }) {
  const updatedAt = new Date();
  await db.transaction(async (tx) => {
    await lockTeamAsCaptain(tx, teamId, captainId);
    await tx
      .insert(teamLogos)
      .values({ teamId, contentType: file.type, data: file.data, updatedAt })
      .onConflictDoUpdate({ target: teamLogos.teamId, set: { contentType: file.type, data: file.data, updatedAt } });
    await tx.update(teams).set({ hasLogo: true }).where(eq(teams.id, teamId));
  });
  return teamLogoUrl(teamId, updatedAt)!;
}

export async function getTeamLogo(db: DbOrTx, teamId: string) {
  const [logo] = await db.select().from(teamLogos).where(eq(teamLogos.teamId, teamId));
  return logo ?? null;
}
