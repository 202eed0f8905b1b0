import { checkDatabase } from "@/server/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase();
  const ok = database.status === "ok";
  return Response.json(
    { status: ok ? "ok" : "unavailable", checks: { database }, time: new Date().toISOString() },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
