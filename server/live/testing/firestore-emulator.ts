import { createRequire } from "node:module";
import type { Server } from "@grpc/grpc-js";

/**
 * @firestore-emulator/server (gRPC) in this process, on a loopback port the system picks, with
 * Firestore configured through the same environment variables as in production. Call it from
 * `vi.hoisted` so the variables are set before anything reads them; `stop()` it in afterAll.
 */
export async function startFirestoreEmulator(): Promise<{ port: number; stop: () => void }> {
  const { FirestoreServer, FirestoreStateDocument } = await import("@firestore-emulator/server");
  replaceOnSet(FirestoreStateDocument.prototype);
  // The emulator's own copy of grpc-js, whose Server it built.
  const grpc = createRequire(createRequire(import.meta.url).resolve("@firestore-emulator/server"))(
    "@grpc/grpc-js",
  ) as typeof import("@grpc/grpc-js");
  const server = new FirestoreServer();
  // FirestoreServer.start(port) binds every interface; bind loopback only, on a free port.
  const grpcServer = (server as unknown as { server: Server }).server;
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  process.env.FIREBASE_PROJECT_ID = "demo-driftwood";
  process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${port}`;
  // Google's auth library must never look for a metadata server off this machine.
  process.env.METADATA_SERVER_DETECTION = "none";
  return { port, stop: () => server.stop() };
}

type Document = { set(date: Date, fields: Record<string, unknown>, updateMask?: string[]): void };
const patched = Symbol.for("driftwood.replaceOnSet");

/**
 * Firestore replaces a document written with set() and no field mask; the emulator merges the new
 * fields into the old ones, so a field the server stopped writing (a published event's `readers`)
 * would stay. Make it replace, as production does. A set with a mask (merge) still merges.
 */
function replaceOnSet(prototype: Document): void {
  const target = prototype as Document & { [patched]?: true };
  if (target[patched]) return;
  target[patched] = true;
  const set = prototype.set;
  prototype.set = function (this: Document & { fields: Record<string, unknown> }, date, fields, updateMask = []) {
    if (updateMask.length === 0) this.fields = {};
    set.call(this, date, fields, updateMask);
  };
}
