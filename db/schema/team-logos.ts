import { customType, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams } from "./events";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** A team's logo image, uploaded by its captain; `teams.has_logo` says whether a row exists. */
export const teamLogos = pgTable("team_logos", {
  teamId: uuid()
    .primaryKey()
    .references(() => teams.id, { onDelete: "cascade" }),
  contentType: text().notNull(),
  data: bytea().notNull(),
  updatedAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
});
