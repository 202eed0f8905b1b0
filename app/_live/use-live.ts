"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef, useSyncExternalStore } from "react";

export type LiveStatus = "connecting" | "live" | "reconnecting";

export interface LiveMessage {
  topic: string;
  seq: number;
  payload: unknown;
}

type Listener = (message: LiveMessage) => void;

/** One EventSource per topic, shared by every component following it. */
interface Connection {
  topic: string;
  source: EventSource | null;
  status: LiveStatus;
  /** The last SSE id seen, to resume with `?after=` when we have to open a new EventSource. */
  lastId: string;
  listeners: Set<Listener>;
  users: number;
  retry: ReturnType<typeof setTimeout> | undefined;
}

const connections = new Map<string, Connection>();
const statusListeners = new Set<() => void>();
const RETRY_MS = 5_000;

function notifyStatus() {
  for (const listener of statusListeners) listener();
}

function setStatus(connection: Connection, status: LiveStatus) {
  if (connection.status === status) return;
  connection.status = status;
  notifyStatus();
}

function open(connection: Connection) {
  const params = new URLSearchParams({ topics: connection.topic });
  if (connection.lastId) params.set("after", connection.lastId);
  const source = new EventSource(`/api/live?${params}`);
  connection.source = source;
  const remember = (event: MessageEvent) => {
    if (event.lastEventId) connection.lastId = event.lastEventId;
  };
  source.addEventListener("open", () => setStatus(connection, "live"));
  source.addEventListener("ready", (event) => {
    remember(event as MessageEvent);
    setStatus(connection, "live");
  });
  source.addEventListener("live", (event) => {
    const message = event as MessageEvent<string>;
    remember(message);
    let parsed: LiveMessage;
    try {
      parsed = JSON.parse(message.data) as LiveMessage;
    } catch {
      return;
    }
    for (const listener of connection.listeners) listener(parsed);
  });
  source.addEventListener("error", () => {
    setStatus(connection, "reconnecting");
    // The browser retries by itself (sending Last-Event-ID) unless the connection failed for good,
    // e.g. an error response; then open a new one later, resuming from the last id we saw.
    if (source.readyState === EventSource.CLOSED && connection.users > 0 && connection.source === source) {
      connection.source = null;
      connection.retry = setTimeout(() => {
        connection.retry = undefined;
        if (connection.users > 0) open(connection);
      }, RETRY_MS);
    }
  });
}

function acquire(topic: string): Connection {
  let connection = connections.get(topic);
  if (!connection) {
    connection = { topic, source: null, status: "connecting", lastId: "", listeners: new Set(), users: 0, retry: undefined };
    connections.set(topic, connection);
    open(connection);
    notifyStatus();
  }
  connection.users += 1;
  return connection;
}

function release(connection: Connection) {
  connection.users -= 1;
  if (connection.users > 0) return;
  connection.source?.close();
  connection.source = null;
  if (connection.retry) clearTimeout(connection.retry);
  connections.delete(connection.topic);
  notifyStatus();
}

function subscribeStatus(listener: () => void) {
  statusListeners.add(listener);
  return () => {
    statusListeners.delete(listener);
  };
}

/** Whether any live connection on the page is currently reconnecting. */
export function useAnyReconnecting(): boolean {
  return useSyncExternalStore(
    subscribeStatus,
    () => [...connections.values()].some((c) => c.status === "reconnecting"),
    () => false,
  );
}

/**
 * Follow a live topic (event:<id>, user:<id>, …) over Server-Sent Events. On each event the queries
 * under `invalidate` (TanStack Query key prefixes, e.g. `trpc.events.get.queryKey({ eventId })`) are
 * refetched, so the page re-renders without a refresh, and `onEvent` is called.
 */
export function useLive(
  topic: string | null,
  options: { invalidate?: readonly QueryKey[]; onEvent?: (message: LiveMessage) => void } = {},
): { status: LiveStatus } {
  const queryClient = useQueryClient();
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    if (!topic || typeof EventSource === "undefined") return;
    const connection = acquire(topic);
    const listener: Listener = (message) => {
      for (const queryKey of latest.current.invalidate ?? []) void queryClient.invalidateQueries({ queryKey });
      latest.current.onEvent?.(message);
    };
    connection.listeners.add(listener);
    return () => {
      connection.listeners.delete(listener);
      release(connection);
    };
  }, [topic, queryClient]);

  const status = useSyncExternalStore(
    subscribeStatus,
    () => (topic ? (connections.get(topic)?.status ?? "connecting") : "connecting"),
    () => "connecting" as const,
  );
  return { status };
}
