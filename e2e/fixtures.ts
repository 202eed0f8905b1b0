// The specs build their data through the services in this process too: what they reach (payment
// purposes, the questions a domain asks one above it) is registered first, as every entry point does.
import "@/server/composition";
import { test as base, expect, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import { connect, type Database } from "@/db/client";
import { createOpenEvent, createUser, TEST_PASSWORD } from "@/server/testing/factories";
import { games } from "@/db/schema";
import type { UserRole } from "@/db/schema";
import type { SessionUser } from "@/server/accounts/roles";
import { sessionVersionOf } from "@/server/accounts/sessions";
import { SESSION_COOKIE, sessionCookieFor } from "@/server/accounts/testing";
import { E2E_BASE_URL, readE2EState } from "./config";

export { expect, TEST_PASSWORD };

interface Fixtures {
  /** On a failure, what the default page showed (printPages). */
  failureContext: undefined;
  /** Creates an account directly through the services, for tests that need one to exist. */
  makeUser: (options?: { role?: UserRole; name?: string }) => Promise<SessionUser>;
  /** A published event with registration open now, on the first seeded game. */
  makeEvent: (organizerId: string, overrides?: Parameters<typeof createOpenEvent>[2]) => ReturnType<typeof createOpenEvent>;
  /** A page signed in as `user`, in a browser context of its own (its own cookies); closed after the test. */
  signedInPage: (user: SessionUser) => Promise<Page>;
  /** A signed-out page in a browser context of its own; closed after the test. */
  guestPage: () => Promise<Page>;
  /**
   * A page in a context of its own holding a session cookie minted for `user` (its current session
   * version, a new session id) that last proved who it is at `authenticatedAt`: a sign-in from the
   * past, which the form cannot make. Closed after the test.
   */
  sessionPage: (user: SessionUser, options: { authenticatedAt: Date }) => Promise<Page>;
}

/** After a failed test, what each of its pages showed (address and accessibility tree), for CI's log, where the trace cannot be opened. */
async function printPages(pages: Page[], testInfo: TestInfo) {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const page of pages) {
    if (page.isClosed() || page.url() === "about:blank") continue;
    const snapshot = await page
      .locator("body")
      .ariaSnapshot({ timeout: 2_000 })
      .catch((error: unknown) => `(no snapshot: ${String(error)})`);
    console.error(`\n--- what the page showed when "${testInfo.title}" failed: ${page.url()}\n${snapshot.slice(0, 6_000)}\n---`);
  }
}

/** Pages in contexts of their own, made during a test and closed after it. */
async function ownContexts(browser: Browser, testInfo: TestInfo, use: (newPage: () => Promise<Page>) => Promise<void>) {
  const contexts: BrowserContext[] = [];
  await use(async () => {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  });
  await printPages(
    contexts.flatMap((context) => context.pages()),
    testInfo,
  );
  await Promise.all(contexts.map((context) => context.close()));
}

export const test = base.extend<Fixtures, { database: Database }>({
  failureContext: [
    async ({ page }, use, testInfo) => {
      await use(undefined);
      await printPages([page], testInfo);
    },
    { auto: true },
  ],
  database: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires an object pattern as a fixture's first parameter, even with no dependencies
    async ({}, use) => {
      const { databaseUrl } = readE2EState();
      const database = connect(databaseUrl, { max: 2 });
      await use(database);
      await database.close();
    },
    { scope: "worker" },
  ],
  makeUser: async ({ database }, use) => {
    await use((options = {}) => createUser(database.db, options));
  },
  makeEvent: async ({ database }, use) => {
    await use(async (organizerId, overrides = {}) => {
      const [game] = await database.db.select({ id: games.id }).from(games).limit(1);
      return createOpenEvent(database.db, { organizerId, gameId: game!.id }, overrides);
    });
  },
  signedInPage: async ({ browser }, use, testInfo) => {
    await ownContexts(browser, testInfo, (newPage) =>
      use(async (user) => {
        const page = await newPage();
        await signIn(page, user.email);
        return page;
      }),
    );
  },
  guestPage: async ({ browser }, use, testInfo) => {
    await ownContexts(browser, testInfo, use);
  },
  sessionPage: async ({ browser, database }, use, testInfo) => {
    await ownContexts(browser, testInfo, (newPage) =>
      use(async (user, { authenticatedAt }) => {
        const page = await newPage();
        const cookie = await sessionCookieFor(
          user,
          {
            sv: await sessionVersionOf(database.db, user.id),
            sid: crypto.randomUUID(),
            authAt: Math.floor(authenticatedAt.getTime() / 1000),
          },
          { secret: readE2EState().authSecret },
        );
        const value = cookie.slice(`${SESSION_COOKIE}=`.length);
        await page.context().addCookies([{ name: SESSION_COOKIE, value, url: E2E_BASE_URL, httpOnly: true, sameSite: "Lax" }]);
        return page;
      }),
    );
  },
});

export async function signIn(page: Page, email: string, password = TEST_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: /Account menu for/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}
