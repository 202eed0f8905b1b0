import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { payoutAccounts, withdrawals } from "@/db/schema/withdrawals";
import type { SessionUser } from "@/server/accounts/roles";
import { logger } from "@/server/logger";
import type { GatewayBankAccount } from "@/server/payments/gateway";
import { createUser } from "@/server/testing/factories";
import { codeOf } from "@/server/testing/trpc";
import { createCaller } from "@/server/root";
import { createInnerContext } from "@/server/trpc";
import { removeBankAccount, saveBankAccount, type BankAccountGateway } from "./bank-accounts";
import { saveBankAccountInput, type SaveBankAccountInput } from "./bank-schemas";

// Every log line is written (tests are silent otherwise), so the plaintext check below sees them all.
const fake = vi.hoisted(() => {
  process.env.LOG_LEVEL = "trace";
  /** A gateway that registers bank accounts only: the same key answers the same account, as Stripe's idempotency does. */
  const calls: Array<{ idempotencyKey: string; connectedAccountId: string | null; details: Record<string, unknown> }> = [];
  const answers = new Map<string, GatewayBankAccount>();
  const gateway = {
    name: "simulated" as const,
    calls,
    async registerBankAccount(input: {
      idempotencyKey: string;
      connectedAccountId: string | null;
      details: { iban?: string; accountNumber?: string };
    }) {
      calls.push(input as never);
      const known = answers.get(input.idempotencyKey);
      if (known) return known;
      const number = input.details.iban ?? input.details.accountNumber ?? "";
      const answer = {
        connectedAccountId: input.connectedAccountId ?? `acct_${crypto.randomUUID().slice(0, 8)}`,
        externalAccountId: `ba_${crypto.randomUUID().slice(0, 12)}`,
        bankName: input.details.iban ? "Commerzbank" : "STRIPE TEST BANK",
        last4: number.slice(-4),
      };
      answers.set(input.idempotencyKey, answer);
      return answer;
    },
  };
  return { gateway };
});

vi.mock("@/server/payments/provider", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/payments/provider")>()),
  paymentGateway: async () => fake.gateway,
}));

const { db } = await createTestDatabase();

/** Every log line this file writes (pino's stream, shared by every child logger). */
const written: string[] = [];
beforeAll(() => {
  const stream = (logger as unknown as Record<symbol, { write: (line: string) => boolean }>)[pino.symbols.streamSym]!;
  vi.spyOn(stream, "write").mockImplementation((line: string) => {
    written.push(line);
    return true;
  });
});
const gateway: BankAccountGateway = fake.gateway;

const IBAN = "DE89370400440532013000";
const US = { routingNumber: "110000000", accountNumber: "000123456789" };

function ibanInput(iban = IBAN, key = crypto.randomUUID()): SaveBankAccountInput {
  return saveBankAccountInput.parse({ account: { kind: "iban", holderName: "Ada Lovelace", iban }, idempotencyKey: key });
}
function usInput(key = crypto.randomUUID()): SaveBankAccountInput {
  return saveBankAccountInput.parse({ account: { kind: "local", holderName: "Ada Lovelace", country: "US", ...US }, idempotencyKey: key });
}

async function rowsOf(userId: string) {
  return db.select().from(payoutAccounts).where(eq(payoutAccounts.userId, userId)).orderBy(payoutAccounts.createdAt);
}

async function queuedNotices(userId: string): Promise<Array<{ title: string; body: string; email: { text: string } }>> {
  const rows = await db.execute<{ payload: { title: string; body: string; email: { text: string } } }>(sql`
    select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = 'send-notification' and j.payload->>'userId' = ${userId} order by j.id`);
  return rows.map((row) => row.payload);
}

async function waitingWithdrawal(userId: string, payoutAccountId: string) {
  const [row] = await db
    .insert(withdrawals)
    .values({ userId, payoutAccountId, amount: 1000, fee: 100, idempotencyKey: crypto.randomUUID(), holdId: crypto.randomUUID() })
    .returning();
  return row!;
}

