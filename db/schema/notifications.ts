/** The notifications domain's table: in-app notifications, each created once per dedupe key. */
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

const at = () => timestamp({ withTimezone: true, mode: "date" });

export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Makes a notification created twice by a retried job one notification. */
    dedupeKey: text().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    link: text(),
    readAt: at(),
    createdAt: at().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("notifications_dedupe_idx").on(table.dedupeKey),
    index("notifications_user_idx").on(table.userId, table.createdAt),
  ],
);
