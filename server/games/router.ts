import { createTRPCRouter, publicProcedure } from "@/server/trpc";
import { listGames } from "./service";

export const gamesRouter = createTRPCRouter({
  list: publicProcedure.query(({ ctx }) => listGames(ctx.db)),
});
