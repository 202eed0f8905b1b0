import { eq } from "drizzle-orm";
import { registrations } from "@/db/schema/registration";
import type { PurposeHooks } from "@/server/payments/purposes";
import { creditFromCard, eventEscrowAccount, platformAccount, transfer } from "@/server/ledger";
import { postHold } from "@/server/ledger";
import { cardPartToEscrow, endUnpaid, eventOf, lockEventThenRegistration, lockRegistration, notifyConfirmed } from "./lifecycle";

/** What a card payment for an entry (payment purpose `registration`) does with the money; registered in server/composition.ts. */
export const registrationPaymentHooks: PurposeHooks = {
  async returnTo(db, payment) {
    if (!payment.purposeRef) return null;
    const [registration] = await db
      .select({ eventId: registrations.eventId })
      .from(registrations)
      .where(eq(registrations.id, payment.purposeRef));
    return registration ? { path: `/events/${registration.eventId}?payment=${payment.id}#register`, label: "the event" } : null;
  },
  async describeForPayer(db, payment) {
    if (!payment.purposeRef) return null;
    const [registration] = await db
      .select({
        eventId: registrations.eventId,
        status: registrations.status,
        fee: registrations.fee,
        discount: registrations.discount,
        walletAmount: registrations.walletAmount,
        cardAmount: registrations.cardAmount,
        expiresAt: registrations.expiresAt,
      })
      .from(registrations)
      .where(eq(registrations.id, payment.purposeRef));
    if (!registration) return null;
    const event = await eventOf(db, registration.eventId);
    return {
      title: event.name,
      path: `/events/${registration.eventId}`,
      total: registration.fee - registration.discount,
      walletHeld: registration.walletAmount,
      card: registration.cardAmount,
      heldUntil: registration.status === "pending_payment" ? registration.expiresAt : null,
    };
  },
  async onSucceeded(tx, payment) {
    // The event row first, as every path that ends or changes an entry takes it (the bracket's
    // start announces on the event and then locks the entries it ends).
    const registration = await lockEventThenRegistration(tx, payment.purposeRef!);
    if (registration?.status === "pending_payment") {
      const event = await eventOf(tx, registration.eventId);
      const transferId = await cardPartToEscrow(tx, registration, payment.id, payment.amount);
      if (registration.holdId) {
        await postHold(tx, {
          holdId: registration.holdId,
          toAccountId: await eventEscrowAccount(tx, registration.eventId),
          idempotencyKey: `registration:${registration.id}:post`,
          description: `Entry fee: ${event.name}`,
          metadata: { eventId: registration.eventId, registrationId: registration.id },
        });
      }
      await tx
        .update(registrations)
        .set({ status: "confirmed", confirmedAt: new Date(), expiresAt: null })
        .where(eq(registrations.id, registration.id));
      await notifyConfirmed(tx, registration, event);
      return transferId;
    }
    // The entry ended (expired, declined, cancelled) before the money arrived: nothing is lost,
    // it goes to the player's wallet.
    const posted = await creditFromCard(tx, {
      userId: payment.userId,
      amount: payment.amount,
      category: "refund",
      description: "A card payment arrived after its entry had ended: added to your wallet",
      idempotencyKey: `payment:${payment.id}:late`,
      metadata: { paymentId: payment.id, registrationId: payment.purposeRef },
    });
    return posted.transferId;
  },

  async onFailed(tx, payment) {
    const registration = await lockEventThenRegistration(tx, payment.purposeRef!);
    if (registration?.status !== "pending_payment") return;
    await endUnpaid(tx, registration, "payment_failed");
  },

  async onRefundRequested(tx, payment, refund) {
    const registration = (await lockRegistration(tx, payment.purposeRef!))!;
    const posted = await transfer(tx, {
      fromAccountId: await eventEscrowAccount(tx, registration.eventId),
      toAccountId: await platformAccount(tx, "card_clearing"),
      amount: refund.amount,
      category: "refund",
      description: "Entry fee refunded to the card",
      idempotencyKey: `refund:${refund.id}:debit`,
      metadata: { registrationId: registration.id, paymentId: payment.id, refundId: refund.id },
    });
    return posted.transferId;
  },

  async onRefundFailed(tx, payment, refund) {
    // The card could not take the money back; the player gets it in their wallet instead.
    const posted = await creditFromCard(tx, {
      userId: payment.userId,
      amount: refund.amount,
      category: "refund",
      description: "Your card refund failed: the money is in your wallet instead",
      idempotencyKey: `refund:${refund.id}:reversal`,
      metadata: { paymentId: payment.id, refundId: refund.id },
    });
    return posted.transferId;
  },
};
