/**
 * Keeps this browser signed in after its own security change ended the other sessions, or counts it
 * as having just confirmed who it is: posts the procedure's renewal ticket to /api/session/renew.
 * The caller refreshes the page afterwards (router.refresh()).
 */
export async function renewSession(ticket: string): Promise<void> {
  const response = await fetch("/api/session/renew", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ticket }),
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error("We could not keep you signed in on this device. Please sign in again.");
}
