import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { seed } from "./seed";

const { db } = await createTestDatabase();

it("every demo event's seat count is the entries holding a seat; the completed event shows the seats its players took", async () => {
  await seed(db, { admin: false });
  const rows = await db.execute<{ name: string; status: string; capacity: number; seats_taken: number; holding: number }>(sql`
    select e.name, e.status, e.capacity, e.seats_taken,
      (select count(*)::int from registrations r where r.event_id = e.id and r.status in ('confirmed', 'pending_payment', 'offered')) as holding
    from events e order by e.name`);
  for (const row of rows) expect({ name: row.name, seats: row.seats_taken }).toEqual({ name: row.name, seats: row.holding });
  const completed = rows.filter((row) => row.status === "completed");
  expect(completed).not.toHaveLength(0);
  for (const row of completed) expect(row.seats_taken).toBeGreaterThan(0);
});
