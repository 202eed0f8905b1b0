import { env } from "@/server/env";

/**
 * Who a passkey is for (WebAuthn's relying party): the id the authenticator scopes credentials to
 * and the origins whose pages may use them. Configured with WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS;
 * unset, both come from the host the browser addressed (the Host header, or X-Forwarded-Host and
 * -Proto behind TRUSTED_PROXY_HOPS proxies of your own). That is safe for a check of the browser's
 * own answer (the browser signs the origin it is on, and an authenticator only answers for the
 * site a credential was made for), and it lets a development server run on any host name;
 * production should still set them. An RP id cannot be an IP address: browse to localhost.
 */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

const RP_NAME = "Driftwood";

export function relyingParty(headers: Headers, config: { origins?: string; rpId?: string; proxyHops?: number } = {}): RelyingParty {
  const configured = (config.origins ?? env.WEBAUTHN_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter(Boolean);
  const rpId = config.rpId ?? env.WEBAUTHN_RP_ID;
  if (configured.length > 0) return { id: rpId ?? new URL(configured[0]!).hostname, name: RP_NAME, origins: configured };
  const proxied = (config.proxyHops ?? env.TRUSTED_PROXY_HOPS) > 0;
  const host = (proxied ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined) || headers.get("host") || "localhost:3000";
  const protocol = (proxied ? headers.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined) || "http";
  const origin = `${protocol === "https" ? "https" : "http"}://${host}`;
  return { id: rpId ?? new URL(origin).hostname, name: RP_NAME, origins: [origin] };
}

/** The headers of the request being served (empty outside one, e.g. in tests that call services). */
export async function requestHeaders(): Promise<Headers> {
  try {
    const { headers } = await import("next/headers");
    return new Headers(await headers());
  } catch {
    return new Headers();
  }
}