describe("saving a bank account", () => {
  it("with the same key twice: one row and one call to the gateway; the same key with another number is refused", async () => {
    const user = await createUser(db);
    const input = ibanInput();
    const first = await saveBankAccount(db, gateway, user, input);
    const callsBefore = fake.gateway.calls.length;
    const again = await saveBankAccount(db, gateway, user, input);
    expect(again).toEqual(first);
    expect(fake.gateway.calls.length).toBe(callsBefore);
    expect(await rowsOf(user.id)).toHaveLength(1);
    expect(first).toMatchObject({ holderName: "Ada Lovelace", kind: "iban", country: "DE", bankName: "Commerzbank", last4: "3000" });
    expect(fake.gateway.calls.at(-1)).toMatchObject({ idempotencyKey: `payout-account:${input.idempotencyKey}` });

    const other = ibanInput("GB82WEST12345698765432", input.idempotencyKey);
    expect(await codeOf(saveBankAccount(db, gateway, user, other))).toBe("CONFLICT");
    expect(await rowsOf(user.id)).toHaveLength(1);
  });

  it("replacing closes the old row, keeps withdrawals pointing at it, reuses the connected account and tells the player", async () => {
    const user = await createUser(db);
    const old = await saveBankAccount(db, gateway, user, ibanInput());
    const withdrawal = await waitingWithdrawal(user.id, old.id);
    const replacement = await saveBankAccount(db, gateway, user, usInput());

    const rows = await rowsOf(user.id);
    expect(rows.map((row) => [row.id, row.removedAt !== null])).toEqual([
      [old.id, true],
      [replacement.id, false],
    ]);
    expect(rows[1]).toMatchObject({ kind: "local", country: "US", last4: "6789", gateway: "simulated" });
    expect(rows[1]!.gatewayConnectedAccountId).toBe(rows[0]!.gatewayConnectedAccountId);
    expect(fake.gateway.calls.at(-1)!.connectedAccountId).toBe(rows[0]!.gatewayConnectedAccountId);
    const [kept] = await db.select().from(withdrawals).where(eq(withdrawals.id, withdrawal.id));
    expect(kept!.payoutAccountId).toBe(old.id);

    const notices = await queuedNotices(user.id);
    expect(notices).toHaveLength(2);
    expect(notices[0]!.body).toContain("A bank account ending 3000 (Commerzbank) was added to your Driftwood account");
    expect(notices[0]!.body).toContain("If this was not you");
    expect(notices[1]!.body).toContain("ending 6789");
    expect(notices[1]!.body).toContain("replacing the one ending 3000");
    expect(notices[1]!.email.text).toContain("replacing the one ending 3000");
  });

  it("saves nothing when the gateway refuses, and says why", async () => {
    const user = await createUser(db);
    const { GatewayRequestError } = await import("@/server/payments/gateway");
    const refusing: BankAccountGateway = {
      name: "simulated",
      registerBankAccount: async () => {
        throw new GatewayRequestError("The routing number is not valid.", "invalid_request");
      },
    };
    await expect(saveBankAccount(db, refusing, user, usInput())).rejects.toThrow(
      "Your bank account was refused: The routing number is not valid.",
    );
    expect(await rowsOf(user.id)).toHaveLength(0);
    expect(await queuedNotices(user.id)).toHaveLength(0);
  });
});

describe("removing a bank account", () => {
  it("is refused while a withdrawal waits, and closes the row once none does", async () => {
    const user = await createUser(db);
    expect(await codeOf(removeBankAccount(db, user.id))).toBe("NOT_FOUND");
    const account = await saveBankAccount(db, gateway, user, ibanInput());
    const withdrawal = await waitingWithdrawal(user.id, account.id);
    await expect(removeBankAccount(db, user.id)).rejects.toThrow("A withdrawal is still waiting to be sent");
    await db.update(withdrawals).set({ status: "approved" }).where(eq(withdrawals.id, withdrawal.id));
    expect(await codeOf(removeBankAccount(db, user.id))).toBe("CONFLICT");
    await db.update(withdrawals).set({ status: "paid" }).where(eq(withdrawals.id, withdrawal.id));
    expect(await removeBankAccount(db, user.id)).toEqual({ removed: true });
    const [row] = await db
      .select()
      .from(payoutAccounts)
      .where(and(eq(payoutAccounts.id, account.id)));
    expect(row!.removedAt).not.toBeNull();
  });
});

