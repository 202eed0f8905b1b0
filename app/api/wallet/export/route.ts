import { getDb } from "@/server/database";
import { csvDollars, csvField, csvLine } from "@/server/csv";
import { zodFieldErrors } from "@/server/field-errors";
import { getCurrentUser } from "@/server/accounts/session";
import { historyFilters } from "@/server/wallet/schemas";
import { walletHistoryBatches, type HistoryRow } from "@/server/wallet/service";

export const dynamic = "force-dynamic";

const HEADER = ["date", "type", "description", "amount", "balance_after", "transfer_id"];

function problem(status: number, body: Record<string, unknown>) {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

function line(row: HistoryRow): string {
  return csvLine([
    csvField(row.createdAt.toISOString()),
    csvField(row.category),
    csvField(row.description),
    // A card refund moved no wallet money: its amount went to the card, the balance is unchanged.
    csvField(row.kind === "card_refund" ? "" : csvDollars(row.amount), { numeric: true }),
    csvField(row.balanceAfter === null ? "" : csvDollars(row.balanceAfter), { numeric: true }),
    csvField(row.transferId ?? ""),
  ]);
}

/** The signed-in player's wallet history as CSV, with the same filters as the page, streamed. */
export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return problem(401, { error: "Please sign in first." });

  const params = new URL(request.url).searchParams;
  const optional = (name: string) => params.get(name) || undefined;
  const parsed = historyFilters.safeParse({ category: optional("type"), from: optional("from"), to: optional("to") });
  if (!parsed.success) {
    const fieldErrors = zodFieldErrors(parsed.error);
    if (fieldErrors.category) fieldErrors.type = fieldErrors.category;
    delete fieldErrors.category;
    return problem(400, { error: parsed.error.issues.map((issue) => issue.message).join(" "), fieldErrors });
  }

  const db = await getDb();
  const batches = walletHistoryBatches(db, user.id, parsed.data);
  const encoder = new TextEncoder();
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${HEADER.join(",")}\r\n`));
        return;
      }
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        if (next.value.length > 0) controller.enqueue(encoder.encode(next.value.map((row) => `${line(row)}\r\n`).join("")));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });

  const today = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="driftwood-wallet-${today}.csv"`,
      "cache-control": "no-store",
    },
  });
}
