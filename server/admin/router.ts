import { listUsersInput, setRoleInput } from "@/server/accounts/schemas";
import { listUsers, setRole } from "@/server/accounts/service";
import { adminProcedure, createTRPCRouter } from "@/server/trpc";

export const adminRouter = createTRPCRouter({
  users: adminProcedure.input(listUsersInput).query(({ ctx, input }) => listUsers(ctx.db, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(async ({ ctx, input }) => {
    const result = await setRole(ctx.db, ctx.user, input);
    if (result.changed) ctx.log.info({ targetUserId: input.userId, role: input.role }, "role changed");
    return result;
  }),
});
