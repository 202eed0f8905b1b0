import { isLiveTopic } from "./topics-name";

/** Positions per topic, carried in SSE ids as base64url JSON so Last-Event-ID restores them all. */
export function encodePositions(positions: ReadonlyMap<string, number>): string {
  return Buffer.from(JSON.stringify(Object.fromEntries(positions)), "utf8").toString("base64url");
}

/** The positions in an SSE id (or `?after=`); undefined when it is not one we wrote. */
export function decodePositions(value: string | null | undefined): Map<string, number> | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    const positions = new Map<string, number>();
    for (const [topic, seq] of Object.entries(parsed)) {
      if (!isLiveTopic(topic) || typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) return undefined;
      positions.set(topic, seq);
    }
    return positions;
  } catch {
    return undefined;
  }
}
