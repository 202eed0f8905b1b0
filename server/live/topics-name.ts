// Browser-safe: loaded by client components; imports nothing server-only.
/** Live topic names: a kind and a UUID. Shared by the server and the browser hook. */
/** The kinds of topic; each has an access rule registered in server/composition.ts. */
export const LIVE_TOPIC_KINDS = ["event", "bracket", "match", "room", "user"] as const;

export type LiveTopicKind = (typeof LIVE_TOPIC_KINDS)[number];

export const LIVE_TOPIC = new RegExp(`^(${LIVE_TOPIC_KINDS.join("|")}):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);

export function isLiveTopic(topic: string): boolean {
  return LIVE_TOPIC.test(topic);
}

/** The NOTIFY channel every announcement goes to; the message is `{"topic","seq"}` only. */
export const LIVE_CHANNEL = "driftwood_live";
