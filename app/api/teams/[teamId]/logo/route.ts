import { TRPCError } from "@trpc/server";
import { getDb } from "@/db/client";
import { AVATAR_MAX_BYTES, sniffImageType } from "@/server/accounts/avatar";
import { getCurrentUser } from "@/server/accounts/session";
import { getTeamLogo, setTeamLogo } from "@/server/teams/service";

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
  return new Response(new Uint8Array(logo.data), {
    headers: {
      "content-type": logo.contentType,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'",
      // URLs carry ?v=<updated-at>, so a new upload gets a new URL.
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}

/** The captain uploads the team's logo: multipart form with one `file` (PNG, JPEG, WebP or GIF, up to 1 MB). */
export async function POST(request: Request, { params }: Context) {
  const user = await getCurrentUser();
  if (!user) return problem(401, "Please sign in first.");
  const { teamId } = await params;
  if (!isUuid(teamId)) return problem(404, "That team does not exist.");
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > AVATAR_MAX_BYTES + 64 * 1024) return problem(413, "That image is larger than 1 MB.");

  let file: FormDataEntryValue | null;
  try {
    file = (await request.formData()).get("file");
  } catch {
    return problem(400, "Choose an image to upload.");
  }
  if (!(file instanceof File) || file.size === 0) return problem(400, "Choose an image to upload.");
  if (file.size > AVATAR_MAX_BYTES) return problem(413, "That image is larger than 1 MB.");
  const data = Buffer.from(await file.arrayBuffer());
  const type = sniffImageType(data);
  if (!type) return problem(415, "Use a PNG, JPEG, WebP or GIF image.");
  try {
    const logo = await setTeamLogo(await getDb(), user.id, teamId, { type, data });
    return Response.json({ logo });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return problem(404, error.message);
    if (error instanceof TRPCError && error.code === "FORBIDDEN") return problem(403, error.message);
    throw error;
  }
}
