/**
 * A contested game taken back by the side that raised it (the disputes domain checks who may).
 * The bracket owns the contested game and the match's reporting state, so the bracket ends the one
 * and restores the other.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { Invalid } from "@/server/errors";
import { applyChange, isPlayable, type RowOverride } from "./changes";
import { loadForMatch } from "./operation";
import { evaluateReports, reportsOf } from "./reports";
import type { BracketHeader } from "./repository";

/**
 * Marks the contested game `disputeId` (game `gameNumber` of the match with engine id `matchId`)
 * withdrawn by `actorId` with `note`, in the caller's transaction, under the bracket's header lock
 * the caller holds (`header`). The match's reporting state goes back from `disputed` once no
 * contested game is left open on it; while the reports on a game still disagree the withdrawal is
 * refused (the game would have no way to be decided) and the caller's transaction rolls back.
 */
export async function withdrawContest(
  tx: DbOrTx,
  input: { header: BracketHeader; matchId: string; disputeId: string; gameNumber: number; actorId: string; note: string },
): Promise<void> {
  const { header } = input;
  await tx.execute(sql`update match_disputes set status = 'withdrawn', resolved_at = now(), resolved_by = ${input.actorId},
      resolution = ${JSON.stringify({ winnerSide: null, authority: null, note: input.note })}::jsonb
    where id = ${input.disputeId}`);

  const loaded = await loadForMatch(tx, header, input.matchId, 0);
  const { match } = loaded;
  const [{ open } = { open: 0 }] = await tx.execute<{ open: number }>(
    sql`select count(*)::int as open from match_disputes where match_id = ${match.uuid} and resets = ${match.resets} and status = 'open'`,
  );
  if (!(isPlayable(match.status) && match.reportState === "disputed" && open === 0)) return;
  const evaluation = evaluateReports(match, await reportsOf(tx, match), new Set(), false);
  if (evaluation.disputeGame !== null) {
    throw new Invalid(
      `The reports for game ${evaluation.disputeGame} still disagree: change your report to match, or leave the dispute to the organizer.`,
    );
  }
  // Agreeing reports confirm a game at once, so only the state changes here: no game is decided.
  const overrides = new Map<string, RowOverride>([[match.id, { reportState: evaluation.state }]]);
  await applyChange(tx, {
    header,
    loaded: loaded.rows,
    matches: [match],
    overrides,
    action: {
      kind: "report",
      actorId: input.actorId,
      matchId: match.id,
      detail: { disputeId: input.disputeId, gameNumber: input.gameNumber, withdrawn: true },
    },
  });
}
