import type { Db } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { liftSuspension, suspendUser } from "@/server/accounts/suspensions";
import { suspensionEndInWords } from "@/server/accounts/suspension-code";
import { notify } from "@/server/notifications/service";
import type { liftSuspensionInput, SuspendUserInput } from "./schemas";
import type { z } from "zod";

/**
 * An admin suspends an account: accounts sets it and ends the sessions, and the player is told (in
 * the app and by email) once the one transaction commits.
 */
export async function suspendAccount(db: Db, admin: SessionUser, input: SuspendUserInput) {
  const now = new Date();
  return db.transaction(async (tx) => {
    const result = await suspendUser(tx, admin, input, now);
    const end = suspensionEndInWords(result.until);
    const body = `Your Driftwood account is suspended ${end}. Reason: ${result.reason}`;
    await notify(tx, {
      userId: result.user.id,
      dedupeKey: `account:${result.user.id}:suspended:${now.toISOString()}`,
      title: result.replaced ? "Your suspension was changed" : "Your account is suspended",
      body,
      email: {
        subject: result.replaced ? "Your Driftwood suspension was changed" : "Your Driftwood account is suspended",
        text: `Hello ${result.user.name},\n\n${body}\n\nWhile it lasts you cannot sign in; you were signed out on every device. If you think this is a mistake, reply to this email or contact support.\n`,
      },
    });
    return { userId: result.user.id, until: result.until, reason: result.reason, replaced: result.replaced };
  });
}

export async function liftAccountSuspension(db: Db, admin: SessionUser, input: z.infer<typeof liftSuspensionInput>) {
  const now = new Date();
  return db.transaction(async (tx) => {
    const result = await liftSuspension(tx, admin, input, now);
    const body = "Your Driftwood account is no longer suspended. You can sign in again.";
    await notify(tx, {
      userId: result.user.id,
      dedupeKey: `account:${result.user.id}:suspension-lifted:${now.toISOString()}`,
      title: "Your suspension was lifted",
      body,
      link: "/sign-in",
      email: { subject: "Your Driftwood suspension was lifted", text: `Hello ${result.user.name},\n\n${body}\n` },
    });
    return { userId: result.user.id };
  });
}
