/**
 * Screenshots for the UI review: full-page PNGs in .data/test-results/screenshots/ (or the folder
 * E2E_SCREENSHOTS names), `<name>-<viewport>-<scheme>.png`, at desktop and phone sizes in light and
 * dark unless told otherwise. `viewports: "current"` keeps the page's own size (`<name>-<scheme>.png`).
 * The page's viewport and colour scheme are put back afterwards.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "@playwright/test";

export const SCREENSHOTS_DIR = path.resolve(process.env.E2E_SCREENSHOTS ?? path.join(".data", "test-results", "screenshots"));

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

export async function screenshots(
  page: Page,
  name: string,
  {
    viewports = ["desktop", "phone"],
    schemes = ["light", "dark"],
  }: { viewports?: readonly (keyof typeof VIEWPORTS)[] | "current"; schemes?: readonly ("light" | "dark")[] } = {},
) {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    if (viewports === "current") {
      await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-${scheme}.png`), fullPage: true });
      continue;
    }
    for (const viewport of viewports) {
      await page.setViewportSize(VIEWPORTS[viewport]);
      await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-${viewport}-${scheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: null });
  if (original) await page.setViewportSize(original);
}
