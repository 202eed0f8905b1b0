/**
 * Screenshots for the UI review: full-page PNGs in .data/test-results/screenshots/ (or the folder
 * E2E_SCREENSHOTS names), `<name>-<viewport>-<scheme>.png`, in light and dark unless told otherwise.
 * A call that includes the phone size writes only the phone-sized ones by default: they are what the
 * review reads, and every full-page capture costs run time. E2E_SCREENSHOTS_ALL=1 writes every viewport
 * a call names (desktop and phone unless told otherwise). A call that names only `desktop` writes it
 * either way: a deliberate desktop view (and skipping it once left two-factor.spec's next focus check
 * too little time to settle).
 * `viewports: "current"` keeps the page's own size (`<name>-<scheme>.png`), always written.
 * The page's viewport and colour scheme are put back afterwards.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "@playwright/test";

export const SCREENSHOTS_DIR = path.resolve(process.env.E2E_SCREENSHOTS ?? path.join(".data", "test-results", "screenshots"));
/** Desktop screenshots too, not only the phone ones. */
export const SCREENSHOTS_ALL = process.env.E2E_SCREENSHOTS_ALL === "1";

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
type Viewport = keyof typeof VIEWPORTS;

export async function screenshots(
  page: Page,
  name: string,
  {
    viewports = ["desktop", "phone"],
    schemes = ["light", "dark"],
  }: { viewports?: readonly Viewport[] | "current"; schemes?: readonly ("light" | "dark")[] } = {},
) {
  const sizes: readonly (Viewport | "current")[] =
    viewports === "current" ? ["current"] : SCREENSHOTS_ALL || !viewports.includes("phone") ? viewports : ["phone"];
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const original = page.viewportSize();
  // One resize per viewport (a re-layout each), then a shot per scheme.
  for (const size of sizes) {
    if (size !== "current") await page.setViewportSize(VIEWPORTS[size]);
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      const file = size === "current" ? `${name}-${scheme}.png` : `${name}-${size}-${scheme}.png`;
      await page.screenshot({ path: path.join(SCREENSHOTS_DIR, file), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: null });
  if (original && !sizes.includes("current")) await page.setViewportSize(original);
}
