import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { createUser } from "@/server/testing/factories";
import type { SessionUser } from "./accounts/roles";
import { appRouter, createCaller } from "./root";
import { createInnerContext } from "./trpc";

type Caller = "anonymous" | "player" | "organizer" | "admin";
const everyone: Caller[] = ["anonymous", "player", "organizer", "admin"];
const signedIn: Caller[] = ["player", "organizer", "admin"];
const organizers: Caller[] = ["organizer", "admin"];
const admins: Caller[] = ["admin"];

/**
 * Who may call each procedure. Inputs are chosen to pass authorization and then stop harmlessly
 * (a validation error or NOT_FOUND), so the test never changes real data. A new procedure that is
 * not listed here fails the test.
 */
const accessTable: Record<string, { allowed: Caller[]; input?: unknown }> = {
  "account.signUp": { allowed: everyone, input: { name: "", email: "not-an-email", password: "short" } },
  "account.nameAvailable": { allowed: everyone, input: { name: "" } },
  "account.me": { allowed: signedIn },
  "account.updateProfile": { allowed: signedIn, input: { name: "" } },
  "account.removeAvatar": { allowed: signedIn },

  // account: password reset, email verification, email and password changes
  "account.requestPasswordReset": { allowed: everyone, input: { email: "not-an-email" } },
  "account.resetPassword": { allowed: everyone, input: { token: "", password: "short" } },
  "account.verifyEmail": { allowed: everyone, input: { token: "" } },
  "account.resendVerification": { allowed: signedIn },
  "account.emailStatus": { allowed: signedIn },
  "account.requestEmailChange": { allowed: signedIn, input: { newEmail: "not-an-email", password: "" } },
  "account.cancelEmailChange": { allowed: signedIn },
  "account.changePassword": { allowed: signedIn, input: { currentPassword: "", newPassword: "short" } },

  // account: two-factor sign-in, passkeys, confirming it is you
  "account.securityStatus": { allowed: signedIn },
  "account.beginTotp": { allowed: signedIn },
  "account.confirmTotp": { allowed: signedIn, input: { code: "nope" } },
  "account.disableTotp": { allowed: signedIn },
  "account.regenerateRecoveryCodes": { allowed: signedIn },
  "account.beginPasskeyRegistration": { allowed: signedIn },
  "account.finishPasskeyRegistration": { allowed: signedIn, input: { challengeId: "nope", response: {}, name: "" } },
  "account.renamePasskey": { allowed: signedIn, input: { id: "nope", name: "" } },
  "account.removePasskey": { allowed: signedIn, input: { id: "nope" } },
  "account.beginPasskeySignIn": { allowed: everyone },
  "account.beginPasskeyConfirmation": { allowed: signedIn },
  "account.confirmIdentity": { allowed: signedIn, input: { method: "password", password: "" } },

  // account: sessions
  "account.currentSession": { allowed: signedIn },
  // Ends the (test) caller's sessions, which changes nothing the other rows rely on.
  "account.signOutEverywhere": { allowed: signedIn },

  "admin.users": { allowed: admins, input: {} },
  "admin.setRole": { allowed: admins, input: { userId: crypto.randomUUID(), role: "player" } },
  "admin.wallet": { allowed: admins, input: { userId: crypto.randomUUID() } },
  "admin.walletHistory": { allowed: admins, input: { userId: crypto.randomUUID() } },
  "admin.adjustWallet": { allowed: admins, input: { userId: crypto.randomUUID(), amount: 0, reason: "", idempotencyKey: "x" } },
  "admin.reconciliationRuns": { allowed: admins },
  "admin.reconciliationMismatches": { allowed: admins, input: { runId: "not-a-uuid" } },
  "admin.runReconciliation": { allowed: admins },
  "admin.failedJobs": { allowed: admins },
  "admin.retryJob": { allowed: admins, input: { jobId: "not-a-job" } },

  // admin: suspensions and the audit log
  "admin.suspendUser": { allowed: admins, input: { userId: crypto.randomUUID(), reason: "", until: null } },
  "admin.liftSuspension": { allowed: admins, input: { userId: crypto.randomUUID() } },
  "admin.auditLog": { allowed: admins, input: { page: 1 } },

  // admin: the withdrawal review queue
  "admin.withdrawals": { allowed: admins, input: {} },
  "admin.withdrawalCounts": { allowed: admins },
  "admin.decideWithdrawals": { allowed: admins, input: { ids: [crypto.randomUUID()], decision: "reject", reason: "" } },

  "brackets.get": { allowed: everyone, input: { eventId: crypto.randomUUID() } },
  "brackets.previewSeeding": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "brackets.start": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "brackets.consoleMatches": { allowed: organizers, input: { eventId: crypto.randomUUID(), state: "ready" } },
  "brackets.history": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "brackets.setResult": { allowed: organizers, input: { matchId: crypto.randomUUID(), outcome: { type: "played", winner: 0 } } },
  "brackets.recordGame": { allowed: organizers, input: { matchId: crypto.randomUUID(), winnerSide: 0 } },
  "brackets.forfeit": { allowed: organizers, input: { matchId: crypto.randomUUID(), winnerSide: 1 } },
  "brackets.doubleForfeit": { allowed: organizers, input: { matchId: crypto.randomUUID() } },
  "brackets.clearResult": { allowed: organizers, input: { matchId: crypto.randomUUID() } },
  "brackets.previewCorrection": { allowed: organizers, input: { matchId: crypto.randomUUID(), outcome: { type: "double_forfeit" } } },
  "brackets.applyCorrection": { allowed: organizers, input: { matchId: crypto.randomUUID(), outcome: { type: "double_forfeit" } } },
  "brackets.disqualify": { allowed: organizers, input: { eventId: crypto.randomUUID(), entrantId: crypto.randomUUID() } },
  "brackets.reinstate": { allowed: organizers, input: { eventId: crypto.randomUUID(), entrantId: crypto.randomUUID() } },
  "brackets.undo": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "brackets.callMatch": { allowed: organizers, input: { matchId: crypto.randomUUID() } },
  "brackets.announce": { allowed: organizers, input: { eventId: crypto.randomUUID(), message: "" } },
  "brackets.retryPayout": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "disputes.raise": {
    allowed: signedIn,
    input: { matchId: crypto.randomUUID(), gameNumber: 1, reason: "other", description: "short", evidenceIds: [] },
  },
  "disputes.respond": { allowed: signedIn, input: { disputeId: crypto.randomUUID(), body: "", evidenceIds: [] } },
  "disputes.withdraw": { allowed: signedIn, input: { disputeId: crypto.randomUUID() } },
  "disputes.get": { allowed: signedIn, input: { disputeId: crypto.randomUUID() } },
  "disputes.queue": { allowed: organizers, input: { status: "bogus" } },
  "disputes.resolve": { allowed: organizers, input: { disputeId: crypto.randomUUID(), winnerSide: 0, explanation: "short" } },
  "chat.rooms": { allowed: signedIn },
  "chat.room": { allowed: signedIn, input: { roomId: crypto.randomUUID() } },
  "chat.openDirect": { allowed: signedIn, input: { userId: crypto.randomUUID() } },
  "chat.joinEventLobby": { allowed: signedIn, input: { eventId: crypto.randomUUID() } },
  "chat.history": { allowed: signedIn, input: { roomId: crypto.randomUUID() } },
  "chat.search": { allowed: signedIn, input: { roomId: crypto.randomUUID(), query: "gg" } },
  "chat.send": { allowed: signedIn, input: { roomId: crypto.randomUUID(), body: "", clientId: crypto.randomUUID() } },
  "chat.delete": { allowed: signedIn, input: { messageId: crypto.randomUUID() } },
  "chat.report": { allowed: signedIn, input: { messageId: crypto.randomUUID(), reason: "spam" } },
  "chat.typing": { allowed: signedIn, input: { roomId: crypto.randomUUID() } },
  "chat.markRead": { allowed: signedIn, input: { roomId: crypto.randomUUID(), messageId: crypto.randomUUID() } },
  "chat.unreadTotal": { allowed: signedIn },
  "chat.heartbeat": { allowed: signedIn },
  "chat.block": { allowed: signedIn, input: { userId: "nope" } },
  "chat.unblock": { allowed: signedIn, input: { userId: "nope" } },
  "chat.blocked": { allowed: signedIn },
  "chat.findUser": { allowed: signedIn, input: { query: "" } },
  "chat.reports": { allowed: admins, input: {} },
  "chat.resolveReport": { allowed: admins, input: { reportId: crypto.randomUUID(), action: "dismiss" } },
  "events.list": { allowed: everyone, input: {} },
  "events.get": { allowed: everyone, input: { eventId: crypto.randomUUID() } },
  "events.participants": { allowed: everyone, input: { eventId: crypto.randomUUID() } },
  "events.mine": { allowed: organizers },
  "events.money": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "events.create": { allowed: organizers, input: { name: "" } },
  "events.update": { allowed: organizers, input: { eventId: "nope" } },
  "events.publish": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "games.list": { allowed: everyone },
  "live.firebaseToken": { allowed: signedIn },
  "registration.upcoming": { allowed: signedIn },
  "registration.mine": { allowed: signedIn, input: { eventId: crypto.randomUUID() } },
  "registration.quote": { allowed: signedIn, input: { eventId: "nope" } },
  "registration.checkout": { allowed: signedIn, input: { eventId: "nope" } },
  "registration.withdraw": { allowed: signedIn, input: { registrationId: crypto.randomUUID() } },
  "registration.checkIn": { allowed: signedIn, input: { registrationId: crypto.randomUUID() } },
  "registration.forEvent": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "registration.cancelEvent": { allowed: organizers, input: { eventId: crypto.randomUUID(), reason: "" } },
  "registration.createPromoCode": { allowed: organizers, input: { code: "" } },
  "registration.promoCodes": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "registration.addParticipant": { allowed: organizers, input: { eventId: crypto.randomUUID(), email: "nope" } },
  "registration.removeParticipant": { allowed: organizers, input: { registrationId: crypto.randomUUID(), refund: "full" } },
  "registration.dropNoShows": { allowed: organizers, input: { eventId: crypto.randomUUID() } },
  "matches.get": { allowed: everyone, input: { matchId: crypto.randomUUID() } },
  "matches.mine": { allowed: signedIn, input: { eventId: crypto.randomUUID() } },
  "matches.reportGame": { allowed: signedIn, input: { matchId: crypto.randomUUID(), gameNumber: 1, winnerSide: 0 } },
  "matches.current": { allowed: signedIn },
  "matches.reportSet": { allowed: signedIn, input: { matchId: crypto.randomUUID(), winners: [0] } },
  "matches.confirmSet": { allowed: signedIn, input: { matchId: crypto.randomUUID(), winners: [0] } },
  "matches.chatRoom": { allowed: signedIn, input: { matchId: crypto.randomUUID() } },
  "notifications.list": { allowed: signedIn, input: { limit: 10 } },
  "notifications.unreadCount": { allowed: signedIn },
  "notifications.markRead": { allowed: signedIn, input: { ids: [crypto.randomUUID()] } },
  "payments.simulatedCheckout": { allowed: signedIn, input: { paymentId: crypto.randomUUID() } },
  "payments.confirmSimulatedCard": { allowed: signedIn, input: { paymentId: "nope" } },
  "payments.completeSimulatedAuthentication": { allowed: signedIn, input: { paymentId: "nope", approve: true } },
  "teams.mine": { allowed: signedIn },
  "teams.get": { allowed: signedIn, input: { teamId: crypto.randomUUID() } },
  "teams.create": { allowed: signedIn, input: { name: "", tag: "" } },
  "teams.invite": { allowed: signedIn, input: { teamId: crypto.randomUUID(), handle: "" } },
  "teams.respond": { allowed: signedIn, input: { inviteId: crypto.randomUUID(), response: "accept" } },
  "teams.revoke": { allowed: signedIn, input: { inviteId: crypto.randomUUID() } },
  "teams.leave": { allowed: signedIn, input: { teamId: crypto.randomUUID() } },
  "teams.remove": { allowed: signedIn, input: { teamId: crypto.randomUUID(), userId: crypto.randomUUID() } },
  "teams.transferCaptaincy": { allowed: signedIn, input: { teamId: crypto.randomUUID(), userId: crypto.randomUUID() } },
  "wallet.overview": { allowed: signedIn },
  "wallet.history": { allowed: signedIn, input: { limit: 5 } },
  "wallet.balanceSeries": { allowed: signedIn },
  "wallet.startTopUp": { allowed: signedIn, input: { amount: 1, idempotencyKey: "x" } },
  "wallet.payment": { allowed: signedIn, input: { paymentId: crypto.randomUUID() } },
  "wallet.cancelTopUp": { allowed: signedIn, input: { paymentId: crypto.randomUUID() } },

  "withdrawals.overview": { allowed: signedIn },
  "withdrawals.request": { allowed: signedIn, input: { amount: 0, idempotencyKey: "x" } },
  "withdrawals.cancel": { allowed: signedIn, input: { withdrawalId: crypto.randomUUID() } },
  "withdrawals.payoutReadiness": { allowed: signedIn },
  "withdrawals.bankAccount": { allowed: signedIn },
  "withdrawals.saveBankAccount": { allowed: signedIn, input: { account: { kind: "iban", holderName: "", iban: "" }, idempotencyKey: "x" } },
  // Nobody in this test has a bank account: NOT_FOUND, nothing changes.
  "withdrawals.removeBankAccount": { allowed: signedIn },
};

