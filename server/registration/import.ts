import { and, eq, like, sql } from "drizzle-orm";
import { takeSeats } from "@/server/events/seats";
import { parse as parseCsv, type Options as CsvParseOptions } from "csv-parse/stream";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { pgErrorCode } from "@/db/errors";
import type { EventRow } from "@/server/events/status";
import { registrations } from "@/db/schema/registration";
import { usersByEmails } from "@/server/accounts/directory";
import { ACTIVE_REGISTRATION } from "@/db/schema/registration";
import type { SessionUser } from "@/server/accounts/roles";
import { Conflict, Invalid } from "@/server/errors";
import { lockOwnEvent } from "@/server/events/service";
import { notify } from "@/server/notifications/service";
import { announceRegistrations } from "./lifecycle";

export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 10_000;
export const importTooLarge = (maxBytes = IMPORT_MAX_BYTES) =>
  `That file is larger than ${maxBytes / 1024 / 1024} MB. Split it into smaller files.`;
/**
 * Characters in one record (row) of the file: an email and a seed need under 300; the rest allows
 * a spreadsheet's extra columns (ignored). Past it the row is reported and its fields from there on
 * are dropped. (While a record is read it is held whole; the file's size limit bounds that.)
 */
export const IMPORT_MAX_ROW_CHARS = 2_000;

export const importModes = ["participants", "seeds"] as const;
export type ImportMode = (typeof importModes)[number];

/** One problem in the file. `row` counts data rows from 1 (the header is not a row). */
export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export type ImportResult = { ok: true; imported: number } | { ok: false; errors: ImportRowError[] };

const badRequest = (message: string) => new Invalid(message);

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180) by csv-parse, read as the bytes arrive, so a 2 MB file is never held as one string.

export interface CsvRecord {
  /** The fields, up to the one where a problem starts: fields from there on were not read. */
  fields: string[];
  /** Why the record is not well-formed CSV, and in which field. */
  problem: { field: number; message: string } | null;
}

/**
 * Quoted fields may hold commas, line breaks and doubled quotes; lines end in CRLF, LF or CR, mixed
 * as they come. A stray quote inside an unquoted field is kept as text, as spreadsheets do, and so
 * is text after a closing quote (`"a"b` reads `"a"b`, which the email and seed checks then refuse).
 * The one error left, a quote never closed, ends the file: it is reported, not thrown.
 */
const csvOptions = {
  bom: true,
  record_delimiter: ["\r\n", "\n", "\r"],
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
} satisfies CsvParseOptions;

/**
 * The records of a UTF-8 CSV stream, read piece by piece. Refuses (and stops reading) past
 * `maxBytes`; undecodable bytes are refused too, because a wrongly decoded email would only
 * produce confusing row errors. A record longer than `maxRowChars` keeps only its fields before
 * the limit, and says so.
 */
export async function* csvRecords(
  stream: ReadableStream<Uint8Array>,
  { maxBytes = IMPORT_MAX_BYTES, maxRowChars = IMPORT_MAX_ROW_CHARS } = {},
): AsyncGenerator<CsvRecord> {
  // With these options only a quote never closed is skipped, and only at the end of the file.
  const skipped: CsvRecord[] = [];
  const parser = parseCsv({
    ...csvOptions,
    on_skip: (error) => {
      const field = typeof error?.column === "number" ? error.column : 0;
      const message =
        error?.code === "CSV_QUOTE_NOT_CLOSED" ? 'A quoted field is never closed: a closing " is missing.' : "This row is not valid CSV.";
      skipped.push({ fields: [], problem: { field, message } });
      return undefined;
    },
  });
  const reader = (stream.pipeThrough(checkedUtf8(maxBytes)).pipeThrough(parser) as ReadableStream<string[]>).getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield limitedRecord(value, maxRowChars);
    }
    yield* skipped;
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Characters of a record: its fields and the commas between them. */
function limitedRecord(fields: string[], maxRowChars: number): CsvRecord {
  let length = -1;
  for (let i = 0; i < fields.length; i++) {
    length += fields[i]!.length + 1;
    if (length > maxRowChars) {
      const message = `This row is longer than ${maxRowChars.toLocaleString("en-US")} characters.`;
      return { fields: fields.slice(0, i), problem: { field: i, message } };
    }
  }
  return { fields, problem: null };
}

