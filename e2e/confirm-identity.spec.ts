import { eq } from "drizzle-orm";
import { totpCredentials } from "@/db/schema";
import { expect, TEST_PASSWORD, test } from "./fixtures";

/** Longer ago than a proof of identity counts as recent (RECENT_AUTH_SECONDS, ten minutes). */
const TWENTY_MINUTES_AGO = () => new Date(Date.now() - 20 * 60 * 1000);

test.describe("confirm it is you", () => {
  test("a session whose last proof of identity is old is asked for its password before setting up an authenticator app", async ({
    sessionPage,
    makeUser,
    database,
  }) => {
    const user = await makeUser();
    const appOf = async () =>
      database.db.select({ userId: totpCredentials.userId }).from(totpCredentials).where(eq(totpCredentials.userId, user.id));
    const page = await sessionPage(user, { authenticatedAt: TWENTY_MINUTES_AGO() });

    await page.goto("/profile/security");
    // The minted session is accepted: signed in, not sent to the sign-in page.
    await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Two-factor sign-in" }) });
    const setUp = section.getByRole("button", { name: "Set up authenticator app" });
    const qrCode = section.getByRole("img", { name: "QR code for setting up your authenticator app" });
    const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
    const password = dialog.getByLabel("Password");

    // Cancelled: the dialog closes, nothing is set up and nothing is reported as an error.
    await setUp.click();
    await expect(dialog).toBeVisible();
    await expect(password).toBeFocused();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(qrCode).toBeHidden();
    await expect(section.getByRole("alert")).toHaveCount(0);
    await expect(setUp).toBeEnabled();
    // Closed with its close button: the same.
    await setUp.click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
    await expect(qrCode).toBeHidden();
    expect(await appOf()).toEqual([]);

    // A wrong password: said next to the field, and the dialog stays open.
    await setUp.click();
    await expect(dialog).toBeVisible();
    await password.fill(`${TEST_PASSWORD} but wrong`);
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await expect(password).toHaveAccessibleDescription("That password is not right.");
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(dialog).toBeVisible();
    await expect(qrCode).toBeHidden();
    expect(await appOf()).toEqual([]);

    // Closed with Escape after the wrong password: asked again, the dialog starts afresh.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(qrCode).toBeHidden();
    await setUp.click();
    await expect(dialog).toBeVisible();
    await expect(password).toHaveValue("");
    await expect(password).not.toHaveAttribute("aria-invalid");
    await expect(dialog.getByText("That password is not right.")).toHaveCount(0);

    // The right one: the session is renewed and the setup it asked for carries on.
    await password.fill(TEST_PASSWORD);
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await expect(dialog).toBeHidden();
    await expect(qrCode).toBeVisible();
    await expect(section.getByTestId("totp-secret")).toHaveText(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    await expect(section.getByLabel("Enter the 6-digit code the app shows")).toBeVisible();
    expect(await appOf()).toEqual([{ userId: user.id }]);

    // Now recent: starting again does not ask a second time.
    await section.getByRole("button", { name: "Cancel" }).click();
    await expect(qrCode).toBeHidden();
    await setUp.click();
    await expect(qrCode).toBeVisible();
    await expect(dialog).toBeHidden();
  });
});
