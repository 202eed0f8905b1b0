import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema/accounts";
import { auditLog } from "@/db/schema/platform";
import { Conflict, Forbidden, Invalid, NotFound } from "@/server/errors";
import type { SessionUser } from "./roles";
import { endSessions, suspensionInForce } from "./sessions";

/** Who a suspension was applied to or lifted from: enough for the caller to tell them. */
export interface SuspensionTarget {
  id: string;
  name: string;
  email: string;
}

async function lockTarget(tx: DbOrTx, userId: string) {
  const [target] = await tx
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      suspensionReason: users.suspensionReason,
    })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!target) throw new NotFound("That user does not exist.");
  return target;
}

/**
 * Suspends `userId` until `until` (null: no end date, a ban), inside the caller's transaction:
 * the columns are set, every session of theirs ends (streams close, cookies are refused) and the
 * audit log says who did it and why. Suspending a suspended account replaces its reason and end
 * (the audit row keeps the ones replaced). Admins are not suspended: demote them first.
 */
export async function suspendUser(
  tx: DbOrTx,
  actor: Pick<SessionUser, "id">,
  input: { userId: string; reason: string; until: Date | null },
  now = new Date(),
): Promise<{ user: SuspensionTarget; until: Date | null; reason: string; replaced: boolean }> {
  if (input.userId === actor.id) throw new Forbidden("You cannot suspend your own account.");
  const reason = input.reason.trim();
  if (!reason) throw new Invalid("Say why the account is suspended; the player is told.", { field: "reason" });
  if (input.until && input.until.getTime() <= now.getTime()) {
    throw new Invalid("The end of a suspension must be in the future.", { field: "until" });
  }
  const target = await lockTarget(tx, input.userId);
  if (target.role === "admin") {
    throw new Forbidden("Administrators cannot be suspended. Change their role first, then suspend them.");
  }
  const previous = suspensionInForce(target, now);
  await tx
    .update(users)
    .set({ suspendedAt: now, suspendedUntil: input.until, suspensionReason: reason, updatedAt: now })
    .where(eq(users.id, target.id));
  await endSessions(tx, target.id);
  await tx.insert(auditLog).values({
    actorId: actor.id,
    action: "user.suspended",
    targetUserId: target.id,
    details: {
      reason,
      until: input.until?.toISOString() ?? null,
      ...(previous ? { replaced: { reason: target.suspensionReason ?? "", until: previous.until?.toISOString() ?? null } } : {}),
    },
  });
  return { user: { id: target.id, name: target.name, email: target.email }, until: input.until, reason, replaced: previous !== null };
}

/**
 * Lifts the suspension on `userId` (one in force, or one whose end passed and was never cleared),
 * inside the caller's transaction, and audits it. The sessions ended by the suspension stay ended:
 * the player signs in again.
 */
export async function liftSuspension(
  tx: DbOrTx,
  actor: Pick<SessionUser, "id">,
  input: { userId: string; note?: string | undefined },
  now = new Date(),
): Promise<{ user: SuspensionTarget }> {
  const target = await lockTarget(tx, input.userId);
  if (!target.suspendedAt) throw new Conflict("That account is not suspended.");
  await tx
    .update(users)
    .set({ suspendedAt: null, suspendedUntil: null, suspensionReason: null, updatedAt: now })
    .where(eq(users.id, target.id));
  const note = input.note?.trim();
  await tx.insert(auditLog).values({
    actorId: actor.id,
    action: "user.suspension_lifted",
    targetUserId: target.id,
    details: {
      ...(note ? { note } : {}),
      reason: target.suspensionReason ?? "",
      until: target.suspendedUntil?.toISOString() ?? null,
      wasInForce: suspensionInForce(target, now) !== null,
    },
  });
  return { user: { id: target.id, name: target.name, email: target.email } };
}

/**
 * Sign out everywhere: every session of `userId` ends, the calling one included, and the audit log
 * keeps a line of it (the actor is the user themselves). Inside the caller's transaction.
 */
export async function signOutEverywhere(tx: DbOrTx, userId: string): Promise<void> {
  await endSessions(tx, userId);
  await tx.insert(auditLog).values({ actorId: userId, action: "account.signed_out_everywhere", targetUserId: userId, details: {} });
}
