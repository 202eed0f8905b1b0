/** The common money movements, each one balanced transfer: credit, debit and transfer between accounts. */
import type { DbOrTx } from "@/db/client";
import type { TransferCategory } from "@/db/schema/ledger";
import { platformAccount, walletAccounts, type WalletAccounts } from "./accounts";
import { assertCents, postTransfer, type TransferRequest } from "./posting";

export interface Movement {
  idempotencyKey: string;
  amount: number;
  category: TransferCategory;
  description: string;
  metadata?: Record<string, string | number | null>;
}

/** Money into a user's available balance from another account (a card clearing, an escrow…). */
export async function credit(db: DbOrTx, input: Movement & { userId: string; fromAccountId: string }) {
  assertCents(input.amount);
  const wallet = await walletAccounts(db, input.userId);
  return postTransfer(db, {
    ...input,
    operation: "credit",
    legs: [
      { accountId: input.fromAccountId, amount: -input.amount },
      { accountId: wallet.available, amount: input.amount },
    ],
  });
}

/** Money that came in by card (card clearing) into a user's available balance. */
export async function creditFromCard(db: DbOrTx, input: Movement & { userId: string }) {
  return credit(db, { ...input, fromAccountId: await platformAccount(db, "card_clearing") });
}

/** An entry fee, a withdrawal…: money out of the user's available balance into another account. */
export function debitRequest(input: Movement & { toAccountId: string; wallet: WalletAccounts }): TransferRequest {
  assertCents(input.amount);
  const { wallet, toAccountId, amount, idempotencyKey, category, description, metadata } = input;
  return {
    idempotencyKey,
    category,
    description,
    metadata,
    operation: "debit",
    legs: [
      { accountId: wallet.available, amount: -amount },
      { accountId: toAccountId, amount },
    ],
  };
}

/** Money out of a user's available balance; refused when it is not there. */
export async function debit(db: DbOrTx, input: Movement & { userId: string; toAccountId: string; wallet?: WalletAccounts }) {
  const wallet = input.wallet ?? (await walletAccounts(db, input.userId));
  return postTransfer(db, debitRequest({ ...input, wallet }));
}

export async function transfer(db: DbOrTx, input: Movement & { fromAccountId: string; toAccountId: string }) {
  assertCents(input.amount);
  return postTransfer(db, {
    ...input,
    operation: "transfer",
    legs: [
      { accountId: input.fromAccountId, amount: -input.amount },
      { accountId: input.toAccountId, amount: input.amount },
    ],
  });
}