const database = await createTestDatabase();
const users: Record<Caller, SessionUser | null> = { anonymous: null, player: null, organizer: null, admin: null };

beforeAll(async () => {
  // Signed in just now: procedures that ask for a recent proof of identity get past it to their input.
  const recently = { authenticatedAt: new Date() };
  users.player = { ...(await createUser(database.db, { role: "player" })), ...recently };
  users.organizer = { ...(await createUser(database.db, { role: "organizer" })), ...recently };
  users.admin = { ...(await createUser(database.db, { role: "admin" })), ...recently };
});

async function call(path: string, as: Caller, input: unknown): Promise<string> {
  const caller = createCaller(createInnerContext({ db: database.db, user: users[as] }));
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  try {
    await (procedure as (input: unknown) => Promise<unknown>)(input);
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("authorization table", () => {
  it("lists every procedure of the app router, and nothing else", () => {
    expect(Object.keys(accessTable).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  for (const [path, rule] of Object.entries(accessTable)) {
    for (const as of everyone) {
      const allowed = rule.allowed.includes(as);
      it(`${path} as ${as}: ${allowed ? "allowed" : "refused"}`, async () => {
        const code = await call(path, as, rule.input);
        if (allowed) {
          expect(["UNAUTHORIZED", "FORBIDDEN"]).not.toContain(code);
        } else {
          expect(code).toBe(as === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN");
        }
      });
    }
  }
});