/** The bytes as they came, once counted against `maxBytes` and checked to be UTF-8. */
function checkedUtf8(maxBytes: number): TransformStream<Uint8Array, Buffer> {
  // Only a check: csv-parse reads the bytes themselves (and drops a leading byte-order mark, which Excel writes).
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let bytes = 0;
  return new TransformStream({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) throw badRequest(importTooLarge(maxBytes));
      decode(decoder, chunk, true);
      controller.enqueue(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    flush() {
      decode(decoder, undefined, false);
    },
  });
}

function decode(decoder: TextDecoder, bytes: Uint8Array | undefined, stream: boolean): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch {
    throw badRequest('That file is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.');
  }
}

// ---------------------------------------------------------------------------------------------
// Rows: what each line of the file asks for, checked on its own as it is read.

interface ImportRow {
  row: number;
  /** Lower-cased; null when the cell is not a usable address (an error is already recorded). */
  email: string | null;
  seed: number | null;
}

const emailSchema = z.email();

const requiredColumns: Record<ImportMode, string[]> = { participants: ["email"], seeds: ["email", "seed"] };

function headerColumns(record: CsvRecord, mode: ImportMode): { email: number; seed: number; names: string[] } {
  const names = record.fields.map((name) => name.trim().toLowerCase());
  const expected = mode === "seeds" ? "email,seed" : "email (and optionally seed)";
  for (const column of ["email", "seed"]) {
    if (names.filter((name) => name === column).length > 1) throw badRequest(`The header names the "${column}" column twice.`);
  }
  const missing = requiredColumns[mode].filter((column) => !names.includes(column));
  if (record.problem || missing.length > 0) {
    const first = record.fields.join(",").slice(0, 80);
    throw badRequest(`The first line must be the header ${expected}; this file starts with "${first}".`);
  }
  return { email: names.indexOf("email"), seed: names.indexOf("seed"), names };
}

async function readRows(stream: ReadableStream<Uint8Array>, mode: ImportMode, capacity: number) {
  const rows: ImportRow[] = [];
  const errors: ImportRowError[] = [];
  const rowOfEmail = new Map<string, number>();
  const rowOfSeed = new Map<number, number>();
  let header: ReturnType<typeof headerColumns> | null = null;

  for await (const record of csvRecords(stream)) {
    if (!header) {
      header = headerColumns(record, mode);
      continue;
    }
    const row = rows.length + 1;
    if (row > IMPORT_MAX_ROWS) {
      throw badRequest(`That file has more than ${IMPORT_MAX_ROWS.toLocaleString("en-US")} rows. Split it into smaller files.`);
    }
    const fail = (column: string, message: string) => errors.push({ row, column, message });
    const columnName = (index: number) => header!.names[index] || `column ${index + 1}`;

    if (record.problem) fail(columnName(record.problem.field), record.problem.message);
    const extra = record.fields.slice(header.names.length).findIndex((value) => value.trim() !== "");
    if (extra >= 0) fail(columnName(header.names.length + extra), `This row has more fields than the header (${header.names.length}).`);

    // A column the parser could not read is reported once, by the record's problem above.
    const unread = (index: number) => record.problem !== null && index >= record.fields.length;
    const emailText = (record.fields[header.email] ?? "").trim();
    let email: string | null = null;
    if (emailText === "") {
      if (!unread(header.email)) fail("email", "An email address is required.");
    } else if (!emailSchema.safeParse(emailText).success) fail("email", `"${emailText.slice(0, 100)}" is not a valid email address.`);
    else {
      email = emailText.toLowerCase();
      const earlier = rowOfEmail.get(email);
      if (earlier) fail("email", `This email is already on row ${earlier}.`);
      else rowOfEmail.set(email, row);
    }

    const seedText = header.seed >= 0 ? (record.fields[header.seed] ?? "").trim() : "";
    let seed: number | null = null;
    if (seedText === "") {
      if (mode === "seeds" && !unread(header.seed)) fail("seed", "A seed is required.");
    } else if (!/^\d+$/.test(seedText) || Number(seedText) < 1 || Number(seedText) > capacity) {
      fail("seed", `The seed must be a whole number from 1 to ${capacity} (the event's capacity).`);
    } else {
      seed = Number(seedText);
      const earlier = rowOfSeed.get(seed);
      if (earlier) fail("seed", `Seed ${seed} is already on row ${earlier}.`);
      else rowOfSeed.set(seed, row);
    }
    rows.push({ row, email, seed });
  }

  if (!header) throw badRequest("That file is empty. The first line must be the header.");
  if (rows.length === 0) throw badRequest("That file has a header but no rows under it.");
  return { rows, errors };
}

