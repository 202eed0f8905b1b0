import type { Page } from "@playwright/test";
import { expect, signIn, TEST_PASSWORD, test } from "./fixtures";

/**
 * The link in the newest email to `address` with `subject`, read from the outbox page (/dev/mail,
 * administrators only in a production build). Emails are sent by jobs after commit: the page is
 * reloaded until the message is there.
 */
async function linkFromMail(admin: Page, address: string, subject: string): Promise<string> {
  await expect(async () => {
    await admin.goto("/dev/mail");
    const row = admin.getByRole("row").filter({ hasText: address }).filter({ hasText: subject });
    await expect(row.first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  await admin.getByRole("row").filter({ hasText: address }).getByRole("link", { name: subject }).first().click();
  const body = (await admin.locator("pre").textContent()) ?? "";
  const link = /https?:\/\/\S+\?token=\S+/.exec(body)?.[0];
  expect(link, `a link in "${subject}"`).toBeTruthy();
  return link!;
}

test.describe("account recovery", () => {
  test("forgot password: the emailed link sets a new password; the old one stops working", async ({ guestPage, sessionPage, makeUser }) => {
    const user = await makeUser();
    // The admin only reads the outbox: a session cookie, not the sign-in form (accounts.spec tests that).
    const admin = await sessionPage(await makeUser({ role: "admin" }), { authenticatedAt: new Date() });
    const page = await guestPage();

    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await expect(page.getByRole("status")).toContainText(`If an account exists for ${user.email}, we sent it a link`);
    await expect(page.getByRole("status")).toContainText("valid for 30 minutes");

    const link = await linkFromMail(admin, user.email, "Reset your Driftwood password");
    await page.goto(link);
    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await page.getByLabel("New password", { exact: true }).fill("a fresh password 42");
    await page.getByLabel("New password, again").fill("not the same one");
    await page.getByRole("button", { name: "Save new password" }).click();
    await expect(page.locator("#confirm-error")).toHaveText("The two passwords are not the same.");
    await page.getByLabel("New password, again").fill("a fresh password 42");
    await page.screenshot({ path: ".data/test-results/screenshots/reset-password.png", fullPage: true });
    await page.getByRole("button", { name: "Save new password" }).click();
    await expect(page.getByRole("status")).toContainText("Your password was changed and every device was signed out");

    // The link works once.
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill("yet another password");
    await page.getByLabel("New password, again").fill("yet another password");
    await page.getByRole("button", { name: "Save new password" }).click();
    await expect(page.getByText("This link was already used")).toBeVisible();
    await expect(page.getByRole("link", { name: "Ask for a new link" })).toBeVisible();

    // The old password is refused, the new one signs in.
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error")).toBeVisible();
    await signIn(page, user.email, "a fresh password 42");
  });

  test("sign-up sends a verification link; opening it verifies the address", async ({ page, sessionPage, makeUser }) => {
    const admin = await sessionPage(await makeUser({ role: "admin" }), { authenticatedAt: new Date() });
    const email = `verify-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await page.goto("/sign-up");
    await page.getByLabel("Display name").fill(`Verifier ${email.slice(7, 13)}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();

    await page.goto("/wallet");
    await expect(page.getByText("Verify your email address")).toBeVisible();
    await page.goto("/profile/security");
    await expect(page.getByTestId("current-email")).toHaveText(email);
    await expect(page.getByText("Not verified")).toBeVisible();
    await page.screenshot({ path: ".data/test-results/screenshots/security-unverified.png", fullPage: true });

    const link = await linkFromMail(admin, email, "Confirm your email address for Driftwood");
    await page.goto(link);
    await expect(page.getByRole("status")).toContainText(`${email} is verified`);
    await page.goto("/profile/security");
    await expect(page.getByText("Verified", { exact: true })).toBeVisible();
    await page.goto("/wallet");
    await expect(page.getByRole("heading", { name: "Wallet" })).toBeVisible();
    await expect(page.getByText("Verify your email address")).toHaveCount(0);
  });

  test("changing the password keeps this browser signed in and signs out the others", async ({ signedInPage, makeUser }) => {
    const user = await makeUser();
    const other = await signedInPage(user);
    const page = await signedInPage(user);
    await page.goto("/profile/security");
    await page.getByLabel("Current password").first().fill("wrong password");
    await page.getByLabel("New password", { exact: true }).fill("a changed password 7");
    await page.getByLabel("New password, again").fill("a changed password 7");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.locator("#currentPassword-error")).toHaveText("That is not your current password.");
    await page.locator("#currentPassword").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Your password was changed. Your other devices were signed out.").first()).toBeVisible();
    await page.screenshot({ path: ".data/test-results/screenshots/security-page.png", fullPage: true });

    await page.reload();
    await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();
    await other.goto("/wallet");
    await expect(other).toHaveURL(/\/sign-in/);
  });
});
