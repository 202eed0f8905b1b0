import { getDb } from "@/db/client";
import { AVATAR_MAX_BYTES, sniffImageType } from "@/server/accounts/avatar";
import { setAvatar } from "@/server/accounts/service";
import { getCurrentUser } from "@/server/accounts/session";

function problem(status: number, message: string) {
  return Response.json({ error: message }, { status });
}

/** Upload the signed-in user's avatar: multipart form with one `file` (PNG, JPEG, WebP or GIF, up to 1 MB). */
export async function POST(request: Request) {
  const user = await getCurrentUser();
  if (!user) return problem(401, "Please sign in first.");
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
  const image = await setAvatar(await getDb(), user.id, { type, data });
  return Response.json({ image });
}
