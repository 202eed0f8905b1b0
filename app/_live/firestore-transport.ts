import { getApps, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithCustomToken, type Auth } from "firebase/auth";
import {
  collection,
  connectFirestoreEmulator,
  doc,
  getDocs,
  getFirestore,
  onSnapshot,
  orderBy,
  query,
  where,
  type DocumentData,
  type Firestore,
  type FirestoreError,
} from "firebase/firestore";
import { isLiveTopic } from "@/server/live/topics-name";
import { isPrivateTopic, notifyStatus, type LiveListener, type LiveMessage, type LiveStatus, type LiveTransport } from "./transport";

/** Firestore's public web config (safe to ship to browsers: access is decided by firestore.rules). */
export interface FirebaseWebConfig {
  projectId: string;
  apiKey: string;
  authDomain: string;
  /** host:port of a Firestore emulator the browser can reach (the Firebase emulator suite). */
  firestoreEmulatorHost?: string;
  /** http://host:port of an Auth emulator. */
  authEmulatorUrl?: string;
}

/** What `live.firebaseToken` answers. */
export type FirebaseTokenResult = { enabled: false } | { enabled: true; token: string; uid: string };

interface Follow {
  topic: string;
  listeners: Set<LiveListener>;
  status: LiveStatus;
  /** The seq of the last snapshot seen; undefined until the first one (a baseline, not an event). */
  lastSeq: number | undefined;
  everLive: boolean;
  stop: (() => void) | undefined;
  /** Followed over SSE instead: the server does not mint Firebase tokens, so private docs are unreadable. */
  fallback: boolean;
  retry: ReturnType<typeof setTimeout> | undefined;
  failures: number;
  reauthenticated: boolean;
  /** Catch-up reads, one after another, so events reach listeners in seq order. */
  delivering: Promise<void>;
}

type SignIn = "ok" | "disabled" | "refused";

const RETRY_MS = 5_000;
const MAX_RETRY_MS = 60_000;
const APP_NAME = "driftwood-live";

