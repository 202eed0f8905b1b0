import type { SessionUser } from "./roles";

/** Who may follow `user:<id>` (registered in server/composition.ts): that user alone, for good (their wallet, their notifications). */
export function mayFollowUserTopic(_db: unknown, user: SessionUser | null, userId: string): boolean {
  return user?.id === userId;
}