// ---------------------------------------------------------------------------------------------
// Checks against the database, made under the event's lock so they still hold when we write.

const activeLabel: Record<string, string> = {
  pending_payment: "paying for an entry",
  confirmed: "confirmed",
  waitlisted: "on the waitlist",
  offered: "offered a seat",
};

interface Checked {
  errors: ImportRowError[];
  /** Per row (valid rows only): the player, and for seeds their registration. */
  players: Map<number, { userId: string; registrationId: string | null }>;
}

async function checkAgainstDatabase(tx: DbOrTx, event: EventRow, rows: ImportRow[], mode: ImportMode): Promise<Checked> {
  const errors: ImportRowError[] = [];
  const players: Checked["players"] = new Map();
  const emails = rows.flatMap((r) => (r.email ? [r.email] : []));
  const found = emails.length === 0 ? [] : await usersByEmails(tx, emails);
  const userOfEmail = new Map(found.map((u) => [u.email, u.id]));
  const active = await tx
    .select({ id: registrations.id, userId: registrations.userId, status: registrations.status, seed: registrations.seed })
    .from(registrations)
    .where(and(eq(registrations.eventId, event.id), sql`${registrations.status} in ${ACTIVE_REGISTRATION}`));
  const activeOfUser = new Map(active.map((r) => [r.userId, r]));

  for (const row of rows) {
    if (!row.email) continue;
    const userId = userOfEmail.get(row.email);
    if (!userId) {
      errors.push({ row: row.row, column: "email", message: "No Driftwood account uses this email." });
      continue;
    }
    const entry = activeOfUser.get(userId);
    if (mode === "participants") {
      if (entry)
        errors.push({ row: row.row, column: "email", message: `This player is already in the event (${activeLabel[entry.status]}).` });
      else players.set(row.row, { userId, registrationId: null });
    } else if (entry?.status !== "confirmed") {
      const why = entry ? ` (they are ${activeLabel[entry.status]})` : "";
      errors.push({ row: row.row, column: "email", message: `This player has no confirmed entry in the event${why}.` });
    } else players.set(row.row, { userId, registrationId: entry.id });
  }

  // A seed the file gives must not belong to a confirmed player the file leaves as they are.
  const inFile = new Set([...players.values()].map((p) => p.userId));
  const seedHolders = new Map(
    active.filter((r) => r.status === "confirmed" && r.seed !== null && !inFile.has(r.userId)).map((r) => [r.seed!, r.userId]),
  );
  for (const row of rows) {
    if (row.seed !== null && seedHolders.has(row.seed)) {
      errors.push({
        row: row.row,
        column: "seed",
        message: `Seed ${row.seed} already belongs to a confirmed player who is not in this file.`,
      });
    }
  }

  if (mode === "participants") {
    const left = event.capacity - event.seatsTaken;
    if (rows.length > left) {
      errors.push({
        row: rows[left]!.row,
        column: "email",
        message: `Only ${left} ${left === 1 ? "seat is" : "seats are"} left, and this file adds ${rows.length} participants: from this row on they do not fit. Remove ${rows.length - left} rows or raise the capacity.`,
      });
    }
  }
  return { errors, players };
}

function assertImportable(event: EventRow, mode: ImportMode) {
  if (event.status === "cancelled" || event.status === "completed")
    throw badRequest(`This event is ${event.status}: nothing can be imported.`);
  if (mode === "participants" && event.participantType === "team") {
    throw badRequest("This is a team event: teams register through their captains, so participants cannot be imported.");
  }
}

const byRowThenColumn = (a: ImportRowError, b: ImportRowError) => a.row - b.row || a.column.localeCompare(b.column);

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * Imports an organizer's CSV of participants (`email[,seed]`) or seeds (`email,seed`) into their
 * event: every row is checked, and either all rows are written, in one transaction, or none.
 * Imported participants are confirmed free entries (fee 0): the organizer collects money elsewhere.
 */
