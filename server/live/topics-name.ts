/** Live topic names: a kind and a UUID. Shared by the server and the browser hook. */
export const LIVE_TOPIC = /^(event|bracket|match|room|user):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type LiveTopicKind = "event" | "bracket" | "match" | "room" | "user";

export function isLiveTopic(topic: string): boolean {
  return LIVE_TOPIC.test(topic);
}

/** The NOTIFY channel every announcement goes to; the message is `{"topic","seq"}` only. */
export const LIVE_CHANNEL = "driftwood_live";
