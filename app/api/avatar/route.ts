import { getDb } from "@/server/database";
import { AVATAR_MAX_BYTES } from "@/server/accounts/avatar";
import { setAvatar } from "@/server/accounts/service";
import { getCurrentUser } from "@/server/accounts/session";
import { readImageUpload } from "@/server/uploads";

/** Upload the signed-in user's avatar: multipart form with one `file` (PNG, JPEG, WebP or GIF, up to 1 MB). */
export async function POST(request: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Please sign in first." }, { status: 401 });
  const upload = await readImageUpload(request, AVATAR_MAX_BYTES);
  if (!upload.ok) return Response.json({ error: upload.message }, { status: upload.status });
  const image = await setAvatar(await getDb(), user.id, { type: upload.type, data: upload.data });
  return Response.json({ image });
}
