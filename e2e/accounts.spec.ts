import { expect, signIn, signOut, test } from "./fixtures";

test.describe("accounts", () => {
  test("a newcomer signs up, signs out and signs back in", async ({ page }) => {
    const email = `new-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await page.goto("/");
    await page.getByRole("link", { name: "Sign up" }).click();
    await page.getByLabel("Display name").fill("Fresh Player");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page).toHaveURL(/\/profile\?welcome=1$/);
    await expect(page.getByRole("heading", { name: "Welcome to Driftwood!" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Account menu for Fresh Player" })).toBeVisible();

    await signOut(page);
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fprofile$/);

    await page.getByLabel("Email").fill(email.toUpperCase());
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByLabel("Display name")).toHaveValue("Fresh Player");
  });

  test("a signed-in visit to sign-in follows only same-site callbacks, and never answers 500", async ({ page, makeUser }) => {
    const user = await makeUser();
    await signIn(page, user.email);
    const origin = new URL(page.url()).origin;
    // A tab or a newline after the first slash makes the path a protocol-relative URL to the browser.
    for (const callback of ["/%09/evil.example", "/%0A/x", "/%0D%0A/evil.example", "//evil.example", "https://evil.example/"]) {
      const response = await page.goto(`/sign-in?callbackUrl=${callback}`);
      expect(response?.status(), callback).toBeLessThan(500);
      expect(new URL(page.url()).origin, callback).toBe(origin);
      expect(new URL(page.url()).pathname, callback).toBe("/");
    }
    await page.goto("/sign-in?callbackUrl=%2Fwallet%3Ftype%3Drefund");
    await expect(page).toHaveURL(/\/wallet\?type=refund$/);
  });

  test("a wrong password gets one plain message and no session", async ({ page, makeUser }) => {
    const user = await makeUser();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error")).toHaveText("That email and password do not match an account. Check them and try again.");
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await page.goto("/wallet");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a duplicate email is shown next to the email field", async ({ page, makeUser }) => {
    const existing = await makeUser();
    await page.goto("/sign-up");
    await page.getByLabel("Display name").fill("Copycat");
    await page.getByLabel("Email").fill(existing.email);
    await page.getByLabel("Password").fill("another-password");
    await page.getByRole("button", { name: "Create account" }).click();
    const email = page.getByLabel("Email");
    await expect(email).toHaveAttribute("aria-invalid", "true");
    const error = page.locator("#email-error");
    await expect(error).toHaveText("An account with this email already exists. Sign in instead");
    await expect(error.getByRole("link", { name: "Sign in instead" })).toHaveAttribute("href", /^\/sign-in\?email=/);
    await expect(page).toHaveURL(/\/sign-up$/);
  });

  test("sign-up checks every field before sending", async ({ page }) => {
    await page.goto("/sign-up");
    await page.getByLabel("Display name").fill("A");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#name-error")).toHaveText("Display name must be at least 2 characters.");
    await expect(page.locator("#email-error")).toHaveText("Enter a valid email address, like name@example.com.");
    await expect(page.locator("#password-error")).toHaveText("Password must be at least 8 characters.");
  });

  test("sign-in failures are limited, with a countdown in words", async ({ browser, makeUser }) => {
    // Five failures for one account from one address (the per-address limit across accounts is
    // higher, so the other tests, from the same address, still sign in).
    const context = await browser.newContext();
    const page = await context.newPage();
    const user = await makeUser();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(user.email);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.getByLabel("Password").fill(`wrong-${attempt}-password`);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.locator("#sign-in-error")).toBeVisible();
      await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
    }
    // The sixth try is refused even with the right password, and says how long to wait.
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText(/^Too many sign-in attempts\. Please try again in (\d+ seconds?|\d+ min \d\d s)\.$/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeDisabled();
    await context.close();
  });

  test("a player edits their profile and game handles", async ({ page, makeUser }) => {
    const user = await makeUser({ name: "Handle Owner" });
    await signIn(page, user.email);
    await page.goto("/profile");
    await page.getByLabel("Country").selectOption({ label: "Sweden" });
    await page.getByLabel("Valorant (Riot ID)").fill("Owner#EUW");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByText("Profile saved")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Valorant (Riot ID)")).toHaveValue("Owner#EUW");
    await expect(page.getByLabel("Country")).toHaveValue("SE");

    // A 1×1 PNG as the avatar; the header shows it at once.
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
    await page.getByLabel("Avatar image").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png });
    await expect(page.getByText("Avatar updated")).toBeVisible();
    const headerAvatar = page.getByRole("button", { name: /Account menu for/ }).locator("img");
    await expect(headerAvatar).toHaveAttribute("src", new RegExp(`^/api/avatars/${user.id}\\?v=\\d+$`));
    const served = await page.request.get((await headerAvatar.getAttribute("src"))!);
    expect(served.headers()["content-type"]).toBe("image/png");

    // Something that only claims to be an image is refused in words.
    await page.getByLabel("Avatar image").setInputFiles({ name: "evil.png", mimeType: "image/png", buffer: Buffer.from("<svg/>") });
    await expect(page.getByText("Use a PNG, JPEG, WebP or GIF image.")).toBeVisible();
  });
});

test.describe("roles", () => {
  test("a player is refused the organizer page; a guest is sent to sign in", async ({ page, makeUser }) => {
    await page.goto("/organizer");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Forganizer$/);

    const player = await makeUser();
    await signIn(page, player.email);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organizer" })).toHaveCount(0);
    const response = await page.goto("/organizer");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  });

  test("an admin promotes a player, who can then organize", async ({ browser, page, makeUser }) => {
    const admin = await makeUser({ role: "admin" });
    const player = await makeUser({ name: "Soon Organizer" });

    await signIn(page, admin.email);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
    await page.getByLabel("Search by name or email").fill(player.email);
    const row = page.getByTestId(`user-row-${player.email}`);
    await expect(row).toBeVisible();
    await expect(page.getByRole("row")).toHaveCount(2);
    await row.getByLabel("Role for Soon Organizer").selectOption("organizer");
    await row.getByRole("button", { name: "Change role" }).click();
    await expect(page.getByText("Soon Organizer is now an organizer.")).toBeVisible();

    const playerContext = await browser.newContext();
    const playerPage = await playerContext.newPage();
    await signIn(playerPage, player.email);
    const response = await playerPage.goto("/organizer");
    expect(response?.status()).toBe(200);
    await expect(playerPage.getByRole("heading", { name: "Your events" })).toBeVisible();
    await playerContext.close();
  });

  test("a player cannot open the admin pages", async ({ page, makeUser }) => {
    const player = await makeUser();
    await signIn(page, player.email);
    const response = await page.goto("/admin/users");
    expect(response?.status()).toBe(403);
  });
});

test.describe("shell", () => {
  test("an unknown page shows the 404 page", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
  });

  test("on a phone the navigation sits behind a menu button", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto("/");
    const events = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" });
    await expect(events).toBeHidden();
    await page.getByRole("button", { name: "Open menu" }).click();
    await events.click();
    await expect(page).toHaveURL(/\/events$/);
    await context.close();
  });

  test("health answers 200 with the database check", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", checks: { database: { status: "ok" } } });
  });
});
