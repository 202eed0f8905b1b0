import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { confirmIdentityLimit } from "@/server/accounts/confirm-identity";
import { assertEmailVerified } from "@/server/accounts/email-address";
import { relyingParty, requestHeaders } from "@/server/accounts/relying-party";
import { assertRecentAuth } from "@/server/accounts/sessions";
import { verifySecondFactor } from "@/server/accounts/two-factor";
import { appOrigin } from "@/server/accounts/account-emails";
import { Invalid, RateLimited } from "@/server/errors";
import type { PaymentGateway } from "@/server/payments/gateway";
import { paymentGateway } from "@/server/payments/provider";
import { consumeLimit, refundLimit, retryMessage, type LimitRule } from "@/server/rate-limit";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc";
import { walletBalances } from "@/server/ledger";
import { BANK_ACCOUNT_LIMIT, bankAccountOf, removeBankAccount, reviewEndOf, saveBankAccount } from "./bank-accounts";
import { saveBankAccountInput } from "./bank-schemas";
import { openPayoutAccount, payoutAccountView } from "./payout-accounts";
import { cancelWithdrawal, ownWithdrawals, requestWithdrawal, withdrawalRoom } from "./requests";
import { rulesForDisplay } from "./rules";
import { requestWithdrawalInput, withdrawalIdInput } from "./schemas";

/** The processor's answer for the player's account, with links back to the bank page. */
function payoutReadinessOf(gateway: PaymentGateway, account: { gateway: string; gatewayConnectedAccountId: string | null }) {
  if (account.gateway !== gateway.name) return { payoutsEnabled: false, due: ["external_account"], verificationUrl: null };
  const page = `${appOrigin()}/wallet/bank`;
  return gateway.payoutReadiness({
    connectedAccountId: account.gatewayConnectedAccountId,
    returnUrl: `${page}?verified=1`,
    refreshUrl: page,
  });
}

const requestLimit: LimitRule = { name: "withdrawal:user", points: 20, durationSeconds: 60 * 60 };

export const withdrawalsRouter = createTRPCRouter({
  /** The withdraw page: the rules, what is left today, the bank account, the balance and the requests. */
  overview: protectedProcedure.query(async ({ ctx }) => {
    const [account, room, balances, list] = await Promise.all([
      openPayoutAccount(ctx.db, ctx.user.id),
      withdrawalRoom(ctx.db, ctx.user.id),
      walletBalances(ctx.db, ctx.user.id),
      ownWithdrawals(ctx.db, ctx.user.id),
    ]);
    return { rules: rulesForDisplay(), room, account: account ? payoutAccountView(account) : null, balances, withdrawals: list };
  }),
  /** Asks for a withdrawal (or, with the same key, finds it again). Needs a verified email and a recent sign-in. */
  request: protectedProcedure.input(requestWithdrawalInput).mutation(async ({ ctx, input }) => {
    assertEmailVerified(ctx.user);
    assertRecentAuth(ctx.user);
    const limit = await consumeLimit(ctx.db, requestLimit, ctx.user.id);
    if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
    const gateway = await paymentGateway(ctx.db);
    const account = await openPayoutAccount(ctx.db, ctx.user.id);
    if (account && !(await payoutReadinessOf(gateway, account)).payoutsEnabled) {
      throw new Invalid(
        "The payment processor needs to verify your identity before it can pay you: open Bank account and follow the link.",
        {
          field: "amount",
        },
      );
    }
    const proof = input.secondFactor;
    return requestWithdrawal(
      ctx.db,
      { userId: ctx.user.id, amount: input.amount, idempotencyKey: input.idempotencyKey, requestIp: ctx.ip ?? null },
      {
        proveSecondFactor: async () => {
          if (!proof) return false;
          // Wrong codes count against the same per-account allowance as "confirm it is you".
          const attempts = await consumeLimit(ctx.db, confirmIdentityLimit, ctx.user.id);
          if (!attempts.allowed) throw new RateLimited(retryMessage(attempts.retryAfterSeconds), attempts.retryAfterSeconds);
          const rp = relyingParty(await requestHeaders());
          const proved = await verifySecondFactor(
            ctx.db,
            ctx.user.id,
            proof.method === "passkey"
              ? { kind: "passkey", challengeId: proof.challengeId, response: proof.response as unknown as AuthenticationResponseJSON }
              : { kind: proof.method, code: proof.code },
            { rp, purpose: "confirm" },
          );
          if (proved) await refundLimit(ctx.db, confirmIdentityLimit, ctx.user.id);
          return proved;
        },
      },
    );
  }),
  /** Whether the payment processor lets the player's money out yet, and where to verify their identity if not. */
  payoutReadiness: protectedProcedure.query(async ({ ctx }) => {
    const account = await openPayoutAccount(ctx.db, ctx.user.id);
    if (!account) return { payoutsEnabled: false, due: [], verificationUrl: null };
    return payoutReadinessOf(await paymentGateway(ctx.db), account);
  }),
  /** Takes back a request nobody has approved yet. */
  cancel: protectedProcedure
    .input(withdrawalIdInput)
    .mutation(({ ctx, input }) => cancelWithdrawal(ctx.db, ctx.user.id, input.withdrawalId)),
  // ---- bank accounts (server/withdrawals/bank-accounts.ts) ----
  /** The bank account page: the current account, how long withdrawals to it wait for review, and whether the test numbers apply. */
  bankAccount: protectedProcedure.query(async ({ ctx }) => {
    const account = await bankAccountOf(ctx.db, ctx.user.id);
    const gateway = await paymentGateway(ctx.db);
    return { account, reviewUntil: account ? reviewEndOf(account) : null, simulated: gateway.name === "simulated" };
  }),
  /** Adds or replaces the bank account (registered with the gateway first). Needs a verified email and a recent sign-in. */
  saveBankAccount: protectedProcedure.input(saveBankAccountInput).mutation(async ({ ctx, input }) => {
    assertEmailVerified(ctx.user);
    assertRecentAuth(ctx.user);
    const limit = await consumeLimit(ctx.db, BANK_ACCOUNT_LIMIT, ctx.user.id);
    if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
    return saveBankAccount(ctx.db, await paymentGateway(ctx.db), { id: ctx.user.id, email: ctx.user.email }, input);
  }),
  /** Removes the bank account; refused while a withdrawal waits. Needs a verified email and a recent sign-in. */
  removeBankAccount: protectedProcedure.mutation(async ({ ctx }) => {
    assertEmailVerified(ctx.user);
    assertRecentAuth(ctx.user);
    const limit = await consumeLimit(ctx.db, BANK_ACCOUNT_LIMIT, ctx.user.id);
    if (!limit.allowed) throw new RateLimited(retryMessage(limit.retryAfterSeconds), limit.retryAfterSeconds);
    return removeBankAccount(ctx.db, ctx.user.id);
  }),
  // ---- end of bank accounts ----
});
