"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef, useSyncExternalStore } from "react";
import { clearEndedSession } from "@/app/actions";
import { useTRPCClient } from "@/app/_trpc/react";
import type { FirebaseTokenResult, FirebaseWebConfig } from "./firestore-transport";
import { createSseTransport } from "./sse-transport";
import { notifyStatus, subscribeStatus, type LiveListener, type LiveMessage, type LiveStatus, type LiveTransport } from "./transport";

export type { LiveMessage, LiveStatus };

/**
 * Firestore's public web config, inlined at build time. With it the page follows topics through
 * Firestore snapshot listeners (the server's job writes `live/<topic>`); without it, through the
 * built-in Server-Sent Events.
 */
const firebaseWebConfig: FirebaseWebConfig | null =
  process.env.NEXT_PUBLIC_FIREBASE_PROJECT_ID && process.env.NEXT_PUBLIC_FIREBASE_API_KEY
    ? {
        projectId: process.env.NEXT_PUBLIC_FIREBASE_PROJECT_ID,
        apiKey: process.env.NEXT_PUBLIC_FIREBASE_API_KEY,
        authDomain: process.env.NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN || `${process.env.NEXT_PUBLIC_FIREBASE_PROJECT_ID}.firebaseapp.com`,
        firestoreEmulatorHost: process.env.NEXT_PUBLIC_FIRESTORE_EMULATOR_HOST || undefined,
        authEmulatorUrl: process.env.NEXT_PUBLIC_FIREBASE_AUTH_EMULATOR_URL || undefined,
      }
    : null;

let sse: (LiveTransport & { close(): void; resume(): void }) | undefined;
function sseTransport(): LiveTransport {
  return (sse ??= createSseTransport({ EventSource, fetch: (...args) => fetch(...args), onEnded: sessionEnded }));
}

/** The payload on a user's topic that says their sessions ended (server/live/session-ended.ts). */
function isSessionsEnded(payload: unknown): boolean {
  return typeof payload === "object" && payload !== null && (payload as { kind?: unknown }).kind === "sessions.ended";
}

let ending = false;
/**
 * This browser's session may have ended (another device signed out everywhere, an admin suspended
 * the account). The session that caused it may have been renewed a moment later (a password change
 * keeps the device that made it signed in), so ask the server once it had time to: still signed in,
 * carry on; otherwise clear the cookie and go to sign-in, which says the user was signed out.
 */
function sessionEnded(): void {
  if (ending) return;
  ending = true;
  setTimeout(async () => {
    let signedIn = false;
    try {
      const response = await fetch("/api/trpc/account.currentSession", { cache: "no-store" });
      signedIn = response.ok;
    } catch {
      // Offline: treat it as ended; sign-in will say so.
    }
    if (signedIn) {
      ending = false;
      sse?.resume();
      return;
    }
    await clearEndedSession().catch(() => {});
    window.location.assign("/sign-in?signedOut=ended");
  }, 1_500);
}

/** The Firestore transport, loaded on first use so pages on SSE never download the Firebase SDK. */
let firestore: Promise<LiveTransport> | undefined;
let firestoreLoaded: LiveTransport | undefined;
let mintToken: (() => Promise<FirebaseTokenResult>) | undefined;

function firestoreTransport(config: FirebaseWebConfig): Promise<LiveTransport> {
  return (firestore ??= import("./firestore-transport")
    .then(({ createFirestoreTransport }) =>
      createFirestoreTransport(config, {
        fallback: sseTransport(),
        mintToken: () => (mintToken ? mintToken() : Promise.resolve({ enabled: false as const })),
      }),
    )
    .catch((error: unknown) => {
      // The SDK chunk failed to load (offline, a deploy replaced it): live updates still work over SSE.
      console.error(error);
      return sseTransport();
    })
    .then((transport) => {
      firestoreLoaded = transport;
      notifyStatus();
      return transport;
    }));
}

function currentTransport(): LiveTransport | undefined {
  return firebaseWebConfig ? firestoreLoaded : sse;
}

/** Whether any live connection on the page is currently reconnecting. */
export function useAnyReconnecting(): boolean {
  return useSyncExternalStore(
    subscribeStatus,
    () => Boolean(sse?.anyReconnecting() || (firestoreLoaded !== sse && firestoreLoaded?.anyReconnecting())),
    () => false,
  );
}

/**
 * Follow a live topic (event:<id>, user:<id>, …). On each event the queries under `invalidate`
 * (TanStack Query key prefixes, e.g. `trpc.events.get.queryKey({ eventId })`) are refetched, so the
 * page re-renders without a refresh, and `onEvent` is called. Every topic on the page shares one
 * connection (SSE) or one Firestore client.
 */
export function useLive(
  topic: string | null,
  options: { invalidate?: readonly QueryKey[]; onEvent?: (message: LiveMessage) => void } = {},
): { status: LiveStatus } {
  const queryClient = useQueryClient();
  const trpcClient = useTRPCClient();
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    if (firebaseWebConfig) mintToken = () => trpcClient.live.firebaseToken.mutate();
  }, [trpcClient]);

  useEffect(() => {
    if (!topic || typeof window === "undefined") return;
    const listener: LiveListener = (message) => {
      if (message.topic.startsWith("user:") && isSessionsEnded(message.payload)) sessionEnded();
      for (const queryKey of latest.current.invalidate ?? []) void queryClient.invalidateQueries({ queryKey });
      latest.current.onEvent?.(message);
    };
    if (!firebaseWebConfig) {
      if (typeof EventSource === "undefined") return;
      return sseTransport().follow(topic, listener);
    }
    let stop: (() => void) | undefined;
    let cancelled = false;
    void firestoreTransport(firebaseWebConfig).then((transport) => {
      if (!cancelled) stop = transport.follow(topic, listener);
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [topic, queryClient]);

  const status = useSyncExternalStore(
    subscribeStatus,
    () => (topic ? (currentTransport()?.status(topic) ?? "connecting") : "connecting"),
    () => "connecting" as const,
  );
  return { status };
}
