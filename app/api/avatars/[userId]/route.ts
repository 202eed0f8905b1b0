import { getDb } from "@/db/client";
import { getAvatar } from "@/server/accounts/service";

export async function GET(_request: Request, { params }: { params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return new Response("Not found", { status: 404 });
  const avatar = await getAvatar(await getDb(), userId);
  if (!avatar) return new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(avatar.data), {
    headers: {
      "content-type": avatar.contentType,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'",
      // URLs carry ?v=<updated-at>, so a new upload gets a new URL.
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}
