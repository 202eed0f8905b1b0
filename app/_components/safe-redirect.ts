/** Any origin will do: paths are resolved against it only to see whether they would leave it. */
const OWN = new URL("http://driftwood.invalid");

/**
 * Only same-site paths are followed after sign-in, never another host. The value is resolved the
 * way a browser resolves a Location header (the URL parser drops tabs and newlines, so
 * "/\t/evil.example" is "//evil.example", another host) and kept only if it stays on this origin;
 * what comes back is the parser's own serialisation, so it never carries a character a response
 * header refuses.
 */
export function safeCallbackPath(value: string | null | undefined, fallback = "/"): string {
  if (!value?.startsWith("/") || value.length > 2_000) return fallback;
  let url: URL;
  try {
    url = new URL(value, OWN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path the parser turned into a protocol-relative one would leave the site when followed.
  return path.startsWith("//") || path.startsWith("/\\") ? fallback : path;
}
