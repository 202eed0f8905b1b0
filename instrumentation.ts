/** Runs once when the server starts; the work is Node-only (see server/startup.ts). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First, so the spans of the very first request are recorded (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
    const { startTracing } = await import("./server/tracing");
    await startTracing({ serviceName: "driftwood" });
    const { prepareServer } = await import("./server/startup");
    await prepareServer();
  }
}
