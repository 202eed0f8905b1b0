import { getDb } from "@/server/database";
import { hasRole } from "@/server/accounts/roles";
import { getCurrentUser } from "@/server/accounts/session";
import { csvDollars, csvField } from "@/server/csv";
import { registrationsForEvent } from "@/server/registration/service";
import { domainErrorResponse } from "@/server/route-errors";

export async function GET(_request: Request, { params }: { params: Promise<{ eventId: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Please sign in first." }, { status: 401 });
  if (!hasRole(user, "organizer")) return Response.json({ error: "Only organizers can export registrations." }, { status: 403 });
  const { eventId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(eventId)) return Response.json({ error: "We could not find that event." }, { status: 404 });
  try {
    const rows = await registrationsForEvent(await getDb(), user, eventId);
    const lines = [
      "registration_id,status,player,email,team_id,paid,wallet_part,card_part,payment_status,checked_in_at,registered_at",
      ...rows.map((r) =>
        [
          r.id,
          r.status,
          r.name,
          r.email,
          r.teamId,
          csvDollars(r.fee - r.discount),
          csvDollars(r.walletAmount),
          csvDollars(r.cardAmount),
          r.paymentStatus,
          r.checkedInAt?.toISOString() ?? null,
          r.createdAt.toISOString(),
        ]
          .map((value) => csvField(value))
          .join(","),
      ),
    ];
    return new Response(`${lines.join("\n")}\n`, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="registrations-${eventId}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return domainErrorResponse(error);
  }
}
