import path from "node:path";
import { dataDir } from "@/server/data-dir";
import { getFirebaseApp } from "@/server/live/firebase";
import type { FileStore } from "./file-store";
import { createFirebaseFileStore, firebaseStorageConfig } from "./firebase-store";
import { LocalFileStore } from "./local-store";

const globalForStorage = globalThis as unknown as { driftwoodFileStore?: FileStore };

/**
 * This process's file store: Firebase Storage when FIREBASE_STORAGE_BUCKET and Firebase
 * credentials are configured (sharing the firebase-admin app of the Firestore publisher), else
 * local disk under $DATA_DIR/uploads.
 */
export function fileStore(): FileStore {
  if (globalForStorage.driftwoodFileStore) return globalForStorage.driftwoodFileStore;
  const firebase = firebaseStorageConfig();
  const store = firebase
    ? createFirebaseFileStore(firebase, () => {
        const app = getFirebaseApp();
        if (!app) throw new Error("Firebase is not configured");
        return app;
      })
    : new LocalFileStore(path.join(dataDir(), "uploads"));
  globalForStorage.driftwoodFileStore = store;
  return store;
}

/** Tests (and scripts) point the process at a store of their own; undefined goes back to the default. */
export function setFileStoreForTesting(store: FileStore | undefined): void {
  globalForStorage.driftwoodFileStore = store;
}
