/** What a new visitor meets first: the header on a phone, the landing page's links, sign-up's way to sign in, the theme. */
import { expect, test } from "./fixtures";

test("on a phone the header keeps Sign in and Sign up on one line each; game tiles are links of one height", async ({ guestPage }) => {
  const page = await guestPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  const header = page.getByRole("banner");
  const signIn = await header.getByRole("link", { name: "Sign in" }).boundingBox();
  const signUp = await header.getByRole("link", { name: "Sign up" }).boundingBox();
  // One line of 14 px text with its padding is under 40 px tall; wrapped, it is over 50.
  expect(signIn!.height).toBeLessThan(40);
  expect(signUp!.height).toBeLessThan(40);
  expect(Math.abs(signIn!.y - signUp!.y)).toBeLessThan(2);

  const tiles = page.getByRole("region", { name: "Games on Driftwood" }).getByRole("listitem");
  const count = await tiles.count();
  expect(count).toBeGreaterThan(1);
  const heights = new Set<number>();
  for (let i = 0; i < count; i++) {
    const link = tiles.nth(i).getByRole("link");
    await expect(link).toHaveAttribute("href", /^\/events\?game=[a-z0-9-]+$/);
    heights.add(Math.round((await link.boundingBox())!.height));
  }
  expect([...heights]).toHaveLength(1);

  await tiles.first().getByRole("link").click();
  await expect(page).toHaveURL(/\/events\?game=/);
});

test("an event card shows a clear focus ring around the whole card for the keyboard", async ({ guestPage }) => {
  const page = await guestPage();
  await page.goto("/events");
  const card = page.getByRole("article").first();
  const link = card.getByRole("heading").getByRole("link");
  await link.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await expect(link).toBeFocused();
  const outline = await card.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
  });
  expect(outline.style).toBe("solid");
  expect(outline.width).toBeGreaterThanOrEqual(2);
});

test("signing up with an email that has an account links to sign-in with the address filled in", async ({ guestPage, makeUser }) => {
  const existing = await makeUser();
  const page = await guestPage();
  await page.goto("/sign-up");
  await page.getByLabel("Display name").fill(`New ${crypto.randomUUID().slice(0, 6)}`);
  await page.getByLabel("Email").fill(existing.email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  const error = page.locator("#email-error");
  await expect(error).toContainText("An account with this email already exists.");
  await error.getByRole("link", { name: "Sign in instead" }).click();
  await expect(page).toHaveURL(/\/sign-in\?email=/);
  await expect(page.getByLabel("Email")).toHaveValue(existing.email);
});

test("the theme can be set to light or dark beside following the system, and is remembered", async ({ guestPage }) => {
  const page = await guestPage();
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/events");
  const theme = page.getByRole("group", { name: "Colour theme" });
  await expect(theme.getByRole("radio", { name: "System" })).toBeChecked();
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();

  await theme.getByText("Dark", { exact: true }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect.poll(background).not.toBe(light);
  const dark = await background();

  // Remembered: the next page is rendered dark by the server, though the device says light.
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await background()).toBe(dark);
  await expect(theme.getByRole("radio", { name: "Dark" })).toBeChecked();

  // Light stays light when the device turns dark; System follows it again.
  await theme.getByText("Light", { exact: true }).click();
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(background).toBe(light);
  await theme.getByText("System", { exact: true }).click();
  await expect(page.locator("html")).not.toHaveAttribute("data-theme", /./);
  await expect.poll(background).toBe(dark);
  await page.reload();
  await expect(page.locator("html")).not.toHaveAttribute("data-theme", /./);
});

test("finding a player to message: the two-character hint goes once two are typed", async ({ signedInPage, makeUser }) => {
  const page = await signedInPage(await makeUser());
  await page.goto("/chat");
  await page.getByRole("button", { name: "New message" }).click();
  const search = page.getByRole("searchbox", { name: "Player" });
  await expect(search).toHaveAccessibleDescription("Type at least 2 characters.");
  await search.fill("B");
  await expect(search).toHaveAccessibleDescription("Type at least 2 characters.");
  await search.fill("Bo");
  await expect(search).toHaveAccessibleDescription("Choose a player below to message them.");
  await expect(page.getByText("Type at least 2 characters.")).toHaveCount(0);
});
