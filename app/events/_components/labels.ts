import type { EventFormat } from "@/lib/event-values";
import { formatMoney } from "@/lib/money";

export const formatLabel: Record<EventFormat, string> = {
  single_elimination: "Single elimination",
  double_elimination: "Double elimination",
  round_robin: "Round robin",
  swiss: "Swiss",
};

export function participantsLabel(type: "solo" | "team", teamSize: number, substitutes = 0): string {
  if (type === "solo") return "Solo";
  const subs = substitutes > 0 ? ` + ${substitutes} sub${substitutes === 1 ? "" : "s"}` : "";
  return `Teams of ${teamSize}${subs}`;
}

export function feeLabel(cents: number): string {
  return cents === 0 ? "Free" : formatMoney(cents);
}

/** 1 → "1st", 2 → "2nd", 11 → "11th". */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}
