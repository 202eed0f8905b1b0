"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/app/_components/errors";
import { TextField } from "@/app/_components/field";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { formatMoney } from "@/lib/money";

/** The event's promo codes with their use, and a form for a new one. */
export function PromoCodes({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const codes = useQuery(trpc.registration.promoCodes.queryOptions({ eventId }));
  const create = useMutation(trpc.registration.createPromoCode.mutationOptions());
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const kind = form.get("kind") === "fixed" ? "fixed" : "percent";
    const raw = String(form.get("value") ?? "").trim();
    const value = kind === "percent" ? Number.parseInt(raw, 10) : Math.round(Number.parseFloat(raw) * 100);
    const maxUses = String(form.get("maxUses") ?? "").trim();
    const expires = String(form.get("expiresAt") ?? "").trim();
    try {
      await create.mutateAsync({
        eventId,
        code: String(form.get("code") ?? ""),
        kind,
        value: Number.isFinite(value) ? value : 0,
        maxUses: maxUses ? Number.parseInt(maxUses, 10) : undefined,
        expiresAt: expires ? new Date(expires) : undefined,
      });
      setErrors({});
      toast.success("Promo code created.");
      (e.target as HTMLFormElement).reset();
      await queryClient.invalidateQueries({ queryKey: trpc.registration.promoCodes.queryKey({ eventId }) });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setErrors(fields);
      else toast.error(messageOf(error));
    }
  }

  return (
    <Card>
      <h2 className="text-lg font-semibold">Promo codes</h2>
      {codes.data && codes.data.length > 0 ? (
        <ul className="mt-3 space-y-1 text-sm">
          {codes.data.map((code) => (
            <li key={code.id} className="flex justify-between gap-2">
              <span className="font-mono">{code.code}</span>
              <span>
                {code.kind === "percent" ? `${code.value}% off` : `${formatMoney(code.value)} off`} · used {code.uses}
                {code.maxUses ? ` of ${code.maxUses}` : ""}
                {code.eventId ? "" : " · all your events"}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No codes yet.</p>
      )}
      <form onSubmit={onSubmit} noValidate className="mt-4 grid gap-3 sm:grid-cols-2">
        <TextField id="code" name="code" label="Code" placeholder="EARLYBIRD" errors={errors.code} />
        <label className="space-y-1 text-sm font-medium">
          <span className="block">Kind</span>
          <select
            name="kind"
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="percent">Percent off</option>
            <option value="fixed">Fixed amount off (USD)</option>
          </select>
        </label>
        <TextField id="value" name="value" label="Discount (percent or dollars)" inputMode="decimal" errors={errors.value} />
        <TextField id="maxUses" name="maxUses" label="Maximum uses (optional)" inputMode="numeric" errors={errors.maxUses} />
        <TextField
          id="expiresAt"
          name="expiresAt"
          type="datetime-local"
          label="Expires (optional, your local time)"
          errors={errors.expiresAt}
        />
        <div className="flex items-end">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create code"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
