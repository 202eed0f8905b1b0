"use client";

import { usePathname } from "next/navigation";

/** Pages under /embed/ are shown inside other sites and stream software: no site header, no page margins. */
function useEmbedded(): boolean {
  return usePathname()?.startsWith("/embed/") ?? false;
}

/** The site's header and banners, left out on embedded pages. */
export function SiteChrome({ children }: { children: React.ReactNode }) {
  return useEmbedded() ? null : children;
}

/** The page's main region: centered with margins, or edge to edge when embedded. */
export function Main({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className={useEmbedded() ? "w-full" : "mx-auto w-full max-w-6xl px-4 py-8"}>
      {children}
    </main>
  );
}
