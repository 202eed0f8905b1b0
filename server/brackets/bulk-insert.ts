/**
 * A new bracket's rows written in bulk with COPY (a 16,384-entrant bracket is 16,383 matches and
 * 16,384 entrants: bench:bracket), inside the transaction that starts the bracket.
 */
import { postgresClient, type DbOrTx } from "@/db/client";
import type { EntrantId } from "./engine";
import type { StoredMatch } from "./repository";

type CopyValue = string | number | boolean | null;

/** COPY's text format: tab-separated, \N for null, backslash escapes. */
function copyField(value: CopyValue): string {
  if (value === null) return "\\N";
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : text;
}

/**
 * Bulk insert with COPY … FROM STDIN in the caller's transaction: for the tens of thousands of rows
 * a bracket starts with, several times faster than INSERT … SELECT from a JSON document.
 */
async function copyInto<T>(
  db: DbOrTx,
  table: string,
  columns: readonly string[],
  items: readonly T[],
  row: (item: T) => CopyValue[],
): Promise<void> {
  if (items.length === 0) return;
  const stream = await postgresClient(db)
    .unsafe(`copy ${table} (${columns.join(", ")}) from stdin`)
    .writable();
  const finished = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  const batch = 2_000;
  for (let start = 0; start < items.length; start += batch) {
    let text = "";
    const end = Math.min(items.length, start + batch);
    for (let i = start; i < end; i++) {
      const values = row(items[i]!);
      for (let j = 0; j < values.length; j++) text += (j === 0 ? "" : "\t") + copyField(values[j]!);
      text += "\n";
    }
    if (!stream.write(text)) await new Promise((resolve) => stream.once("drain", resolve));
  }
  stream.end();
  await finished;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** Inserts a new bracket's match rows (COPY). */
export async function insertMatches(tx: DbOrTx, bracketId: string, matches: readonly StoredMatch[]): Promise<void> {
  await copyInto(
    tx,
    "bracket_matches",
    [
      "bracket_id",
      "match_id",
      "id",
      "stage",
      "round",
      "position",
      "ordinal",
      "status",
      "best_of",
      "sides",
      "games",
      "result",
      "next_win",
      "next_lose",
      "played_if",
      "decided_by",
      "report_state",
      "resets",
      "called_at",
      "report_deadline",
    ],
    matches,
    (m) => [
      bracketId,
      m.id,
      m.uuid,
      m.stage,
      m.round,
      m.position,
      m.ordinal,
      m.status,
      m.bestOf,
      JSON.stringify(m.sides),
      JSON.stringify(m.games),
      json(m.result),
      json(m.nextWin),
      json(m.nextLose),
      json(m.playedIf),
      m.decidedBy,
      m.reportState,
      m.resets,
      m.calledAt,
      m.reportDeadline,
    ],
  );
}

export interface EntrantPlayerRow {
  entrantId: EntrantId;
  userId: string;
  registrationId: string;
  captain: boolean;
  seed: number;
  name: string;
  teamId: string | null;
}

/** Inserts a new bracket's entrants, one row per player (COPY). */
export async function insertEntrantRows(tx: DbOrTx, bracketId: string, rows: readonly EntrantPlayerRow[]): Promise<void> {
  await copyInto(
    tx,
    "bracket_entrants",
    ["bracket_id", "entrant_id", "user_id", "registration_id", "captain", "seed", "name", "team_id"],
    rows,
    (row) => [bracketId, row.entrantId, row.userId, row.registrationId, row.captain ? "t" : "f", row.seed, row.name, row.teamId],
  );
}