export async function importParticipantsCsv(
  db: Db,
  actor: SessionUser,
  eventId: string,
  stream: ReadableStream<Uint8Array>,
  mode: ImportMode,
): Promise<ImportResult> {
  // Authorize before reading the upload, so a stranger's file is never parsed.
  let event: EventRow;
  try {
    event = await db.transaction((tx) => lockOwnEvent(tx, actor, eventId));
    assertImportable(event, mode);
  } catch (error) {
    await stream.cancel().catch(() => {});
    throw error;
  }

  // Read the whole file before taking the lock: an upload can be slow, a lock must not be.
  const parsed = await readRows(stream, mode, event.capacity);

  try {
    return await db.transaction(async (tx): Promise<ImportResult> => {
      const locked = await lockOwnEvent(tx, actor, eventId);
      assertImportable(locked, mode);
      const checked = await checkAgainstDatabase(tx, locked, parsed.rows, mode);
      const errors = [...parsed.errors, ...checked.errors].sort(byRowThenColumn);
      // Nothing has been written in this transaction yet, so returning here leaves the database as it was.
      if (errors.length > 0) return { ok: false, errors };

      if (mode === "seeds") {
        for (const part of chunks(parsed.rows, 1_000)) {
          const values = sql.join(
            part.map((row) => sql`(${checked.players.get(row.row)!.registrationId}::uuid, ${row.seed}::int)`),
            sql`, `,
          );
          await tx.execute(
            sql`update ${registrations} set seed = v.seed from (values ${values}) as v(id, seed) where ${registrations.id} = v.id`,
          );
        }
        return { ok: true, imported: parsed.rows.length };
      }

      const userIds = parsed.rows.map((row) => checked.players.get(row.row)!.userId);
      const keys = await importKeys(tx, locked.id, userIds);
      const confirmedAt = new Date();
      const inserted: { id: string; userId: string }[] = [];
      for (const part of chunks(parsed.rows, 1_000)) {
        inserted.push(
          ...(await tx
            .insert(registrations)
            .values(
              part.map((row) => {
                const userId = checked.players.get(row.row)!.userId;
                return {
                  eventId: locked.id,
                  userId,
                  status: "confirmed" as const,
                  idempotencyKey: keys.get(userId)!,
                  fee: 0,
                  seed: row.seed,
                  confirmedAt,
                };
              }),
            )
            .returning({ id: registrations.id, userId: registrations.userId })),
        );
      }
      if (!(await takeSeats(tx, locked.id, { count: inserted.length })))
        throw new Conflict("The event filled up during the import. Nothing was imported.");
      await announceRegistrations(tx, locked.id);
      for (const part of chunks(inserted, 200)) {
        await Promise.all(
          part.map((entry) =>
            notify(tx, {
              userId: entry.userId,
              dedupeKey: `registration:${entry.id}:confirmed`,
              title: `You're in: ${locked.name}`,
              body: "The organizer added you to the event. Your entry is confirmed.",
              link: `/events/${locked.id}`,
              email: {
                subject: `You were added to ${locked.name}`,
                text: `The organizer of ${locked.name} added you to the event; your entry is confirmed. Check-in opens ${locked.checkInOpensAt.toUTCString()}.`,
              },
            }),
          ),
        );
      }
      return { ok: true, imported: inserted.length };
    });
  } catch (error) {
    // A player registering themselves in the same instant: their entry won, this import wrote nothing.
    const code = pgErrorCode(error);
    if (code === "23505" || code === "40P01") {
      throw new Conflict("Someone registered for the event during the import. Nothing was imported: upload the file again.");
    }
    throw error;
  }
}

/**
 * `import:<eventId>:<userId>`, or with `:2`, `:3`… for a player imported before who has since
 * left the event, because an idempotency key is unique forever.
 */
async function importKeys(tx: DbOrTx, eventId: string, userIds: string[]): Promise<Map<string, string>> {
  const base = (userId: string) => `import:${eventId}:${userId}`;
  const earlier = await tx
    .select({ userId: registrations.userId, key: registrations.idempotencyKey })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), like(registrations.idempotencyKey, `import:${eventId}:%`)));
  const used = new Set(earlier.map((r) => r.key));
  return new Map(
    userIds.map((userId) => {
      let key = base(userId);
      for (let n = 2; used.has(key); n++) key = `${base(userId)}:${n}`;
      return [userId, key];
    }),
  );
}
