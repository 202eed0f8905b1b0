import type { App } from "firebase-admin/app";
import type { Firestore } from "firebase-admin/firestore";
import { env, type Env } from "@/server/env";

/** How the server reaches Firebase; null when the Firestore transport is off (SSE only). */
export interface FirebaseServerConfig {
  projectId: string;
  /** A service account's key (FIREBASE_CLIENT_EMAIL + FIREBASE_PRIVATE_KEY); else Google's default credentials. */
  serviceAccount?: { clientEmail: string; privateKey: string };
  /** Talking to an emulator (FIRESTORE_EMULATOR_HOST): no credentials needed for Firestore. */
  emulator: boolean;
}

export function firebaseServerConfig(
  source: Pick<
    Env,
    "FIREBASE_PROJECT_ID" | "FIREBASE_CLIENT_EMAIL" | "FIREBASE_PRIVATE_KEY" | "GOOGLE_APPLICATION_CREDENTIALS" | "FIRESTORE_EMULATOR_HOST"
  > = env,
): FirebaseServerConfig | null {
  if (!source.FIREBASE_PROJECT_ID) return null;
  const serviceAccount =
    source.FIREBASE_CLIENT_EMAIL && source.FIREBASE_PRIVATE_KEY
      ? // Hosting dashboards often keep a PEM on one line with literal "\n".
        { clientEmail: source.FIREBASE_CLIENT_EMAIL, privateKey: source.FIREBASE_PRIVATE_KEY.replaceAll("\\n", "\n") }
      : undefined;
  const emulator = Boolean(source.FIRESTORE_EMULATOR_HOST);
  if (!serviceAccount && !source.GOOGLE_APPLICATION_CREDENTIALS && !emulator) return null;
  return { projectId: source.FIREBASE_PROJECT_ID, serviceAccount, emulator };
}

/** Whether announcements are also published to Firestore. */
export function firestorePublishingEnabled(): boolean {
  return firebaseServerConfig() !== null;
}

/**
 * A firebase-admin app for `config`. firebase-admin is loaded here, on first use, so a server on
 * the SSE transport never loads it. Named apps let tests hold several side by side.
 */
export async function createFirebaseApp(config: FirebaseServerConfig, name = "driftwood"): Promise<App> {
  const { applicationDefault, cert, getApps, initializeApp } = await import("firebase-admin/app");
  const existing = getApps().find((app) => app.name === name);
  if (existing) return existing;
  const credential = config.serviceAccount
    ? cert({ projectId: config.projectId, clientEmail: config.serviceAccount.clientEmail, privateKey: config.serviceAccount.privateKey })
    : config.emulator
      ? undefined
      : applicationDefault();
  return initializeApp({ projectId: config.projectId, ...(credential ? { credential } : {}) }, name);
}

const globalForFirebase = globalThis as unknown as { driftwoodFirebaseApp?: Promise<App>; driftwoodLiveFirestore?: Promise<Firestore> };

/** This process's firebase-admin app, or null when Firestore is not configured. */
export function getFirebaseApp(): Promise<App> | null {
  const config = firebaseServerConfig();
  if (!config) return null;
  globalForFirebase.driftwoodFirebaseApp ??= createFirebaseApp(config).catch((error: unknown) => {
    globalForFirebase.driftwoodFirebaseApp = undefined;
    throw error;
  });
  return globalForFirebase.driftwoodFirebaseApp;
}

/** Firestore of `app`, set up once for `config`. */
export async function createFirestore(app: App, config: FirebaseServerConfig): Promise<Firestore> {
  const { getFirestore } = await import("firebase-admin/firestore");
  const firestore = getFirestore(app);
  if (config.emulator && !config.serviceAccount) {
    // Without credentials the client would ask Google's metadata server (a network call off this
    // machine) for the "universe domain" before its first request; the emulator needs none.
    firestore.settings({ universeDomain: "googleapis.com" });
  }
  return firestore;
}

/** This process's Firestore for the live documents, or null when Firestore is not configured. */
export function getLiveFirestore(): Promise<Firestore> | null {
  const config = firebaseServerConfig();
  const app = getFirebaseApp();
  if (!config || !app) return null;
  globalForFirebase.driftwoodLiveFirestore ??= app
    .then((resolved) => createFirestore(resolved, config))
    .catch((error: unknown) => {
      globalForFirebase.driftwoodLiveFirestore = undefined;
      throw error;
    });
  return globalForFirebase.driftwoodLiveFirestore;
}

/**
 * A Firebase custom token for a Driftwood user: the browser signs in with it, and firestore.rules
 * then see `request.auth.uid` = the Driftwood user id (`readers` of private topics hold those ids).
 */
export async function mintCustomToken(app: App, user: { id: string; role: string }): Promise<string> {
  const { getAuth } = await import("firebase-admin/auth");
  return getAuth(app).createCustomToken(user.id, { role: user.role });
}
