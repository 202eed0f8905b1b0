"use server";

import { signOut } from "@/server/accounts/auth";

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
