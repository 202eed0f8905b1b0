import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "./env";
import { isRequestId, REQUEST_ID_HEADER } from "./request-id";

/**
 * The address of whoever opened the connection, written by this process onto every request it
 * serves (see stampIncomingRequests). A client may send a header of this name; it is overwritten.
 */
export const PEER_HEADER = "x-driftwood-peer";

let recording = false;

/**
 * Writes each request's socket address into PEER_HEADER before Next.js sees the request. Next.js
 * passes a client's own X-Forwarded-For through unchanged (it only fills it in when absent), so
 * without this the server cannot tell a forged address from a proxy's. Also gives the request its
 * id (REQUEST_ID_HEADER) unless it came with a well-formed one. Node publishes every request on the
 * `http.server.request.start` channel before its handler runs.
 */
export function stampIncomingRequests(): void {
  if (recording) return;
  recording = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = socket.remoteAddress ?? "";
    // The id from the first moment, so Next.js's own spans of the request carry it (server/tracing.ts).
    if (!isRequestId(request.headers[REQUEST_ID_HEADER])) request.headers[REQUEST_ID_HEADER] = crypto.randomUUID();
  });
}

/**
 * The key per-address limits count under: an IPv4 address (also when written IPv4-mapped), or an
 * IPv6 address's /64, the block one subscriber is given. Anything unparsable counts as itself.
 */
export function addressKey(address: string): string {
  const text = address.trim();
  if (!ipaddr.isValid(text)) return text;
  const parsed = ipaddr.process(text);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`);
  return `${network.toString()}/64`;
}

/**
 * The caller's address as written (IPv4-mapped addresses as IPv4). The socket's address, unless
 * `hops` proxies of our own (TRUSTED_PROXY_HOPS) stand in front: each appends the address it saw to
 * X-Forwarded-For, so the client is the entry that many places left of the socket. Entries further
 * left came from the client and are never trusted. "local" for a request that did not arrive
 * through this process's HTTP server (in-process calls, tests).
 */
export function clientAddress(headers: Headers, hops: number = env.TRUSTED_PROXY_HOPS): string {
  const peer = headers.get(PEER_HEADER)?.trim();
  if (!peer) return "local";
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = hops === 0 ? [peer] : [...forwarded, peer];
  const address = chain[Math.max(0, chain.length - 1 - hops)]!;
  return ipaddr.isValid(address) ? ipaddr.process(address).toString() : address;
}

/** The key per-address limits count the caller under (see addressKey). */
export function clientIp(headers: Headers, hops: number = env.TRUSTED_PROXY_HOPS): string {
  const address = clientAddress(headers, hops);
  return address === "local" ? address : addressKey(address);
}
