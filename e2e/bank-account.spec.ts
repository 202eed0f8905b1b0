import { expect, signIn, test } from "./fixtures";
import { screenshots } from "./screenshots";

test.describe("bank account for withdrawals", () => {
  test("add an IBAN, replace it with a US account, and see a mistyped IBAN refused beside the field", async ({ page, makeUser }) => {
    const user = await makeUser();
    await signIn(page, user.email);
    await page.goto("/wallet");
    await page.getByRole("link", { name: "Bank account for withdrawals" }).click();
    await expect(page).toHaveURL(/\/wallet\/bank$/);
    await expect(page.getByText("You have no bank account yet.")).toBeVisible();
    await expect(page.getByText("Test payments are on.")).toBeVisible();

    // A mistyped IBAN (the last digit changed): refused beside the field, in words.
    await page.getByLabel("Account holder's name").fill("Ada Lovelace");
    await page.getByRole("textbox", { name: "IBAN" }).fill("DE89 3704 0044 0532 0130 01");
    await page.getByRole("button", { name: "Save bank account" }).click();
    const iban = page.getByRole("textbox", { name: "IBAN" });
    await expect(iban).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#bank-iban-error")).toHaveText(
      "This IBAN has a typo: its check digits do not match. Check it against your bank statement.",
    );

    await iban.fill("DE89 3704 0044 0532 0130 00");
    await page.getByRole("button", { name: "Save bank account" }).click();
    const current = page.getByTestId("current-bank-account");
    await expect(current).toContainText("3000", { timeout: 20_000 });
    await expect(current).toContainText("••••");
    await expect(current).toContainText("Ada Lovelace");
    // The gateway's name for the bank, not the fallback.
    await expect(current.locator("dd").nth(1)).not.toHaveText("Your bank");
    await expect(current.locator("dd").nth(1)).not.toBeEmpty();
    await expect(page.getByText(/withdrawals to it wait for a quick review until/)).toBeVisible();
    await expect(page.getByText("DE89370400440532013000", { exact: true }).first()).toBeVisible(); // only in the test hint
    await expect(current).not.toContainText("0532");
    await screenshots(page, "wallet-bank");

    await page.getByRole("radio", { name: "Account number" }).check({ force: true });
    await page.getByLabel("Account holder's name").fill("Ada Lovelace");
    await expect(page.getByLabel("Bank's country")).toHaveValue("US");
    await page.getByLabel("Routing number").fill("110000001");
    await page.getByRole("textbox", { name: "Account number" }).fill("000123456789");
    await page.getByRole("button", { name: "Replace bank account" }).click();
    await expect(page.locator("#bank-routing-error")).toHaveText("This routing number does not exist: check it for a typo.");
    await page.getByLabel("Routing number").fill("110000000");
    await page.getByRole("button", { name: "Replace bank account" }).click();
    await expect(current).toContainText("6789", { timeout: 20_000 });
    await expect(current).not.toContainText("3000");
    await expect(current).not.toContainText("0001234");
  });
});
