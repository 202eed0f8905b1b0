/** Who may see an evidence file attached to a dispute: storage's question (server/storage/evidence-access.ts), answered here. */
import { sql } from "drizzle-orm";
import { hasRole } from "@/server/accounts/roles";
import { contestAudience } from "@/server/brackets/published";
import type { EvidenceAttachments } from "@/server/storage/evidence-access";

/**
 * Once a file is attached to a dispute, the players of both sides of that dispute's match, the
 * event's organizer and admins may see it (its uploader always may: storage checks that first).
 * A file attached to nothing stays private.
 */
export const disputeEvidenceAttachments: EvidenceAttachments = {
  async mayView(db, user, evidenceId) {
    const [attached] = await db.execute<{ dispute_id: string }>(
      sql`select dispute_id from dispute_evidence where evidence_id = ${evidenceId}`,
    );
    if (!attached) return false;
    const audience = await contestAudience(db, attached.dispute_id, user.id);
    if (!audience) return false;
    return audience.party || audience.organizerId === user.id || hasRole(user, "admin");
  },
};
