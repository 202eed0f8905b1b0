import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, games, registrations, users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/database";
import { createOpenEvent, createUser } from "@/server/testing/factories";
import type { SessionUser } from "@/server/accounts/roles";
import { csvRecords, IMPORT_MAX_BYTES, IMPORT_MAX_ROW_CHARS, importParticipantsCsv, type CsvRecord, type ImportResult } from "./import";
import { codeOf } from "@/server/testing/trpc";

const { db } = await createTestDatabase();
const key = () => crypto.randomUUID();
let gameId: string;
let organizer: SessionUser;
let otherOrganizer: SessionUser;
let admin: SessionUser;

beforeAll(async () => {
  const [game] = await db
    .insert(games)
    .values({ slug: `g-${key()}`, name: "Test Game", handleLabel: "Tag" })
    .returning();
  gameId = game!.id;
  [organizer, otherOrganizer, admin] = await Promise.all([
    createUser(db, { role: "organizer" }),
    createUser(db, { role: "organizer" }),
    createUser(db, { role: "admin" }),
  ]);
});

function createEvent(overrides: Parameters<typeof createOpenEvent>[2] = {}) {
  return createOpenEvent(db, { organizerId: organizer.id, gameId }, overrides);
}

/** Players made straight in the table (no argon2). */
async function players(count: number) {
  return db
    .insert(users)
    .values(Array.from({ length: count }, (_, i) => ({ name: `P${i}-${key().slice(0, 4)}`, email: `p-${key()}@example.test` })))
    .returning({ id: users.id, email: users.email });
}

/** The text as a stream of `chunkSize`-byte pieces (the whole text at once by default). */
function streamOf(text: string, chunkSize = Number.POSITIVE_INFINITY): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const end = Math.min(bytes.length, at + chunkSize);
      controller.enqueue(bytes.slice(at, end));
      at = end;
    },
  });
}

const csv = (...lines: string[]) => `${lines.join("\n")}\n`;

function importText(eventId: string, text: string, mode: "participants" | "seeds" = "participants", actor = organizer, chunkSize?: number) {
  return importParticipantsCsv(db, actor, eventId, streamOf(text, chunkSize), mode);
}

async function messageOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return (error as Error).message;
  }
}

async function entriesOf(eventId: string) {
  return db.select().from(registrations).where(eq(registrations.eventId, eventId));
}

async function seatsOf(eventId: string) {
  const [row] = await db.select({ seatsTaken: events.seatsTaken }).from(events).where(eq(events.id, eventId));
  return row!.seatsTaken;
}

