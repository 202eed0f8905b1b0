/** What a refused cross-site write is told. */
export const CROSS_SITE_MESSAGE = "This request came from another site. Changes can only be made from Driftwood's own pages.";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request that may change data was sent by a page of another origin (including another
 * origin of the same site, e.g. a sibling subdomain). Browsers mark every request with
 * Sec-Fetch-Site, and older ones at least send Origin on a POST; a request with neither did not
 * come from a browser page (a script holding its own credentials) and is not a forgery. The app's
 * own host is the one the browser addressed (the Host header, or the one our proxy forwarded).
 */
export function isCrossSiteWrite(method: string, headers: Headers): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const site = headers.get("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = headers.get("origin");
  if (!origin) return false;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  try {
    return origin === "null" || new URL(origin).host !== host;
  } catch {
    return true;
  }
}
