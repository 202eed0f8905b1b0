/**
 * What the web server's start-up puts in its database (see demoSeedPlan): the demo data on a fresh
 * development database, the game list on any embedded one, nothing in production unless
 * AUTO_SEED=true. The demo data goes through the services, so it is loaded only when needed.
 */
import { count } from "drizzle-orm";
import { users } from "@/db/schema/accounts";
import type { AppDatabase } from "@/server/database";
import { env } from "@/server/env";
import { logger } from "@/server/logger";
import { demoSeedPlan } from "./seed-policy";

export async function seedOnStart(database: AppDatabase): Promise<void> {
  const plan = demoSeedPlan({ nodeEnv: env.NODE_ENV, autoSeed: env.AUTO_SEED, embedded: database.embedded });
  if (!database.embedded && !plan.seed) return;
  const { seed, seedGames } = await import("./seed");
  if (!plan.seed) {
    await seedGames(database.db);
    return;
  }
  const [row] = await database.db.select({ users: count() }).from(users);
  if (row?.users === 0) {
    await seed(database.db, { admin: plan.admin });
    logger.child({ component: "database" }).info({ admin: plan.admin }, "fresh database: demo data seeded");
  }
}
