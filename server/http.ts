/**
 * The caller's address. The rightmost x-forwarded-for entry is the one our own proxy (or Next.js,
 * when there is none) wrote; entries to its left come from the client and could be forged to dodge
 * per-address limits.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "local";
}