function failed(result: ImportResult) {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result)}`);
  return result.errors;
}

async function parsed(text: string, options: Parameters<typeof csvRecords>[1] = {}, chunkSize?: number) {
  const out: CsvRecord[] = [];
  for await (const record of csvRecords(streamOf(text, chunkSize), options)) out.push(record);
  return out;
}

async function recordsOf(text: string, chunkSize?: number) {
  return (await parsed(text, {}, chunkSize)).map((record) => record.fields);
}

describe("the CSV parser", () => {
  it("reads quoted fields with commas, escaped quotes and line breaks", async () => {
    const records = await parsed('email,note\r\n"a@x.test","Hello, ""world"""\r\nb@x.test,"two\r\nlines"\r\n');
    expect(records.map((r) => r.fields)).toEqual([
      ["email", "note"],
      ["a@x.test", 'Hello, "world"'],
      ["b@x.test", "two\r\nlines"],
    ]);
    expect(records.every((r) => r.problem === null)).toBe(true);
  });

  it("takes CRLF, LF and a last line without a break; skips blank lines; keeps empty fields", async () => {
    expect(await recordsOf("a,b\r\n\r\n1,\n,2\r3,4")).toEqual([
      ["a", "b"],
      ["1", ""],
      ["", "2"],
      ["3", "4"],
    ]);
  });

  it("flags an unclosed quote in the field where it opens; keeps text after a closing quote as written", async () => {
    const records = await parsed('a,"b"x\nc,"never closed\n');
    expect(records[0]).toEqual({ fields: ["a", '"b"x'], problem: null });
    expect(records[1]).toEqual({ fields: [], problem: { field: 1, message: 'A quoted field is never closed: a closing " is missing.' } });
    expect(records).toHaveLength(2);
  });

  it("a stream in tiny chunks that split rows, quotes, CRLF and multi-byte characters parses the same", async () => {
    const text =
      '\uFEFFemail,seed,note\r\n"zoë@x.test",1,"say ""hi"", then\r\nleave"\r\nb@x.test,,"🎮,🎮"\r\n"",3,""""\r\nlast@x.test,4,end';
    const whole = await recordsOf(text);
    expect(whole).toEqual([
      ["email", "seed", "note"],
      ["zoë@x.test", "1", 'say "hi", then\r\nleave'],
      ["b@x.test", "", "🎮,🎮"],
      ["", "3", '"'],
      ["last@x.test", "4", "end"],
    ]);
    for (const size of [1, 2, 3, 5, 7]) expect(await recordsOf(text, size)).toEqual(whole);
  });

  it("a line longer than the limit is flagged and not kept, however it is built; the next line reads normally", async () => {
    const records = await parsed(`a,b\n${"x".repeat(50)},y\n"${"q".repeat(40)}"\n${",".repeat(60)}\nc,d\n`, { maxRowChars: 20 });
    expect(records.map((r) => r.problem?.message ?? null)).toEqual([
      null,
      "This row is longer than 20 characters.",
      "This row is longer than 20 characters.",
      "This row is longer than 20 characters.",
      null,
    ]);
    expect(records.map((r) => r.fields.join(",").length).every((length) => length <= 20)).toBe(true);
    expect(records[4]!.fields).toEqual(["c", "d"]);
    // One 1.5 MB quoted cell, in small pieces: what is kept stays within the limit.
    const huge = await recordsOf(`email\n"${"z".repeat(1_500_000)}"\nlast@x.test\n`, 64 * 1024);
    expect(huge).toEqual([["email"], [], ["last@x.test"]]);
  });

  it("refuses bytes that are not UTF-8, in words", async () => {
    const latin1 = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([...new TextEncoder().encode("email\nzo"), 0xeb, ...new TextEncoder().encode("@x.test\n")]));
        controller.close();
      },
    });
    expect(
      await messageOf(
        (async () => {
          for await (const _ of csvRecords(latin1)) void _;
        })(),
      ),
    ).toBe('That file is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.');
  });

  it("stops reading past the size limit", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode("a@x.test,1\n".repeat(10_000)));
      },
    });
    const message = await messageOf(
      (async () => {
        for await (const _ of csvRecords(endless)) void _;
      })(),
    );
    expect(message).toMatch(/larger than 2 MB/);
    expect(pulled).toBeLessThan(IMPORT_MAX_BYTES / 100_000 + 3);
  });
});

describe("importing participants", () => {
  it("a good file imports every row in one go: free confirmed entries, seats taken, seeds kept", async () => {
    const event = await createEvent({ capacity: 8 });
    const list = await players(5);
    const text = csv("email,seed", ...list.map((p, i) => `${i === 0 ? p.email.toUpperCase() : p.email},${i < 3 ? i + 1 : ""}`));
    expect(await importText(event.id, text)).toEqual({ ok: true, imported: 5 });
    expect(await seatsOf(event.id)).toBe(5);
    const rows = await entriesOf(event.id);
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toMatchObject({
        status: "confirmed",
        fee: 0,
        discount: 0,
        walletAmount: 0,
        cardAmount: 0,
        idempotencyKey: `import:${event.id}:${row.userId}`,
      });
      expect(row.confirmedAt).toBeInstanceOf(Date);
    }
    const seedOf = new Map(rows.map((r) => [r.userId, r.seed]));
    expect(list.map((p) => seedOf.get(p.id))).toEqual([1, 2, 3, null, null]);
  });

  it("one bad row among good ones: nothing is imported and that row and column are reported", async () => {
    const event = await createEvent();
    const list = await players(4);
    const text = csv("email", list[0]!.email, list[1]!.email, "nobody-here@example.test", list[2]!.email, list[3]!.email);
    const errors = failed(await importText(event.id, text));
    expect(errors).toEqual([{ row: 3, column: "email", message: "No Driftwood account uses this email." }]);
    expect(await entriesOf(event.id)).toHaveLength(0);
    expect(await seatsOf(event.id)).toBe(0);
  });

  it("reports every bad row at once, in row order, with the column", async () => {
    const event = await createEvent({ capacity: 8 });
    const list = await players(3);
    const text = csv(
      "email,seed",
      `${list[0]!.email},1`,
      "not-an-email,2",
      `${list[1]!.email},0`,
      `${list[2]!.email},9`,
      ",3",
      `${list[2]!.email}x,abc`,
    );
    const errors = failed(await importText(event.id, text));
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [2, "email"],
      [3, "seed"],
      [4, "seed"],
      [5, "email"],
      [6, "email"],
      [6, "seed"],
    ]);
    expect(errors[1]!.message).toBe("The seed must be a whole number from 1 to 8 (the event's capacity).");
    expect(await entriesOf(event.id)).toHaveLength(0);
  });

  it("quoted fields with commas and escaped quotes parse, extra columns are ignored", async () => {
    const event = await createEvent();
    const list = await players(2);
    const text = `name,email,seed\r\n"Smith, ""Ace""",${list[0]!.email},"1"\r\n"multi\r\nline",  "${list[1]!.email}"  ,2\r\n`;
    // A quoted email with spaces around the quotes is not RFC 4180: reported, not guessed at.
    const errors = failed(await importText(event.id, text));
    expect(errors.map((e) => [e.row, e.column])).toEqual([[2, "email"]]);
    const fixed = `name,email,seed\r\n"Smith, ""Ace""",${list[0]!.email},"1"\r\n"multi\r\nline","${list[1]!.email}",2\r\n`;
    expect(await importText(event.id, fixed)).toEqual({ ok: true, imported: 2 });
    expect((await entriesOf(event.id)).map((r) => r.seed).sort()).toEqual([1, 2]);
  });

  it("CRLF line endings, a byte-order mark and a missing final line break", async () => {
    const event = await createEvent();
    const list = await players(3);
    const text = `\uFEFFEmail,Seed\r\n${list.map((p, i) => `${p.email},${i + 1}`).join("\r\n")}`;
    expect(await importText(event.id, text)).toEqual({ ok: true, imported: 3 });
    expect(await seatsOf(event.id)).toBe(3);
  });

  it("duplicate emails (in any case) and duplicate seeds in the file", async () => {
    const event = await createEvent();
    const list = await players(3);
    const text = csv(
      "email,seed",
      `${list[0]!.email},1`,
      `${list[1]!.email},2`,
      `${list[0]!.email.toUpperCase()},3`,
      `${list[2]!.email},2`,
    );
    const errors = failed(await importText(event.id, text));
    expect(errors).toEqual([
      { row: 3, column: "email", message: "This email is already on row 1." },
      { row: 4, column: "seed", message: "Seed 2 is already on row 2." },
    ]);
    expect(await entriesOf(event.id)).toHaveLength(0);
  });

  it("players already in the event, and seeds already taken, are refused", async () => {
    const event = await createEvent();
    const [first, second, third] = await players(3);
    expect(await importText(event.id, csv("email,seed", `${first!.email},1`))).toEqual({ ok: true, imported: 1 });
    await db.insert(registrations).values({
      eventId: event.id,
      userId: second!.id,
      status: "waitlisted",
      idempotencyKey: key(),
      fee: 1_000,
      cardAmount: 1_000,
      waitlistedAt: new Date(),
    });
    const errors = failed(await importText(event.id, csv("email,seed", `${first!.email},2`, `${second!.email},`, `${third!.email},1`)));
    expect(errors).toEqual([
      { row: 1, column: "email", message: "This player is already in the event (confirmed)." },
      { row: 2, column: "email", message: "This player is already in the event (on the waitlist)." },
      { row: 3, column: "seed", message: "Seed 1 already belongs to a confirmed player who is not in this file." },
    ]);
    expect(await seatsOf(event.id)).toBe(1);
  });

  it("not enough seats: nothing is imported, the first row that does not fit is named", async () => {
    const event = await createEvent({ capacity: 4 });
    const list = await players(5);
    expect(await importText(event.id, csv("email", list[0]!.email, list[1]!.email))).toEqual({ ok: true, imported: 2 });
    const errors = failed(await importText(event.id, csv("email", list[2]!.email, list[3]!.email, list[4]!.email)));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ row: 3, column: "email" });
    expect(errors[0]!.message).toMatch(/Only 2 seats are left, and this file adds 3 participants/);
    expect(await seatsOf(event.id)).toBe(2);
    expect(await entriesOf(event.id)).toHaveLength(2);
    // Exactly the seats left fits.
    expect(await importText(event.id, csv("email", list[2]!.email, list[3]!.email))).toEqual({ ok: true, imported: 2 });
    expect(await seatsOf(event.id)).toBe(4);
  });

  it("a player imported before who has left can be imported again", async () => {
    const event = await createEvent();
    const [player] = await players(1);
    expect(await importText(event.id, csv("email", player!.email))).toEqual({ ok: true, imported: 1 });
    await db.update(registrations).set({ status: "removed", endedAt: new Date() }).where(eq(registrations.eventId, event.id));
    await db.update(events).set({ seatsTaken: 0 }).where(eq(events.id, event.id));
    expect(await importText(event.id, csv("email", player!.email))).toEqual({ ok: true, imported: 1 });
    const keys = (await entriesOf(event.id)).map((r) => r.idempotencyKey).sort();
    expect(keys).toEqual([`import:${event.id}:${player!.id}`, `import:${event.id}:${player!.id}:2`]);
  });

  it("the same file in tiny chunks imports the same", async () => {
    const event = await createEvent();
    const list = await players(4);
    const text = `email,seed,note\r\n${list.map((p, i) => `"${p.email}",${i + 1},"note, with ""quotes"" and ü"`).join("\r\n")}\r\n`;
    expect(await importText(event.id, text, "participants", organizer, 3)).toEqual({ ok: true, imported: 4 });
    const seedOf = new Map((await entriesOf(event.id)).map((r) => [r.userId, r.seed]));
    expect(list.map((p) => seedOf.get(p.id))).toEqual([1, 2, 3, 4]);
  });

  it("a bad header, an empty file, too many rows or a team event are refused in words", async () => {
    const event = await createEvent();
    const [player] = await players(1);
    expect(await messageOf(importText(event.id, csv(player!.email)))).toMatch(/The first line must be the header email/);
    expect(await messageOf(importText(event.id, ""))).toMatch(/empty/);
    expect(await messageOf(importText(event.id, csv("email")))).toMatch(/no rows/);
    expect(await messageOf(importText(event.id, csv("email,email", "a@x.test,a@x.test")))).toMatch(/twice/);
    const many = csv("email", ...Array.from({ length: 10_001 }, (_, i) => `p${i}@x.test`));
    expect(await messageOf(importText(event.id, many))).toMatch(/more than 10,000 rows/);
    const teams = await createEvent({ participantType: "team", teamSize: 2 });
    expect(await codeOf(importText(teams.id, csv("email", player!.email)))).toBe("BAD_REQUEST");
    const cancelled = await createEvent({ status: "cancelled" });
    expect(await codeOf(importText(cancelled.id, csv("email", player!.email)))).toBe("BAD_REQUEST");
    expect(await entriesOf(event.id)).toHaveLength(0);
  });

  it("a row longer than the limit is reported on its row; nothing is imported", async () => {
    const event = await createEvent();
    const list = await players(2);
    const long = `${list[1]!.email},,${"n".repeat(IMPORT_MAX_ROW_CHARS)}`;
    const errors = failed(await importText(event.id, csv("email,seed,note", list[0]!.email, long)));
    expect(errors).toEqual([{ row: 2, column: "note", message: "This row is longer than 2,000 characters." }]);
    expect(await entriesOf(event.id)).toHaveLength(0);
  });

  it("a quote in the wrong place is refused on its row, and a quote never closed in the field where it opens", async () => {
    const event = await createEvent();
    const list = await players(2);
    const errors = failed(
      await importText(event.id, csv("email,seed,note", `"${list[0]!.email}"x,1`, `${list[1]!.email},2,"never closed`)),
    );
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [1, "email"],
      [2, "note"],
    ]);
    expect(errors[1]!.message).toBe('A quoted field is never closed: a closing " is missing.');
    expect(await entriesOf(event.id)).toHaveLength(0);
  });

  it("someone else's event is FORBIDDEN and reads nothing; an admin may import; a missing event is NOT_FOUND", async () => {
    const event = await createEvent();
    const [player] = await players(1);
    let pulled = false;
    let cancelled = false;
    const watched = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode(csv("email", player!.email)));
          controller.close();
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    expect(await codeOf(importParticipantsCsv(db, otherOrganizer, event.id, watched, "participants"))).toBe("FORBIDDEN");
    expect({ pulled, cancelled }).toEqual({ pulled: false, cancelled: true });
    expect(await entriesOf(event.id)).toHaveLength(0);
    expect(await codeOf(importText(key(), csv("email", player!.email)))).toBe("NOT_FOUND");
    expect(await importText(event.id, csv("email", player!.email), "participants", admin)).toEqual({ ok: true, imported: 1 });
  });

  it("two imports at once: the event lock orders them, so seats are never oversold and nobody is added twice", async () => {
    const event = await createEvent({ capacity: 4 });
    const list = await players(6);
    const a = csv("email", ...list.slice(0, 3).map((p) => p.email));
    const b = csv("email", ...list.slice(3, 6).map((p) => p.email));
    const results = await Promise.all([importText(event.id, a), importText(event.id, b), importText(event.id, a)]);
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, imported: 3 }]);
    expect(await seatsOf(event.id)).toBe(3);
    expect(await entriesOf(event.id)).toHaveLength(3);
  });

  it("a larger file (1,000 players) imports in one transaction", async () => {
    const event = await createEvent({ capacity: 1_024 });
    const list = await players(1_000);
    const text = csv("email,seed", ...list.map((p, i) => `${p.email},${i + 1}`));
    expect(await importText(event.id, text)).toEqual({ ok: true, imported: 1_000 });
    expect(await seatsOf(event.id)).toBe(1_000);
  });
});

