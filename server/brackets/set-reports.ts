/**
 * Reporting a whole set at once: a side's captain gives the winner of every game from game 1 (the
 * series score follows), in one action and one transaction. The set is written as that side's game
 * reports, so everything reports.ts says holds: the other side reporting (or confirming) the same
 * winners confirms every game by agreement and the match advances; a different winner opens a
 * dispute on that game; a later report (a set or a game) replaces the earlier one until confirmed.
 *
 * Confirming is reporting the other side's set as one's own, checked against what the confirming
 * player saw: if the other side changed its report meanwhile, nothing is recorded (Conflict).
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { Conflict, Invalid } from "@/server/errors";
import { lockMatchForChange } from "./access";
import { isPlayable } from "./changes";
import type { Side } from "./engine";
import { loadForMatch } from "./operation";
import { evaluateReports, openDisputesOf, reportingSide, reportsOf, settleEvaluation, type Settled } from "./reports";
import { setProblem } from "./set-rules";
import { matchSummary } from "./summary";

export { setProblem };

export interface ReportSetInput {
  matchId: string;
  /** The winner of each game, game 1 first. */
  winners: Side[];
}

async function writeSet(db: Db, user: SessionUser, input: ReportSetInput, confirming: boolean): Promise<Settled & { unchanged?: true }> {
  return db.transaction(async (tx) => {
    const { ref, header } = await lockMatchForChange(tx, input.matchId);
    const loaded = await loadForMatch(tx, header, ref.matchId);
    const { match } = loaded;
    const side = await reportingSide(tx, header.id, match, user.id);
    if (!isPlayable(match.status)) {
      throw new Invalid(match.result ? "This match is already decided." : "This match is not ready: both sides are not known yet.");
    }
    const winners = input.winners;
    const reports = await reportsOf(tx, match);
    const open = (from: Side) =>
      reports
        .filter((report) => report.side === from && report.gameNumber > match.games.length)
        .sort((a, b) => a.gameNumber - b.gameNumber);
    if (confirming) {
      const theirs = [...match.games.map((game) => game.winner), ...open(side === 0 ? 1 : 0).map((report) => report.winnerSide)];
      const contiguous = open(side === 0 ? 1 : 0).every((report, i) => report.gameNumber === match.games.length + i + 1);
      if (!contiguous || setProblem(match.bestOf, theirs) !== null)
        throw new Invalid("The other side has not reported a whole set to confirm.");
      if (theirs.length !== winners.length || theirs.some((winner, i) => winner !== winners[i])) {
        throw new Conflict("The other side changed its report: look at it again before confirming.");
      }
    } else {
      const problem = setProblem(match.bestOf, winners);
      if (problem) throw new Invalid(problem, { field: "winners" });
    }
    match.games.forEach((game, i) => {
      if (winners[i] !== game.winner) {
        throw new Invalid(`Game ${i + 1} is already confirmed the other way. If it is wrong, open a dispute.`, { field: "winners" });
      }
    });
    const mine = open(side);
    const rest = winners.slice(match.games.length);
    if (mine.length === rest.length && mine.every((report, i) => report.winnerSide === rest[i] && report.score === null)) {
      // The same set again (a retry, a double click): nothing to write.
      return { state: match.reportState, confirmed: 0, disputeId: null, match: matchSummary(match), unchanged: true };
    }
    const rows = rest.map((winner, i) => ({ game: match.games.length + i + 1, winner }));
    await tx.execute(sql`
      insert into match_reports (match_id, resets, game_number, side, reporter_id, winner_side, score)
      select ${match.uuid}, ${match.resets}, r.game, ${side}, ${user.id}, r.winner, null
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(game int, winner int)
      on conflict (match_id, resets, game_number, side) do update
        set winner_side = excluded.winner_side, score = null, reporter_id = excluded.reporter_id, updated_at = now()`);
    await tx.execute(sql`
      delete from match_reports where match_id = ${match.uuid} and resets = ${match.resets} and side = ${side} and game_number > ${winners.length}`);
    const [now, disputes] = [await reportsOf(tx, match), await openDisputesOf(tx, match)];
    const evaluation = evaluateReports(match, now, new Set(disputes.map((dispute) => dispute.gameNumber)), false);
    return settleEvaluation(tx, ref, loaded, evaluation, disputes, {
      actorId: user.id,
      atDeadline: false,
      detail: { set: winners, side, ...(confirming ? { confirmedSet: true } : {}) },
    });
  });
}

/** A side reports the whole set (see the module comment); the same set again changes nothing. */
export function reportSet(db: Db, user: SessionUser, input: ReportSetInput) {
  return writeSet(db, user, input, false);
}

/** The other side's reported set, confirmed as the confirming player saw it (`winners`). */
export function confirmSet(db: Db, user: SessionUser, input: ReportSetInput) {
  return writeSet(db, user, input, true);
}
