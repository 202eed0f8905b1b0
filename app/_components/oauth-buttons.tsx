"use client";

import { signIn } from "next-auth/react";
import { buttonClass } from "./ui";

export function OAuthButtons({ providers, callbackUrl }: { providers: { discord: boolean; google: boolean }; callbackUrl: string }) {
  if (!providers.discord && !providers.google) return null;
  return (
    <div className="mt-6 space-y-2">
      <p className="text-center text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">or continue with</p>
      {providers.discord ? (
        <button type="button" className={buttonClass("secondary", "w-full")} onClick={() => signIn("discord", { redirectTo: callbackUrl })}>
          Discord
        </button>
      ) : null}
      {providers.google ? (
        <button type="button" className={buttonClass("secondary", "w-full")} onClick={() => signIn("google", { redirectTo: callbackUrl })}>
          Google
        </button>
      ) : null}
    </div>
  );
}
