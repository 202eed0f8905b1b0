import { expect, signIn, test } from "./fixtures";
import type { Page } from "@playwright/test";

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Name on card").fill("Test Player");
}

test.describe("wallet top-ups", () => {
  test("top up $20.00 with 4242 4242 4242 4242: the balance and the history show it", async ({ page, makeUser }) => {
    const user = await makeUser();
    await signIn(page, user.email);
    await page.goto("/wallet");
    await expect(page.getByTestId("balance-available")).toHaveText("$0.00");
    await expect(page.getByText("No transactions yet")).toBeVisible();

    await page.getByRole("button", { name: "$20.00" }).click();
    await page.getByRole("button", { name: "Add $20.00" }).click();
    await expect(page).toHaveURL(/\/wallet\/pay\/[0-9a-f-]{36}$/);
    const payUrl = page.url();

    // A refresh on the card step is the same payment, not a second one.
    await page.reload();
    await expect(page).toHaveURL(payUrl);
    await fillCard(page, "4242 4242 4242 4242");
    await page.getByRole("button", { name: "Pay $20.00" }).click();

    await expect(page).toHaveURL(/\/wallet\?payment=/);
    await expect(page.getByText("$20.00 was added to your wallet.")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("balance-available")).toHaveText("$20.00");
    await expect(page.getByTestId("balance-current")).toHaveText("$20.00");
    const row = page.getByRole("row", { name: /Card top-up/ });
    await expect(row).toContainText("+$20.00");
    await expect(row).toContainText("Top-up");

    // "Details" opens the movement's details under its row: the card that paid and the reference.
    await row.getByRole("button", { name: "Details of Card top-up" }).click();
    const details = page.getByRole("region", { name: "Details of Card top-up" });
    await expect(details).toContainText("Top-up of $20.00 by card ending 4242, paid");
    await expect(details).toContainText("Wallet balance after$20.00");
    await expect(details).toContainText("Reference");
    await expect(page).toHaveURL(/\/wallet\?payment=/);
  });

  test("card 4000 0000 0000 0002 is declined in words, the balance does not change, and the unfinished top-up can be cancelled", async ({
    page,
    makeUser,
    database,
  }) => {
    const user = await makeUser();
    await signIn(page, user.email);
    await page.goto("/wallet");
    await page.getByRole("button", { name: "$10.00" }).click();
    await page.getByRole("button", { name: "Add $10.00" }).click();
    await expect(page).toHaveURL(/\/wallet\/pay\//);
    await fillCard(page, "4000 0000 0000 0002");
    await page.getByRole("button", { name: "Pay $10.00" }).click();
    await expect(page.getByText("Your card was declined.")).toBeVisible();
    await expect(page.getByText(/No money was taken/)).toBeVisible();

    await page.goto("/wallet");
    await expect(page.getByTestId("balance-available")).toHaveText("$0.00");
    await expect(page.getByRole("row", { name: /Card top-up/ })).toHaveCount(0);

    // The declined top-up waits under "Unfinished top-ups" until the player cancels it.
    await page.getByRole("button", { name: "Cancel the top-up of $10.00" }).click();
    await expect(page.getByText("The top-up of $10.00 was cancelled. Nothing was charged.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Try again the top-up of $10.00" })).toHaveCount(0);
    const rows = await database.sql`select status from payments where user_id = ${user.id}`;
    expect(rows.map((r) => r.status)).toEqual(["canceled"]);
  });

  test("a double click on Add funds starts one payment", async ({ page, makeUser, database }) => {
    const user = await makeUser();
    await signIn(page, user.email);
    await page.goto("/wallet");
    await page.getByRole("button", { name: "$50.00" }).click();
    await page.getByRole("button", { name: "Add $50.00" }).dblclick();
    await expect(page).toHaveURL(/\/wallet\/pay\//);
    const rows = await database.sql`select count(*)::int as n from payments where user_id = ${user.id}`;
    expect(rows[0]?.n).toBe(1);
  });
});
