"use server";

import { signOut, unstable_update } from "@/server/accounts/auth";

export async function signOutAction() {
  await signOut({ redirectTo: "/" });
}

/**
 * Clears this browser's cookie after its session ended (signed out everywhere, here or on another
 * device, a suspension…); the page then loads sign-in afresh (signedOutPath), which says so.
 */
export async function clearEndedSession(): Promise<void> {
  await signOut({ redirect: false });
}

/**
 * Hands a session renewal ticket (from a procedure that changed the account's security or asked
 * who the user is again) to Auth.js, which rewrites this browser's session cookie when the ticket
 * verifies (see the jwt callback in server/accounts/auth.ts). Anything else changes nothing.
 */
export async function renewSession(ticket: string): Promise<void> {
  await unstable_update({ renew: ticket } as never);
}
