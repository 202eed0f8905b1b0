import { sql } from "drizzle-orm";
import { bigint, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

const at = () => timestamp({ withTimezone: true, mode: "date" });

/**
 * Every evidence file in the file store, from the moment its upload starts (size 0 until it is
 * stored). The uploads of the last 24 hours are a user's daily quota; a row whose file was never
 * attached to a dispute (`attached_at` null) is deleted, with its file, a day after its upload.
 * Attaching sets `attached_at` on this row, so an attach and the clean-up cannot both win.
 */
export const evidenceUploads = pgTable(
  "evidence_uploads",
  {
    /** `<uploaderId>_<uuid>`, the id server/storage/evidence.ts names the file by. */
    evidenceId: text().primaryKey(),
    uploaderId: uuid()
      .notNull()
      .references(() => users.id),
    size: bigint({ mode: "number" }).notNull().default(0),
    createdAt: at().notNull().defaultNow(),
    attachedAt: at(),
  },
  (table) => [
    index("evidence_uploads_uploader_idx").on(table.uploaderId, table.createdAt),
    index("evidence_uploads_unattached_idx").on(table.createdAt).where(sql`${table.attachedAt} is null`),
  ],
);
