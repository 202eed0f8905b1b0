import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { Toaster } from "sonner";
import { Header } from "@/app/_components/header";
import { Main, SiteChrome } from "@/app/_components/site-chrome";
import { THEME_COOKIE, themeOf } from "@/app/_components/theme";
import { ThemeSwitch } from "@/app/_components/theme-switch";
import { TRPCReactProvider } from "@/app/_trpc/react";
import { getCurrentUser } from "@/server/accounts/session";
import { logger } from "@/server/logger";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Driftwood", template: "%s · Driftwood" },
  description: "Esports tournaments with fair payments, live brackets and real-time chat.",
  // public/: the web app manifest and the icons a home screen or an old browser asks for by name
  // (/favicon.ico, /apple-touch-icon.png); app/icon.svg is the tab icon, and
  // scripts/make-icons.ts draws the others from it.
  manifest: "/manifest.webmanifest",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

// Every page depends on who is signed in; nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  let user = null;
  let databaseDown = false;
  try {
    user = await getCurrentUser();
  } catch (error) {
    databaseDown = true;
    logger.error({ err: error instanceof Error ? error.message : String(error) }, "layout: could not load the session user");
  }
  const theme = themeOf((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body className="min-h-dvh">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-zinc-900"
        >
          Skip to content
        </a>
        <TRPCReactProvider>
          {/* Embedded pages (/embed/...) render without the header and banners: see site-chrome.tsx. */}
          <SiteChrome>
            <Header user={user} />
            {databaseDown ? (
              <div
                role="alert"
                className="border-b border-red-300 bg-red-50 px-4 py-2 text-center text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
              >
                Driftwood is having trouble reaching its database. Some pages may not work right now; please try again shortly.
              </div>
            ) : null}
          </SiteChrome>
          <Main>{children}</Main>
          <SiteChrome>
            <footer className="mx-auto flex w-full max-w-6xl flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-4 py-6 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
              <p>Driftwood · tournaments that pay out right</p>
              <ThemeSwitch initial={theme} />
            </footer>
          </SiteChrome>
          <Toaster richColors position="bottom-right" />
        </TRPCReactProvider>
      </body>
    </html>
  );
}
