import type { Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { credit, platformAccount, walletBalances } from "@/server/ledger";
import { decideWithdrawals } from "@/server/withdrawals/decisions";
import { requestWithdrawal } from "@/server/withdrawals/requests";
import type { Database } from "@/db/client";
import { expect, signIn, test } from "./fixtures";
import { screenshots } from "./screenshots";

/** Test money in the player's wallet, as a card top-up would bring it. */
async function fund(database: Database, userId: string, amount: number) {
  await credit(database.db, {
    userId,
    amount,
    fromAccountId: await platformAccount(database.db, "card_clearing"),
    category: "topup",
    description: "Test funds",
    idempotencyKey: crypto.randomUUID(),
  });
}

/** A bank account added just now (so its withdrawals wait for review), straight into the table: the bank page is built elsewhere. */
async function addBankAccount(database: Database, userId: string) {
  await database.sql`
    insert into payout_accounts (user_id, holder_name, kind, country, bank_name, last4, number_ciphertext, key_version, gateway, gateway_external_account_id, created_at)
    values (${userId}, 'Test Player', 'iban', 'DE', 'Test Bank', '3000', 'x', 0, 'simulated', 'ba_sim_test', now())`;
}

/** The code an authenticator app would show `offsetSeconds` from now. */
function codeFor(secret: string, offsetSeconds = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + offsetSeconds * 1000 });
}

function amountField(page: Page) {
  return page.getByLabel("Amount to receive (dollars)");
}

