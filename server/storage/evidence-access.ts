import type { DbOrTx } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { globalRegistry } from "@/server/registry";

/**
 * What storage asks about an evidence file that is not the viewer's own: whether what it is
 * attached to lets `user` see it. Disputes attach evidence and sit above storage, so they answer
 * (server/disputes/evidence-access.ts) through the composition root (server/composition.ts):
 * storage never imports disputes or brackets.
 */
export interface EvidenceAttachments {
  /** Whether `user` may see the file through what it is attached to; false when it is attached to nothing. */
  mayView(db: DbOrTx, user: Pick<SessionUser, "id" | "role">, evidenceId: string): Promise<boolean>;
}

const answers = globalRegistry<"attachments", EvidenceAttachments>("driftwoodEvidenceAttachments", "storage question");

/** Registers who answers storage's question about attached evidence; called by the composition root only. */
export function registerEvidenceAttachments(attachments: EvidenceAttachments): void {
  answers.register("attachments", attachments);
}

/** The answers; an Internal error when nobody registered them (the composition was not loaded). */
export function evidenceAttachments(): EvidenceAttachments {
  return answers.get("attachments");
}
