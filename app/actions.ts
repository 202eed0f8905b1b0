"use server";

import { signOut } from "@/server/accounts/auth";

export async function signOutAction() {
  await signOut({ redirectTo: "/" });
}