test.describe("withdrawals", () => {
  test("a player withdraws 50.00 to a new bank account, sees it wait for review, and cancels it", async ({ page, makeUser, database }) => {
    const user = await makeUser();
    await fund(database, user.id, 100_00);
    await addBankAccount(database, user.id);
    await signIn(page, user.email);

    await page.goto("/wallet/withdraw");
    await expect(page.getByRole("heading", { name: "Withdraw", exact: true })).toBeVisible();
    await expect(page.getByTestId("withdraw-available")).toHaveText("$100.00");
    await expect(page.getByText("Test Bank •••• 3000")).toBeVisible();
    await expect(page.getByText(/after a quick review/)).toBeVisible();
    await expect(page.getByText("No withdrawals yet.")).toBeVisible();

    // The summary follows what is typed.
    await amountField(page).pressSequentially("50.00");
    await expect(page.getByTestId("withdraw-summary")).toHaveText("You receive $50.00 · fee $1.00 · $51.00 leaves your wallet");
    await screenshots(page, "withdraw-form");

    await page.getByRole("button", { name: "Withdraw $50.00" }).click();
    await expect(page.getByText(/Requested: \$50\.00 to Test Bank •••• 3000\. It waits for a quick review/)).toBeVisible();
    const item = page.getByTestId("withdrawal");
    await expect(item).toHaveCount(1);
    await expect(item).toContainText("$50.00");
    await expect(item).toContainText("Waiting for review");
    await expect(item).toContainText("Test Bank •••• 3000");
    const steps = item.getByRole("list", { name: "Progress" }).getByRole("listitem");
    await expect(steps).toHaveText([/^Requested \(done\)/, /^Review \(next\)/, /^Sent to your bank \(to come\)/, /^Arrived \(to come\)/]);
    await expect(page.getByTestId("withdraw-available")).toHaveText("$49.00");
    await expect(page.getByTestId("withdraw-daily-left")).toHaveText("$9,950.00");
    await expect(page.getByTestId("withdraw-slots-left")).toHaveText("2");
    expect(await walletBalances(database.db, user.id)).toEqual({ available: 49_00, held: 51_00, current: 100_00 });
    await screenshots(page, "withdraw-requested");

    // The wallet page: the balance down by 51.00, the withdrawal on its way, the hold in the history.
    await page.goto("/wallet");
    await expect(page.getByTestId("balance-available")).toHaveText("$49.00");
    await expect(page.getByRole("heading", { name: "Withdrawals on their way" })).toBeVisible();
    const row = page.getByRole("row", { name: /Withdrawal to Test Bank •••• 3000/ });
    await expect(row).toContainText("−$51.00");
    await expect(row).toContainText("Withdrawal");
    await screenshots(page, "wallet-with-withdrawal", { schemes: ["light"] });
    await page.getByRole("link", { name: "Withdraw", exact: true }).click();
    await expect(page).toHaveURL(/\/wallet\/withdraw$/);

    // Cancel, with a confirmation first.
    await page.getByRole("button", { name: "Cancel the withdrawal of $50.00" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel this withdrawal?" });
    await expect(dialog).toContainText("$51.00 (the amount and the fee) goes back to your available balance.");
    await dialog.getByRole("button", { name: "Cancel withdrawal" }).click();
    await expect(dialog).toBeHidden();
    await expect(item).toContainText("Cancelled");
    await expect(item).toContainText("You cancelled this request. $51.00 went back to your wallet.");
    await expect(page.getByRole("heading", { name: "Past withdrawals" })).toBeVisible();
    await expect(page.getByTestId("withdraw-available")).toHaveText("$100.00");
    await expect(page.getByTestId("withdraw-slots-left")).toHaveText("3");
    expect(await walletBalances(database.db, user.id)).toEqual({ available: 100_00, held: 0, current: 100_00 });
    await screenshots(page, "withdraw-cancelled", { schemes: ["light"] });

    await page.goto("/wallet");
    await expect(page.getByTestId("balance-available")).toHaveText("$100.00");
    await expect(page.getByRole("heading", { name: "Withdrawals on their way" })).toHaveCount(0);
    await expect(page.getByRole("row", { name: /Withdrawal cancelled/ })).toContainText("Withdrawal returned");
  });

  test("an amount under the minimum gets the server's message next to the field, and nothing is held", async ({
    page,
    makeUser,
    database,
  }) => {
    const user = await makeUser();
    await fund(database, user.id, 100_00);
    await addBankAccount(database, user.id);
    await signIn(page, user.email);
    await page.goto("/wallet/withdraw");

    await amountField(page).fill("9.99");
    await expect(page.getByTestId("withdraw-summary")).toHaveText("You receive $9.99 · fee $1.00 · $10.99 leaves your wallet");
    await page.getByRole("button", { name: "Withdraw $9.99" }).click();
    await expect(page.locator("#withdraw-amount-error")).toHaveText("The smallest withdrawal is $10.00.");
    await expect(amountField(page)).toHaveAttribute("aria-invalid", "true");
    await expect(amountField(page)).toBeFocused();
    await expect(page.getByTestId("withdrawal")).toHaveCount(0);
    expect(await walletBalances(database.db, user.id)).toEqual({ available: 100_00, held: 0, current: 100_00 });
    await screenshots(page, "withdraw-field-error", { schemes: ["light"] });

    // Typing again clears the message.
    await amountField(page).fill("10");
    await expect(page.locator("#withdraw-amount-error")).toHaveCount(0);
  });

  test("without a bank account the page says to add one", async ({ page, makeUser, database }) => {
    const user = await makeUser();
    await fund(database, user.id, 20_00);
    await signIn(page, user.email);
    await page.goto("/wallet/withdraw");
    await expect(page.getByRole("heading", { name: "Add a bank account to withdraw" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Add a bank account" })).toHaveAttribute("href", "/wallet/bank");
    await expect(amountField(page)).toHaveCount(0);
    await screenshots(page, "withdraw-no-bank-account");
  });

  test("over the threshold the server asks for the second factor, and the same request goes again with it", async ({
    page,
    makeUser,
    database,
  }) => {
    test.setTimeout(120_000);
    const user = await makeUser();
    await fund(database, user.id, 2_000_00);
    await addBankAccount(database, user.id);
    await signIn(page, user.email);

    // Turn on the authenticator app, as the security page does it.
    await page.goto("/profile/security");
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Two-factor sign-in" }) });
    await section.getByRole("button", { name: "Set up authenticator app" }).click();
    const secret = ((await section.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
    await section.getByLabel("Enter the 6-digit code the app shows").fill(codeFor(secret));
    await section.getByRole("button", { name: "Turn on" }).click();
    await page.getByRole("button", { name: "I have saved them" }).click();

    const keys: string[] = [];
    page.on("request", (request) => {
      if (!request.url().includes("withdrawals.request")) return;
      const key = /"idempotencyKey":"([0-9a-f-]{36})"/.exec(request.postData() ?? "")?.[1];
      if (key) keys.push(key);
    });

    await page.goto("/wallet/withdraw");
    await amountField(page).fill("1500");
    await page.getByRole("button", { name: "Withdraw $1,500.00" }).click();
    await expect(page.getByRole("heading", { name: "Confirm with your second factor" })).toBeFocused();
    const code = page.getByLabel("6-digit code from your authenticator app");
    await screenshots(page, "withdraw-second-factor");

    const next = codeFor(secret, 30);
    await code.fill(next === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Confirm and withdraw" }).click();
    await expect(page.locator("#withdraw-code-error")).toContainText("That did not work");
    await expect(code).toBeFocused();
    await expect(page.getByTestId("withdrawal")).toHaveCount(0);

    await code.fill(next);
    await page.getByRole("button", { name: "Confirm and withdraw" }).click();
    const item = page.getByTestId("withdrawal");
    await expect(item).toContainText("$1,500.00");
    await expect(item).toContainText("Waiting for review");
    await expect(page.getByRole("heading", { name: "Confirm with your second factor" })).toHaveCount(0);
    await expect(page.getByTestId("withdraw-available")).toHaveText("$499.00");

    // One attempt: every try carried the same key, and one withdrawal exists, with its second factor.
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys).size).toBe(1);
    const rows = await database.sql`select idempotency_key, second_factor from withdrawals where user_id = ${user.id}`;
    expect(rows).toEqual([{ idempotency_key: keys[0], second_factor: true }]);
  });

  test("the page follows an admin's rejection live: the reason in words and the money back, without a refresh", async ({
    page,
    makeUser,
    database,
  }) => {
    const user = await makeUser();
    const admin = await makeUser({ role: "admin" });
    await fund(database, user.id, 100_00);
    await addBankAccount(database, user.id);
    const asked = await requestWithdrawal(database.db, {
      userId: user.id,
      amount: 20_00,
      idempotencyKey: crypto.randomUUID(),
      requestIp: null,
    });
    await signIn(page, user.email);
    await page.goto("/wallet/withdraw");
    const item = page.getByTestId("withdrawal");
    await expect(item).toContainText("Waiting for review");
    await expect(page.getByTestId("withdraw-available")).toHaveText("$79.00");
    // Let the page's live connection open before the change is made.
    await page.waitForTimeout(1_000);

    await decideWithdrawals(database.db, admin, [asked.id], { kind: "reject", reason: "The holder name does not match your account" });
    await expect(item).toContainText("Rejected", { timeout: 10_000 });
    await expect(item).toContainText("Not approved: The holder name does not match your account. $21.00 went back to your wallet.");
    await expect(item.getByRole("list", { name: "Progress" }).getByRole("listitem")).toHaveText([
      /^Requested \(done\)/,
      /^Not approved \(ended\)/,
    ]);
    await expect(page.getByTestId("withdraw-available")).toHaveText("$100.00");
    await screenshots(page, "withdraw-rejected", { schemes: ["light", "dark"] });
  });
});
