/**
 * What the live hook needs from a transport (the built-in SSE one, or Firestore), and the one
 * change signal every transport raises when a status may have changed.
 */

/** `refused`: the server will not let this visitor follow the topic (signed out, not a member…). */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "refused";

export interface LiveMessage {
  topic: string;
  seq: number;
  payload: unknown;
}

export type LiveListener = (message: LiveMessage) => void;

export interface LiveTransport {
  /** Deliver `topic`'s new events to `listener` until the returned function is called. */
  follow(topic: string, listener: LiveListener): () => void;
  status(topic: string): LiveStatus;
  /** Whether a connection this transport holds is down and being retried. */
  anyReconnecting(): boolean;
}

const statusListeners = new Set<() => void>();

export function notifyStatus(): void {
  for (const listener of statusListeners) listener();
}

export function subscribeStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => {
    statusListeners.delete(listener);
  };
}

/** Topics only the signed-in members may read: a chat room, a user's wallet and notifications. */
export function isPrivateTopic(topic: string): boolean {
  return topic.startsWith("room:") || topic.startsWith("user:");
}
