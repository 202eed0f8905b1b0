import type { DbOrTx } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { globalRegistry } from "@/server/registry";
import { isLiveTopic, type LiveTopicKind } from "./topics-name";

/**
 * Who may follow the topics of one kind: `id` is the UUID after `<kind>:`, `user` null when signed
 * out. The domain that owns what a kind shows decides (events their events, brackets their brackets
 * and matches, chat its rooms, accounts a user's own topic) and contributes its rule through
 * server/composition.ts: live never imports them.
 */
export type TopicAccessRule = (db: DbOrTx, user: SessionUser | null, id: string) => Promise<boolean> | boolean;

const rules = globalRegistry<LiveTopicKind, TopicAccessRule>("driftwoodLiveTopicAccess", "live topic kind");

/** Registers a domain's rules by topic kind; called by the composition root only. */
export function registerTopicAccess(domainRules: Partial<Record<LiveTopicKind, TopicAccessRule>>): void {
  for (const [kind, rule] of Object.entries(domainRules) as [LiveTopicKind, TopicAccessRule][]) rules.register(kind, rule);
}

/** The topic kinds that have a rule in this process. */
export function registeredTopicKinds(): LiveTopicKind[] {
  return rules.keys();
}

/**
 * Whether `user` (null: signed out) may follow `topic`, as the rule registered for its kind says.
 * A malformed topic is refused; a kind with no rule is never allowed: it throws (an Internal error
 * naming the kind), which refuses the stream, so a composition root that was not loaded is found.
 */
export async function canSubscribe(db: DbOrTx, user: SessionUser | null, topic: string): Promise<boolean> {
  if (!isLiveTopic(topic)) return false;
  const separator = topic.indexOf(":");
  const rule = rules.get(topic.slice(0, separator) as LiveTopicKind);
  return (await rule(db, user, topic.slice(separator + 1))) === true;
}
