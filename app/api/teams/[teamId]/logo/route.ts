import { getDb } from "@/server/database";
import { AVATAR_MAX_BYTES } from "@/server/accounts/avatar";
import { getCurrentUser } from "@/server/accounts/session";
import { domainErrorResponse } from "@/server/route-errors";
import { getTeamLogo, setTeamLogo } from "@/server/teams/service";
import { imageResponse, readImageUpload } from "@/server/uploads";

type Context = { params: Promise<{ teamId: string }> };

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

function problem(status: number, message: string) {
  return Response.json({ error: message }, { status });
}

export async function GET(_request: Request, { params }: Context) {
  const { teamId } = await params;
  if (!isUuid(teamId)) return new Response("Not found", { status: 404 });
  const logo = await getTeamLogo(await getDb(), teamId);
  if (!logo) return new Response("Not found", { status: 404 });
  // URLs carry ?v=<updated-at>, so a new upload gets a new URL.
  return imageResponse(logo, "public, max-age=31536000, immutable");
}

/** The captain uploads the team's logo: multipart form with one `file` (PNG, JPEG, WebP or GIF, up to 1 MB). */
export async function POST(request: Request, { params }: Context) {
  const user = await getCurrentUser();
  if (!user) return problem(401, "Please sign in first.");
  const { teamId } = await params;
  if (!isUuid(teamId)) return problem(404, "That team does not exist.");
  const upload = await readImageUpload(request, AVATAR_MAX_BYTES);
  if (!upload.ok) return problem(upload.status, upload.message);
  try {
    const logo = await setTeamLogo(await getDb(), user.id, teamId, { type: upload.type, data: upload.data });
    return Response.json({ logo });
  } catch (error) {
    return domainErrorResponse(error);
  }
}
