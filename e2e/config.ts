import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** Where the e2e server tells the tests which database it serves, for fixtures. */
export const E2E_STATE_FILE = path.resolve(".data", "e2e-state.json");
