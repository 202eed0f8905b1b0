import { createTRPCRouter, protectedProcedure } from "@/server/trpc";
import { createTeamInput, inviteIdInput, inviteInput, memberInput, respondInput, teamIdInput } from "./schemas";
import {
  createTeam,
  getTeam,
  invite,
  leaveTeam,
  listMyTeams,
  removeMember,
  respondToInvite,
  revokeInvite,
  transferCaptaincy,
} from "./service";

export const teamsRouter = createTRPCRouter({
  /** The teams I am on and the invites waiting for my answer. */
  mine: protectedProcedure.query(({ ctx }) => listMyTeams(ctx.db, ctx.user.id)),
  /** Any signed-in player may look at a team; only its captain sees the pending invites. */
  get: protectedProcedure.input(teamIdInput).query(({ ctx, input }) => getTeam(ctx.db, ctx.user.id, input.teamId)),
  create: protectedProcedure.input(createTeamInput).mutation(async ({ ctx, input }) => {
    const team = await createTeam(ctx.db, ctx.user, input);
    ctx.log.info({ teamId: team.id }, "team created");
    return team;
  }),
  invite: protectedProcedure.input(inviteInput).mutation(async ({ ctx, input }) => {
    const result = await invite(ctx.db, ctx.user.id, input);
    ctx.log.info({ teamId: input.teamId, inviteId: result.inviteId }, "team invite sent");
    return result;
  }),
  respond: protectedProcedure.input(respondInput).mutation(({ ctx, input }) => respondToInvite(ctx.db, ctx.user.id, input)),
  revoke: protectedProcedure.input(inviteIdInput).mutation(({ ctx, input }) => revokeInvite(ctx.db, ctx.user.id, input)),
  leave: protectedProcedure.input(teamIdInput).mutation(async ({ ctx, input }) => {
    const result = await leaveTeam(ctx.db, ctx.user.id, input);
    if (result.teamDeleted) ctx.log.info({ teamId: input.teamId }, "team deleted by its last member");
    return result;
  }),
  remove: protectedProcedure.input(memberInput).mutation(({ ctx, input }) => removeMember(ctx.db, ctx.user.id, input)),
  transferCaptaincy: protectedProcedure.input(memberInput).mutation(({ ctx, input }) => transferCaptaincy(ctx.db, ctx.user.id, input)),
});
