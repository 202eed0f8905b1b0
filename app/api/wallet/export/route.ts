import { getDb } from "@/db/client";
import { zodFieldErrors } from "@/server/field-errors";
import { getCurrentUser } from "@/server/accounts/session";
import { historyFilters } from "@/server/wallet/schemas";
import { walletHistoryBatches, type HistoryRow } from "@/server/wallet/service";

export const dynamic = "force-dynamic";

const HEADER = ["date", "type", "description", "amount", "balance_after", "transfer_id"];

function problem(status: number, body: Record<string, unknown>) {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

/** Integer cents as plain decimal dollars ("-10.00"), the form spreadsheets read as a number. */
function decimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * One CSV field. Text a spreadsheet would run as a formula (=, +, -, @, or a leading tab or
 * carriage return) gets a leading apostrophe, because descriptions can carry a player's words.
 */
function field(value: string, { numeric = false } = {}): string {
  const safe = !numeric && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function line(row: HistoryRow): string {
  return [
    field(row.createdAt.toISOString()),
    field(row.category),
    field(row.description),
    field(decimal(row.amount), { numeric: true }),
    field(decimal(row.balanceAfter), { numeric: true }),
    field(row.transferId),
  ].join(",");
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
