import path from "node:path";
import { env } from "./env";

/** Where the app keeps its files: the embedded database, uploads, mail, the generated auth secret. */
export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR ?? ".data");
}
