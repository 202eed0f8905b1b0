/**
 * The headers every response carries, and the Content-Security-Policy of pages. Stripe's Payment
 * Element (a script and frames from js.stripe.com, calls to api.stripe.com) and the Firebase SDK
 * (calls to *.googleapis.com, or the configured emulators) keep working under the policy.
 */

/** Pages other sites may put in a frame: the embeddable bracket, nothing else. */
export const EMBEDDABLE_PATH = /^\/embed(\/|$)/;

/** For every response, pages and API alike (next.config.ts `headers()`). */
export const baseSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value: 'camera=(), microphone=(), geolocation=(), usb=(), interest-cohort=(), payment=(self "https://js.stripe.com")',
  },
];

/** For responses that are not embeddable (next.config.ts `headers()`, every path but /embed/**). */
export const frameDenyHeader = { key: "X-Frame-Options", value: "DENY" };

/** Over https only (a browser ignores it over http anyway): two years, subdomains included. */
export const hstsHeader = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };

/** An origin ("http://127.0.0.1:8080") from an emulator's "host:port" or URL, for connect-src. */
function emulatorOrigin(address: string | undefined): string[] {
  if (!address) return [];
  try {
    return [new URL(address.includes("://") ? address : `http://${address}`).origin];
  } catch {
    return [];
  }
}

const OAUTH_FORM_TARGETS = ["https://discord.com", "https://accounts.google.com"];

/**
 * The policy for one page response. Scripts run only with this response's nonce (Next.js puts it
 * on its own scripts when it finds it in the request's policy) or when loaded by such a script
 * ('strict-dynamic': Stripe.js, chunks); no plugins, no <base>, forms post only here or to the
 * sign-in providers, and framing only for /embed/**.
 */
export function contentSecurityPolicy(input: { nonce: string; pathname: string; dev: boolean; https: boolean }): string {
  const firebase = [
    "https://*.googleapis.com",
    ...emulatorOrigin(process.env.NEXT_PUBLIC_FIRESTORE_EMULATOR_HOST),
    ...emulatorOrigin(process.env.NEXT_PUBLIC_FIREBASE_AUTH_EMULATOR_URL),
  ];
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${input.nonce}'`, "'strict-dynamic'", ...(input.dev ? ["'unsafe-eval'"] : [])],
    // Inline style attributes (React's style={…}, Stripe's fields) cannot carry a nonce.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", "https://api.stripe.com", ...firebase, ...(input.dev ? ["ws:"] : [])],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com", "https://*.firebaseapp.com"],
    "media-src": ["'self'", "blob:"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", ...OAUTH_FORM_TARGETS],
    "frame-ancestors": [EMBEDDABLE_PATH.test(input.pathname) ? "*" : "'none'"],
    ...(input.https ? { "upgrade-insecure-requests": [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}
