import { getDb } from "@/server/database";
import { hasRole } from "@/server/accounts/roles";
import { getCurrentUser } from "@/server/accounts/session";
import { IMPORT_MAX_BYTES, importModes, importParticipantsCsv, importTooLarge, type ImportMode } from "@/server/registration/import";
import { domainErrorResponse } from "@/server/route-errors";

export const dynamic = "force-dynamic";

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

function problem(status: number, message: string) {
  return Response.json({ error: message }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * The organizer imports participants or seeds: the body is the CSV itself (text/csv), read as it
 * arrives; `?mode=participants|seeds`. 200 `{ ok: true, imported }`, or 422 `{ ok: false, errors }`
 * with every bad row, in which case nothing was imported.
 */
export async function POST(request: Request, { params }: { params: Promise<{ eventId: string }> }) {
  const user = await getCurrentUser();
  if (!user) return problem(401, "Please sign in first.");
  if (!hasRole(user, "organizer")) return problem(403, "Only organizers can import participants.");
  const { eventId } = await params;
  if (!isUuid(eventId)) return problem(404, "We could not find that event.");
  const mode = new URL(request.url).searchParams.get("mode") ?? "participants";
  if (!importModes.includes(mode as ImportMode)) return problem(400, 'Choose what the file holds: mode "participants" or "seeds".');
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "text/csv") return problem(415, "Send the file as text/csv.");
  if (!request.body) return problem(400, "Choose a CSV file to upload.");
  // A declared size over the limit is refused unread; an undeclared one is cut off as it streams.
  if (Number(request.headers.get("content-length") ?? 0) > IMPORT_MAX_BYTES) return problem(413, importTooLarge());

  try {
    const result = await importParticipantsCsv(await getDb(), user, eventId, request.body, mode as ImportMode);
    return Response.json(result, { status: result.ok ? 200 : 422, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return domainErrorResponse(error, { "cache-control": "no-store" });
  }
}