describe("the procedures", () => {
  const callerFor = (user: SessionUser) => createCaller(createInnerContext({ db, user }));
  const input = () => ({ account: { kind: "iban" as const, holderName: "Ada Lovelace", iban: IBAN }, idempotencyKey: crypto.randomUUID() });

  it("need a recent sign-in and a verified email to save or remove", async () => {
    const stale = { ...(await createUser(db)), authenticatedAt: new Date(Date.now() - 60 * 60_000) };
    expect(await codeOf(callerFor(stale).withdrawals.saveBankAccount(input()))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(stale).withdrawals.removeBankAccount())).toBe("FORBIDDEN");
    const unverified = { ...(await createUser(db, { emailVerified: false })), authenticatedAt: new Date() };
    expect(await codeOf(callerFor(unverified).withdrawals.saveBankAccount(input()))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(unverified).withdrawals.removeBankAccount())).toBe("FORBIDDEN");
    expect(await rowsOf(stale.id)).toHaveLength(0);
    expect(await rowsOf(unverified.id)).toHaveLength(0);

    const fresh = { ...(await createUser(db)), authenticatedAt: new Date() };
    const saved = await callerFor(fresh).withdrawals.saveBankAccount(input());
    const page = await callerFor(fresh).withdrawals.bankAccount();
    expect(page.account).toEqual(saved);
    expect(page.simulated).toBe(true);
    expect(page.reviewUntil!.getTime() - saved.createdAt.getTime()).toBe(24 * 3600_000);
  });
});

describe("the bank number in plaintext", () => {
  it("is nowhere: not in any table, log line or API answer", async () => {
    const user = { ...(await createUser(db)), authenticatedAt: new Date() };
    const caller = createCaller(createInnerContext({ db, user }));
    const answers: unknown[] = [];
    answers.push(
      await caller.withdrawals.saveBankAccount({
        account: { kind: "iban", holderName: "Ada Lovelace", iban: IBAN },
        idempotencyKey: crypto.randomUUID(),
      }),
    );
    answers.push(await caller.withdrawals.bankAccount());
    answers.push(
      await caller.withdrawals.saveBankAccount({
        account: { kind: "local", holderName: "Ada Lovelace", country: "US", ...US },
        idempotencyKey: crypto.randomUUID(),
      }),
    );
    answers.push(await caller.withdrawals.bankAccount());
    // A refused replay says nothing of either number.
    answers.push(
      await caller.withdrawals
        .saveBankAccount({
          account: { kind: "iban", holderName: "Ada Lovelace", iban: "DE89 3704 0044 0532 0130 01" },
          idempotencyKey: crypto.randomUUID(),
        })
        .catch((error: Error) => error.message),
    );
    logger.info("a line, so the capture is known to work");

    const tables = await db.execute<{ name: string }>(sql`
      select format('%I.%I', table_schema, table_name) as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`);
    expect(tables.length).toBeGreaterThan(20);
    const dump: string[] = [];
    for (const { name } of tables) {
      const rows = await db.execute<{ row: string }>(sql.raw(`select t::text as row from ${name} t`));
      dump.push(...rows.map((row) => row.row));
    }
    const everything = { database: dump.join("\n"), logs: written.join(""), api: JSON.stringify(answers) };
    expect(everything.database).toContain("Ada Lovelace");
    expect(everything.logs).toContain("the capture is known to work");
    expect(everything.api).toContain("6789");

    const secrets = [IBAN, IBAN.slice(0, -4), US.accountNumber, US.accountNumber.slice(0, -4)];
    for (const [where, text] of Object.entries(everything)) {
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    }
  });
});
