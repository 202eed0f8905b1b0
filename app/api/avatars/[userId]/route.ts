import { getDb } from "@/server/database";
import { getAvatar } from "@/server/accounts/service";
import { imageResponse } from "@/server/uploads";

export async function GET(_request: Request, { params }: { params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return new Response("Not found", { status: 404 });
  const avatar = await getAvatar(await getDb(), userId);
  if (!avatar) return new Response("Not found", { status: 404 });
  // URLs carry ?v=<updated-at>, so a new upload gets a new URL.
  return imageResponse(avatar, "public, max-age=31536000, immutable");
}