describe("importing seeds", () => {
  it("sets the seeds of confirmed players, all or nothing", async () => {
    const event = await createEvent();
    const list = await players(4);
    expect(await importText(event.id, csv("email", ...list.slice(0, 3).map((p) => p.email)))).toEqual({ ok: true, imported: 3 });
    await db.insert(registrations).values({
      eventId: event.id,
      userId: list[3]!.id,
      status: "waitlisted",
      idempotencyKey: key(),
      fee: 1_000,
      cardAmount: 1_000,
      waitlistedAt: new Date(),
    });

    const bad = csv("seed,email", `1,${list[0]!.email}`, `2,${list[3]!.email}`, `,${list[1]!.email}`, `3,nobody-${key()}@example.test`);
    expect(failed(await importText(event.id, bad, "seeds"))).toEqual([
      { row: 2, column: "email", message: "This player has no confirmed entry in the event (they are on the waitlist)." },
      { row: 3, column: "seed", message: "A seed is required." },
      { row: 4, column: "email", message: "No Driftwood account uses this email." },
    ]);
    const confirmed = await db
      .select({ userId: registrations.userId, seed: registrations.seed })
      .from(registrations)
      .where(and(eq(registrations.eventId, event.id), eq(registrations.status, "confirmed")));
    expect(confirmed.every((r) => r.seed === null)).toBe(true);

    const good = csv("email,seed", ...list.slice(0, 3).map((p, i) => `${p.email},${3 - i}`));
    expect(await importText(event.id, good, "seeds")).toEqual({ ok: true, imported: 3 });
    const seeds = await db
      .select({ userId: registrations.userId, seed: registrations.seed })
      .from(registrations)
      .where(
        and(
          eq(registrations.eventId, event.id),
          inArray(
            registrations.userId,
            list.map((p) => p.id),
          ),
          eq(registrations.status, "confirmed"),
        ),
      );
    expect(new Map(seeds.map((r) => [r.userId, r.seed]))).toEqual(new Map(list.slice(0, 3).map((p, i) => [p.id, 3 - i])));
    expect(await seatsOf(event.id)).toBe(3);

    // Swapping two seeds in one file works; taking the seed of a player left out does not.
    expect(await importText(event.id, csv("email,seed", `${list[0]!.email},1`, `${list[2]!.email},3`), "seeds")).toEqual({
      ok: true,
      imported: 2,
    });
    expect(failed(await importText(event.id, csv("email,seed", `${list[0]!.email},2`), "seeds"))).toEqual([
      { row: 1, column: "seed", message: "Seed 2 already belongs to a confirmed player who is not in this file." },
    ]);
    expect(await messageOf(importText(event.id, csv("email", list[0]!.email), "seeds"))).toMatch(/header email,seed/);
  });

  it("someone else's event is FORBIDDEN", async () => {
    const event = await createEvent();
    const [player] = await players(1);
    expect(await codeOf(importText(event.id, csv("email,seed", `${player!.email},1`), "seeds", otherOrganizer))).toBe("FORBIDDEN");
  });
});
