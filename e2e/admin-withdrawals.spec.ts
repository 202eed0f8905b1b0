import { seedPayoutAccount, seedWithdrawal } from "@/server/withdrawals/testing";
import { expect, test } from "./fixtures";
import { screenshots } from "./screenshots";

test.describe("the withdrawal review queue", () => {
  test("an admin filters the waiting requests, rejects one with a reason and approves another", async ({
    database,
    makeUser,
    signedInPage,
  }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    const admin = await makeUser({ role: "admin", name: `Cashier ${tag}` });
    const risky = await makeUser({ name: `Risky ${tag}` });
    const steady = await makeUser({ name: `Steady ${tag}` });
    await seedPayoutAccount(database.db, risky.id, { ageHours: 2, holderName: `Holder ${tag}` });
    await seedPayoutAccount(database.db, steady.id, { ageHours: 30, holderName: `Steady Holder ${tag}` });
    await seedWithdrawal(database.db, risky.id, 75_00, { flags: ["new_account"], now: new Date(Date.now() - 10 * 60_000) });
    // An earlier request went straight through; the second in the hour waits for review.
    await seedWithdrawal(database.db, steady.id, 20_00, { now: new Date(Date.now() - 30 * 60_000) });
    await seedWithdrawal(database.db, steady.id, 40_00, { flags: ["velocity"] });

    const page = await signedInPage(admin);
    await page.goto("/admin/withdrawals");
    await expect(page.getByTestId("withdrawals-waiting-badge")).toBeVisible();

    // Both of this test's players: waiting, oldest first.
    await page.getByLabel("Player", { exact: true }).fill(tag);
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`user=${tag}`));
    const rows = page.getByTestId("withdrawal-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(risky.name);
    await expect(rows.nth(0)).toContainText("Bank account added 2 hours ago");
    await expect(rows.nth(0)).toContainText("Rhine Bank •••• 4321");
    await expect(rows.nth(1)).toContainText("2 requests in the last hour");
    await page.getByRole("button", { name: `Details of ${steady.name}'s withdrawal of $40.00` }).click();
    await expect(page.getByText("Last movements of the wallet")).toBeVisible();
    await expect(page.getByText("Top-up").first()).toBeVisible();
    await screenshots(page, "admin-withdrawals");

    // The filters survive a reload.
    await page.reload();
    await expect(page.getByLabel("Player", { exact: true })).toHaveValue(tag);
    await expect(rows).toHaveCount(2);

    // Reject the risky one: a reason is required.
    await page.getByLabel("Player", { exact: true }).fill(risky.name);
    await page.getByLabel("Flagged only").check();
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await expect(rows).toHaveCount(1);
    await page.getByRole("checkbox", { name: `Select ${risky.name}'s withdrawal of $75.00` }).check();
    await page.getByRole("button", { name: "Reject selected…" }).click();
    const dialog = page.getByRole("dialog", { name: `Reject ${risky.name}'s withdrawal of $75.00` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Reject withdrawal" }).click();
    await expect(dialog.getByText("Say why it is rejected; the player is told.")).toBeVisible();
    await dialog.getByLabel("Reason (the player is told)").fill("The bank account holder is not the player");
    await screenshots(page, "admin-withdrawals-reject", { viewports: ["desktop"], schemes: ["light"] });
    await dialog.getByRole("button", { name: "Reject withdrawal" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("1 rejected.")).toBeVisible();
    await expect(page.getByText("No withdrawals match these filters")).toBeVisible();

    // Approve the other from its row.
    await page.getByLabel("Player", { exact: true }).fill(steady.name);
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await expect(rows).toHaveCount(1);
    await page.getByRole("button", { name: `Approve ${steady.name}'s withdrawal of $40.00` }).click();
    await expect(page.getByText("1 approved.")).toBeVisible();
    await expect(rows).toHaveCount(0);

    // Decided ones show under their status, with who decided.
    await page.getByLabel("Player", { exact: true }).fill(tag);
    await page.getByLabel("Flagged only").uncheck();
    await page.getByLabel("Status", { exact: true }).selectOption("rejected");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(risky.name);
    await expect(rows.first()).toContainText("Rejected");
    await screenshots(page, "admin-withdrawals-rejected", { viewports: ["phone"], schemes: ["light", "dark"] });
  });
});
