import type { Page } from "@playwright/test";
import { expect, signIn, test, TEST_PASSWORD } from "./fixtures";
import { screenshots } from "./screenshots";

/** Opens `path` and waits until its live stream (the header follows the user's own topic) is open. */
async function openWithLiveStream(page: Page, path: string) {
  const stream = page.waitForResponse((response) => response.url().includes("/api/live?") && response.status() === 200);
  await page.goto(path);
  await stream;
}

test.describe("suspensions and ended sessions", () => {
  test("an admin suspends a player: the player's open page signs out, sign-in says why, the audit log lists it, lifting lets them back", async ({
    makeUser,
    signedInPage,
  }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    const admin = await makeUser({ role: "admin", name: `Warden ${tag}` });
    const player = await makeUser({ name: `Griefer ${tag}` });
    const reason = "Griefing in the lobby chat";

    const playerPage = await signedInPage(player);
    await openWithLiveStream(playerPage, "/profile");

    const adminPage = await signedInPage(admin);
    await adminPage.goto(`/admin/users?q=${encodeURIComponent(player.email)}`);
    const row = adminPage.getByTestId(`user-row-${player.email}`);
    await expect(row.getByText("Active")).toBeVisible();
    await row.getByRole("button", { name: `Suspend ${player.name}` }).click();
    const dialog = adminPage.getByRole("dialog", { name: `Suspend ${player.name}` });
    await expect(dialog).toBeVisible();
    // Submitting without a reason says what is missing.
    await dialog.getByRole("button", { name: "Suspend", exact: true }).click();
    await expect(dialog.getByText("Say why the account is suspended; the player is told.")).toBeVisible();
    await dialog.getByLabel("Reason (the player sees it)").fill(reason);
    await screenshots(adminPage, "admin-suspend-dialog", { viewports: ["desktop"], schemes: ["light"] });
    await dialog.getByRole("button", { name: "Suspend", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByText(/^Suspended until /)).toBeVisible();
    await expect(row.getByText(reason)).toBeVisible();
    await screenshots(adminPage, "admin-users-suspended");

    // The player's open page leaves for sign-in on its own.
    await expect(playerPage).toHaveURL(/\/sign-in\?signedOut=ended$/, { timeout: 20_000 });
    await expect(playerPage.getByText("You were signed out. Sign in again to carry on.")).toBeVisible();
    await playerPage.getByLabel("Email").fill(player.email);
    await playerPage.getByLabel("Password").fill(TEST_PASSWORD);
    await playerPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(playerPage.getByText(/This account is suspended until .* UTC\. Reason: Griefing in the lobby chat/)).toBeVisible();
    await screenshots(playerPage, "sign-in-suspended", { viewports: ["desktop", "phone"], schemes: ["light"] });

    await adminPage.goto(`/admin/audit?target=${encodeURIComponent(player.email)}`);
    const entry = adminPage.getByTestId("audit-row").first();
    await expect(entry).toContainText("Suspended an account");
    await expect(entry).toContainText(admin.name);
    await expect(entry).toContainText(player.name);
    await expect(entry).toContainText(`Reason: ${reason}`);
    await screenshots(adminPage, "admin-audit");
    // The filters are in the URL: the same view after a reload.
    await adminPage.reload();
    await expect(adminPage.getByLabel("Done to")).toHaveValue(player.email);
    await expect(adminPage.getByTestId("audit-row")).toHaveCount(1);

    await adminPage.goto(`/admin/users?q=${encodeURIComponent(player.email)}`);
    await row.getByRole("button", { name: `Lift suspension of ${player.name}` }).click();
    const lift = adminPage.getByRole("dialog", { name: `Lift ${player.name}'s suspension?` });
    await lift.getByLabel("Note for the audit log (optional)").fill("Appeal accepted");
    await lift.getByRole("button", { name: "Lift suspension" }).click();
    await expect(row.getByText("Active")).toBeVisible();
    await signIn(playerPage, player.email);
  });

  test("sign out everywhere from the security page ends another browser's session too", async ({ makeUser, signedInPage }) => {
    const user = await makeUser({ name: `Careful ${crypto.randomUUID().slice(0, 6)}` });
    const elsewhere = await signedInPage(user);
    await openWithLiveStream(elsewhere, "/profile");

    const here = await signedInPage(user);
    await here.goto("/profile/security");
    const section = here.getByRole("region", { name: "Devices signed in" });
    await expect(section.getByTestId("session-signed-in-at")).toContainText("This device last signed in");
    await screenshots(here, "security-sessions");
    await section.getByRole("button", { name: "Sign out of all devices" }).click();
    const dialog = here.getByRole("dialog", { name: "Sign out of all devices?" });
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await screenshots(here, "security-sign-out-everywhere-dialog", { viewports: ["desktop"], schemes: ["light", "dark"] });
    await dialog.getByRole("button", { name: "Sign out everywhere" }).click();

    await expect(here).toHaveURL(/\/sign-in\?signedOut=everywhere$/);
    await expect(here.getByText("You signed out on every device.")).toBeVisible();
    await expect(elsewhere).toHaveURL(/\/sign-in\?signedOut=ended$/, { timeout: 20_000 });
    // The old session is gone for good there: a signed-in page sends it to sign-in.
    await elsewhere.goto("/profile");
    await expect(elsewhere).toHaveURL(/\/sign-in\?callbackUrl=%2Fprofile$/);
    await signIn(here, user.email);
  });
});
