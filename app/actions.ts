"use server";

import { cookies } from "next/headers";
import { THEME_COOKIE, themeOf } from "@/app/_components/theme";
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

/** Remembers this browser's colour theme for a year ("system": forgets it). */
export async function setThemeAction(theme: string): Promise<void> {
  const chosen = themeOf(theme);
  const jar = await cookies();
  if (chosen === "system") jar.delete(THEME_COOKIE);
  else jar.set(THEME_COOKIE, chosen, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax", httpOnly: true });
}