function parsePayload(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function codeOf(error: unknown): string | undefined {
  const data = (error as { data?: { code?: unknown } } | null)?.data;
  return typeof data?.code === "string" ? data.code : undefined;
}

/**
 * Live topics through Firestore: one snapshot listener on `live/<topic>` per topic followed (the
 * SDK multiplexes them on one connection). When a snapshot's seq jumps by more than one, the events
 * in between are read from `live/<topic>/events` so `onEvent` sees each of them, in order. Private
 * topics (rooms, users) first sign in with a custom token minted by the server for the session user.
 */
export function createFirestoreTransport(
  config: FirebaseWebConfig,
  options: {
    fallback: LiveTransport;
    mintToken: () => Promise<FirebaseTokenResult>;
    appName?: string;
    /** How long to wait for the missed events before delivering just the latest one. */
    catchUpTimeoutMs?: number;
  },
): LiveTransport {
  const appName = options.appName ?? APP_NAME;
  const catchUpTimeoutMs = options.catchUpTimeoutMs ?? 5_000;
  const app: FirebaseApp =
    getApps().find((existing) => existing.name === appName) ??
    initializeApp({ apiKey: config.apiKey, authDomain: config.authDomain, projectId: config.projectId }, appName);
  const db: Firestore = getFirestore(app);
  const auth: Auth = getAuth(app);
  if (config.firestoreEmulatorHost) {
    const [host, port] = config.firestoreEmulatorHost.split(":");
    try {
      connectFirestoreEmulator(db, host!, Number(port));
    } catch {
      // Already connected (a hot reload re-ran this module).
    }
  }
  if (config.authEmulatorUrl) {
    try {
      connectAuthEmulator(auth, config.authEmulatorUrl, { disableWarnings: true });
    } catch {
      // Already connected.
    }
  }

  const follows = new Map<string, Follow>();
  let signedIn: Promise<SignIn> | undefined;

  function ensureSignedIn(): Promise<SignIn> {
    return (signedIn ??= (async (): Promise<SignIn> => {
      let result: FirebaseTokenResult;
      try {
        result = await options.mintToken();
      } catch (error) {
        if (codeOf(error) === "UNAUTHORIZED") return "refused";
        throw error;
      }
      if (!result.enabled) return "disabled";
      if (auth.currentUser?.uid !== result.uid) await signInWithCustomToken(auth, result.token);
      return "ok";
    })().catch((error: unknown) => {
      signedIn = undefined;
      throw error;
    }));
  }

  function setStatus(follow: Follow, status: LiveStatus) {
    if (follow.status === status) return;
    follow.status = status;
    notifyStatus();
  }

  function dispatch(follow: Follow, message: LiveMessage) {
    for (const listener of [...follow.listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error(error);
      }
    }
  }

  async function deliver(follow: Follow, from: number, to: number, snapshot: DocumentData) {
    const latest: LiveMessage = { topic: follow.topic, seq: to, payload: parsePayload(snapshot.payload) };
    if (to === from + 1) return dispatch(follow, latest);
    let delivered = from;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // Bounded: later events wait behind this read, and offline it may not answer for long.
      const missed = await Promise.race([
        getDocs(query(collection(db, "live", follow.topic, "events"), where("seq", ">", from), orderBy("seq"))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("Timed out reading missed live events")), catchUpTimeoutMs);
        }),
      ]);
      for (const event of missed.docs) {
        const data = event.data();
        const seq = Number(data.seq);
        if (!(seq > delivered && seq < to)) continue;
        dispatch(follow, { topic: follow.topic, seq, payload: parsePayload(data.payload) });
        delivered = seq;
      }
    } catch (error) {
      // Older events are gone or unreadable: the latest one still refreshes the page.
      console.warn(error);
    } finally {
      clearTimeout(timer);
    }
    if (follows.get(follow.topic) === follow) dispatch(follow, latest);
  }

  function scheduleRetry(follow: Follow) {
    const delay = Math.min(RETRY_MS * 2 ** follow.failures, MAX_RETRY_MS);
    follow.failures += 1;
    follow.retry = setTimeout(() => {
      follow.retry = undefined;
      if (follows.get(follow.topic) === follow) void start(follow);
    }, delay);
  }

  async function start(follow: Follow) {
    // A draft event's topics are readable by its organizer and admins only: signed in after a refusal.
    if (isPrivateTopic(follow.topic) || follow.reauthenticated) {
      let outcome: SignIn;
      try {
        outcome = await ensureSignedIn();
      } catch {
        if (follows.get(follow.topic) !== follow) return;
        setStatus(follow, follow.everLive ? "reconnecting" : "connecting");
        return scheduleRetry(follow);
      }
      if (follows.get(follow.topic) !== follow) return;
      if (outcome === "refused") return setStatus(follow, "refused");
      if (outcome === "disabled") {
        follow.fallback = true;
        follow.stop = options.fallback.follow(follow.topic, (message) => dispatch(follow, message));
        notifyStatus();
        return;
      }
    }
    follow.stop = onSnapshot(
      doc(db, "live", follow.topic),
      { includeMetadataChanges: true },
      {
        next: (snapshot) => {
          if (snapshot.metadata.fromCache) {
            setStatus(follow, follow.everLive ? "reconnecting" : "connecting");
          } else {
            follow.everLive = true;
            follow.failures = 0;
            follow.reauthenticated = false;
            setStatus(follow, "live");
          }
          const data = snapshot.data() ?? {};
          const seq = typeof data.seq === "number" ? data.seq : 0;
          if (follow.lastSeq === undefined) {
            follow.lastSeq = seq;
            return;
          }
          if (seq <= follow.lastSeq) return;
          const from = follow.lastSeq;
          follow.lastSeq = seq;
          follow.delivering = follow.delivering.then(() => deliver(follow, from, seq, data));
        },
        error: (error: FirestoreError) => {
          follow.stop = undefined;
          if (follows.get(follow.topic) !== follow) return;
          if (error.code === "permission-denied") {
            // Perhaps signed in as someone else since (or the token expired), or not signed in for a
            // draft event's topic: sign in afresh once.
            if (!follow.reauthenticated) {
              follow.reauthenticated = true;
              signedIn = undefined;
              void start(follow);
              return;
            }
            setStatus(follow, "refused");
            return;
          }
          setStatus(follow, "reconnecting");
          scheduleRetry(follow);
        },
      },
    );
  }

  return {
    follow(topic, listener) {
      let follow = follows.get(topic);
      if (!follow) {
        follow = {
          topic,
          listeners: new Set(),
          status: isLiveTopic(topic) ? "connecting" : "refused",
          lastSeq: undefined,
          everLive: false,
          stop: undefined,
          fallback: false,
          retry: undefined,
          failures: 0,
          reauthenticated: false,
          delivering: Promise.resolve(),
        };
        follows.set(topic, follow);
        if (isLiveTopic(topic)) void start(follow);
        notifyStatus();
      }
      const current = follow;
      current.listeners.add(listener);
      return () => {
        current.listeners.delete(listener);
        if (current.listeners.size > 0 || follows.get(topic) !== current) return;
        follows.delete(topic);
        current.stop?.();
        current.stop = undefined;
        if (current.retry !== undefined) clearTimeout(current.retry);
        notifyStatus();
      };
    },
    status(topic) {
      const follow = follows.get(topic);
      if (!follow) return "connecting";
      return follow.fallback ? options.fallback.status(topic) : follow.status;
    },
    anyReconnecting() {
      return [...follows.values()].some((follow) => !follow.fallback && follow.status === "reconnecting");
    },
  };
}
