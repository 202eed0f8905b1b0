/**
 * The match page: the bracket's match (server/brackets/read.ts) with its disputes and one trail of
 * bracket actions and dispute steps. Disputes sit above brackets, so the page that shows both is
 * put together here.
 */
import type { Db } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { contestsOfMatch } from "@/server/brackets/published";
import { bracketMatchPage } from "@/server/brackets/read";
import { disputeSteps, mergeTrail, outsiderDispute, outsiderTrail } from "./read";

/**
 * One match for its page: both sides with their players, games with dots, the deadline, the
 * reports (to the two sides and the organizer only), disputes, and the audit trail. The match's
 * players and its organizer see reports and what a dispute says; everyone else sees that a
 * dispute happened and how it ended.
 */
export async function getMatch(db: Db, viewer: SessionUser | null, matchUuid: string) {
  const { actions, seesReports, viewer: viewerOfMatch, ...match } = await bracketMatchPage(db, viewer, matchUuid);
  const disputes = await contestsOfMatch(db, matchUuid);
  // Dispute statements, evidence, withdrawal and closing live in the dispute tables; raising and
  // resolving are bracket actions. One trail, oldest first.
  const trail = mergeTrail(actions, await disputeSteps(db, disputes));
  return {
    ...match,
    disputes: disputes.map((row) => {
      const dispute = {
        id: row.id,
        gameNumber: row.gameNumber,
        status: row.status,
        side: row.side,
        reason: row.reason,
        createdAt: row.createdAt,
        resolution: row.resolution,
      };
      return seesReports ? dispute : outsiderDispute(dispute);
    }),
    audit: seesReports ? trail : outsiderTrail(trail),
    viewer: viewerOfMatch,
  };
}
