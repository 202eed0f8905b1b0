"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, messageOf, zodFieldErrors } from "@/app/_components/errors";
import { SelectField, TextField } from "@/app/_components/field";
import { Alert, Button, Card, Spinner } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/react";
import { LocalTime } from "@/app/wallet/local-time";
import { formatMoney, parseMoney } from "@/lib/money";
import { adjustWalletInput } from "@/server/wallet/schemas";
import { AdminLedger } from "./admin-ledger";

export function AdminWallet({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const wallet = useQuery(trpc.admin.wallet.queryOptions({ userId }));
  if (wallet.isPending) return <Spinner label="Loading wallet…" />;
  if (wallet.isError) return <Alert>{messageOf(wallet.error)}</Alert>;
  const { user, balances, adjustments } = wallet.data;
  return (
    <div className="space-y-6">
      <Card>
        <p className="text-lg font-semibold">{user.name}</p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {user.email} · <span className="capitalize">{user.role}</span>
        </p>
        <dl className="mt-4 grid grid-cols-3 gap-4">
          {(
            [
              ["Available", balances.available],
              ["Held", balances.held],
              ["Current", balances.current],
            ] as const
          ).map(([label, cents]) => (
            <div key={label}>
              <dt className="text-sm text-zinc-600 dark:text-zinc-400">{label}</dt>
              <dd className="text-xl font-bold tabular-nums" data-testid={`admin-balance-${label.toLowerCase()}`}>
                {formatMoney(cents)}
              </dd>
            </div>
          ))}
        </dl>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <AdjustForm userId={userId} available={balances.available} />
        <Card>
          <h2 className="text-lg font-semibold">Adjustments</h2>
          {adjustments.length === 0 ? (
            <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No adjustments have been made to this wallet.</p>
          ) : (
            <ul className="mt-3 space-y-3 text-sm">
              {adjustments.map((entry) => {
                const details = entry.details as { amount?: number; reason?: string };
                return (
                  <li key={entry.id} className="border-b border-zinc-200 pb-2 last:border-0 dark:border-zinc-800">
                    <p className="font-medium tabular-nums">{formatMoney(details.amount ?? 0, { signed: true })}</p>
                    <p>{details.reason}</p>
                    <p className="text-xs text-zinc-600 dark:text-zinc-400">
                      by {entry.actorName ?? "a deleted account"} · <LocalTime date={entry.createdAt} />
                    </p>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
      </div>
      <section aria-labelledby="ledger-heading" className="space-y-3">
        <h2 id="ledger-heading" className="text-lg font-semibold">
          Ledger
        </h2>
        <AdminLedger userId={userId} />
      </section>
    </div>
  );
}

function AdjustForm({ userId, available }: { userId: string; available: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const adjust = useMutation(trpc.admin.adjustWallet.mutationOptions());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  // One key per adjustment the admin means to make; a new one after each success.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const cents = parseMoney(String(form.get("amount") ?? ""));
    const direction = form.get("direction") === "debit" ? -1 : 1;
    if (cents === null || cents === 0) {
      setFieldErrors({ amount: ["Enter an amount like 12.50."] });
      return;
    }
    const input = { userId, amount: direction * cents, reason: String(form.get("reason") ?? ""), idempotencyKey };
    const parsed = adjustWalletInput.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error));
      return;
    }
    setFieldErrors({});
    try {
      await adjust.mutateAsync(parsed.data);
      toast.success(`Wallet ${direction > 0 ? "credited" : "debited"} ${formatMoney(cents)}.`);
      setIdempotencyKey(crypto.randomUUID());
      (event.target as HTMLFormElement).reset();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.admin.wallet.queryKey({ userId }) }),
        queryClient.invalidateQueries({ queryKey: trpc.admin.walletHistory.pathKey() }),
      ]);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else toast.error(messageOf(error));
    }
  }

  return (
    <Card>
      <h2 className="text-lg font-semibold">Adjust this wallet</h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Every adjustment is recorded with your name and the reason. A debit cannot exceed the available {formatMoney(available)}.
      </p>
      <form onSubmit={onSubmit} noValidate className="mt-4 space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField id="direction" name="direction" label="Direction" defaultValue="credit">
            <option value="credit">Credit (add money)</option>
            <option value="debit">Debit (take money)</option>
          </SelectField>
          <TextField
            id="amount"
            name="amount"
            label="Amount (USD)"
            inputMode="decimal"
            placeholder="10.00"
            required
            errors={fieldErrors.amount}
          />
        </div>
        <TextField
          id="reason"
          name="reason"
          label="Reason"
          required
          maxLength={500}
          placeholder="e.g. Goodwill credit for the server outage on 20 Nov"
          errors={fieldErrors.reason}
        />
        <Button type="submit" disabled={adjust.isPending}>
          {adjust.isPending ? "Saving…" : "Record adjustment"}
        </Button>
      </form>
    </Card>
  );
}
