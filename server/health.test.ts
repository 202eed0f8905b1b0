import { describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { createTestDatabase } from "@/db/testing/database";
import { checkDatabase } from "./health";

const { sql } = await createTestDatabase();

describe("database health check", () => {
  it("is ok when the database answers", async () => {
    const result = await checkDatabase(async () => sql`select 1`);
    expect(result.status).toBe("ok");
  });

  it("reports an error, without details, when the database refuses connections", async () => {
    const down = connect("postgres://nobody:nothing@127.0.0.1:1/none");
    const result = await checkDatabase(async () => down.sql`select 1`);
    expect(result).toEqual({ status: "error", error: "database unavailable" });
    await down.close();
  });

  it("gives up on a database that does not answer in time", async () => {
    const started = Date.now();
    const result = await checkDatabase(() => new Promise(() => {}), 200);
    expect(result.status).toBe("error");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
