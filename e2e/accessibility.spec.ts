/**
 * The main pages, checked by axe-core in light and dark (WCAG 2.1 A and AA rules): no serious or
 * critical violation, each named with the elements it found; on a phone none is wider than the
 * screen. Each page is also written as phone screenshots for review (e2e/screenshots.ts, `a11y-<page>`).
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { startedSemifinal } from "./match-helpers";
import { screenshots } from "./screenshots";

/**
 * The serious and critical violations on the page as it is now, one line each with where they are:
 * every WCAG 2.1 A/AA rule, or only colour contrast (what a colour scheme changes).
 */
async function seriousViolations(page: Page, only?: "color-contrast"): Promise<string[]> {
  // Legacy mode runs axe in the page itself; the default finishes each run in a second, blank page
  // (for cross-origin frames, which these pages do not have), which doubles the time.
  const axe = new AxeBuilder({ page }).setLegacyMode(true);
  const { violations } = await (only ? axe.withRules([only]) : axe.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}, at ${violation.nodes
          .slice(0, 5)
          .map((node) => `${node.target.join(" ")} ${node.html.slice(0, 200)}`)
          .join("; ")}`,
    );
}

/**
 * Opens `path`, waits for its heading (and whatever `ready` waits for), then checks it in light
 * (every rule) and dark (contrast) and writes its phone screenshots.
 */
async function check(page: Page, name: string, path: string, ready?: (page: Page) => Promise<void>) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await ready?.(page);
  const found: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const lines = await seriousViolations(page, colorScheme === "dark" ? "color-contrast" : undefined);
    for (const line of lines) found.push(`${name} in ${colorScheme}: ${line}`);
  }
  await page.emulateMedia({ colorScheme: null });
  expect(found, `serious or critical accessibility violations on ${path}`).toEqual([]);
  // On a phone the page scrolls down only: wide tables scroll inside their own box.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${path} is wider than a phone's screen`).toBeLessThanOrEqual(0);
  if (size) await page.setViewportSize(size);
  await screenshots(page, `a11y-${name}`, { viewports: ["phone"] });
}

const followsLive = async (page: Page) => {
  await expect(page.locator("[data-live]").first()).toHaveAttribute("data-live", "live");
};

test.describe("accessibility of the main pages", () => {
  // Each test checks several pages, twice each, and axe's contrast rule walks every text node.
  test.describe.configure({ timeout: 180_000 });

  test("as a visitor: the landing page and the events", async ({ guestPage }) => {
    const page = await guestPage();
    await check(page, "landing", "/");
    await check(page, "events", "/events");
  });

  test("as a visitor: an event, its bracket and a match", async ({ guestPage, database, makeUser, makeEvent }) => {
    const { event, matchId } = await startedSemifinal(database.db, makeUser, makeEvent);
    const eventId = event.id;
    const page = await guestPage();
    await check(page, "event", `/events/${eventId}`);
    await check(page, "bracket", `/events/${eventId}/bracket`, followsLive);
    await check(page, "match", `/matches/${matchId}`, followsLive);
  });

  test("as a player: the match they play, the wallet and chat", async ({ signedInPage, database, makeUser, makeEvent }) => {
    const { matchId, first } = await startedSemifinal(database.db, makeUser, makeEvent);
    const page = await signedInPage(first);
    await check(page, "match-player", `/matches/${matchId}`, followsLive);
    await check(page, "wallet", "/wallet");
    await check(page, "chat", "/chat");
  });

  test("as the organizer: the event dashboard and the bracket console", async ({ signedInPage, database, makeUser, makeEvent }) => {
    const { event, organizer } = await startedSemifinal(database.db, makeUser, makeEvent);
    const eventId = event.id;
    const page = await signedInPage(organizer);
    await check(page, "organizer-dashboard", `/organizer/events/${eventId}`);
    await check(page, "organizer-console", `/organizer/events/${eventId}/bracket`);
  });
});
