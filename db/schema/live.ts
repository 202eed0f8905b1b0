import { bigint, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per live topic (event:<id>, bracket:<id>, match:<id>, room:<id>, user:<id>) holding its
 * last sequence number. `announce` bumps it inside the business transaction; the row lock orders
 * announcements per topic.
 */
export const liveTopics = pgTable("live_topics", {
  topic: text().primaryKey(),
  seq: bigint({ mode: "number" }).notNull().default(0),
});

/**
 * Every announcement, so a reconnecting client gets what it missed (Last-Event-ID). NOTIFY carries
 * only (topic, seq); the payload is read from here.
 */
export const liveEvents = pgTable(
  "live_events",
  {
    topic: text().notNull(),
    seq: bigint({ mode: "number" }).notNull(),
    payload: jsonb().$type<unknown>().notNull(),
    createdAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.topic, table.seq] })],
);
