/** Runs once when the server starts; the work is Node-only (see server/startup.ts). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { prepareServer } = await import("./server/startup");
    await prepareServer();
  }
}
