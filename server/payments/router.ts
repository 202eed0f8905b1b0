import type { Db } from "@/db/client";
import { Invalid, NotFound } from "@/server/errors";
import { authenticationInput, paymentIdInput, simulatedCardInput } from "@/server/wallet/schemas";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc";
import { paymentGateway } from "./provider";
import { payerContext, purposeHooks } from "./purposes";
import { getPayment } from "./service";
import type { SimulatedGateway } from "./simulated-gateway";

/** The payer's own payment at the simulated provider; anyone else's looks like it does not exist. */
async function simulatedPayment(db: Db, userId: string, paymentId: string) {
  const gateway = await paymentGateway(db);
  const payment = await getPayment(db, paymentId);
  if (!payment || payment.userId !== userId || !payment.gatewayPaymentId || !payment.clientSecret) {
    throw new NotFound("We could not find that payment.");
  }
  if (gateway.name !== "simulated") {
    throw new Invalid("Card payments are handled by Stripe on this server.");
  }
  return { gateway: gateway as SimulatedGateway, payment };
}

/**
 * Where the card step sends the player back to (their wallet, or the event they are entering),
 * and what the payment is for, as its purpose tells its payer.
 */
async function returnPath(db: Db, payment: NonNullable<Awaited<ReturnType<typeof getPayment>>>) {
  const [back, context] = await Promise.all([purposeHooks(payment.purpose).returnTo?.(db, payment), payerContext(db, payment)]);
  if (back) return { returnTo: back.path, returnLabel: back.label, context };
  return { returnTo: `/wallet?payment=${payment.id}`, returnLabel: "your wallet", context };
}

function checkoutView(
  payment: NonNullable<Awaited<ReturnType<typeof getPayment>>>,
  intent: { status: string; lastPaymentError: string | null },
  back: Awaited<ReturnType<typeof returnPath>>,
) {
  return {
    ...back,
    paymentId: payment.id,
    purpose: payment.purpose,
    amount: payment.amount,
    paymentStatus: payment.status,
    intentStatus: intent.status,
    error: intent.lastPaymentError,
  };
}

export const paymentsRouter = createTRPCRouter({
  simulatedCheckout: protectedProcedure.input(paymentIdInput).query(async ({ ctx, input }) => {
    const { gateway, payment } = await simulatedPayment(ctx.db, ctx.user.id, input.paymentId);
    const intent = await gateway.retrievePaymentIntent(payment.gatewayPaymentId!);
    return checkoutView(payment, intent!, await returnPath(ctx.db, payment));
  }),
  confirmSimulatedCard: protectedProcedure.input(simulatedCardInput).mutation(async ({ ctx, input }) => {
    const { gateway, payment } = await simulatedPayment(ctx.db, ctx.user.id, input.paymentId);
    const intent = await gateway.confirmCard({
      intentId: payment.gatewayPaymentId!,
      clientSecret: payment.clientSecret!,
      cardNumber: input.cardNumber,
      cardLast4: input.cardNumber.slice(-4),
    });
    return checkoutView(payment, intent, await returnPath(ctx.db, payment));
  }),
  completeSimulatedAuthentication: protectedProcedure.input(authenticationInput).mutation(async ({ ctx, input }) => {
    const { gateway, payment } = await simulatedPayment(ctx.db, ctx.user.id, input.paymentId);
    const intent = await gateway.completeAuthentication({
      intentId: payment.gatewayPaymentId!,
      clientSecret: payment.clientSecret!,
      approve: input.approve,
    });
    return checkoutView(payment, intent, await returnPath(ctx.db, payment));
  }),
});
