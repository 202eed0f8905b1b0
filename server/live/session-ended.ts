import type { DbOrTx } from "@/db/client";
import { announce } from "./announce";

/** The payload kind on a user's topic that says their sessions ended (see accounts' endSessions). */
export const SESSIONS_ENDED = "sessions.ended";

export function userTopic(userId: string): `user:${string}` {
  return `user:${userId}`;
}

/** Registered by the composition root as accounts' sessions-ended hook: open streams close, open pages leave. */
export async function announceSessionsEnded(tx: DbOrTx, userId: string): Promise<void> {
  await announce(tx, userTopic(userId), { kind: SESSIONS_ENDED });
}

export function isSessionsEnded(payload: unknown): boolean {
  return typeof payload === "object" && payload !== null && (payload as { kind?: unknown }).kind === SESSIONS_ENDED;
}
