import type { Page } from "@playwright/test";
import type { Database } from "@/db/client";
import type { SessionUser } from "@/server/accounts/roles";
import { creditFromCard, walletBalances } from "@/server/ledger";
import { expect, test } from "./fixtures";
import { screenshots } from "./screenshots";

/**
 * The whole way out, in two browsers: a player adds a bank account and withdraws, an admin approves
 * it in the review queue, the simulated processor pays it out (its payout job, the bank's answer a
 * few seconds later, the webhook) and the player's page follows each step live.
 */

async function fund(database: Database, userId: string, amount: number) {
  await creditFromCard(database.db, { userId, amount, category: "topup", description: "Top-up", idempotencyKey: crypto.randomUUID() });
}

async function addBankAccount(page: Page, iban: string) {
  await page.goto("/wallet/bank");
  await page.getByLabel("Account holder's name").fill("Ada Lovelace");
  await page.getByRole("textbox", { name: "IBAN" }).fill(iban);
  await page.getByRole("button", { name: "Save bank account" }).click();
  await expect(page.getByTestId("current-bank-account")).toContainText(iban.replaceAll(" ", "").slice(-4), { timeout: 20_000 });
}

async function withdraw(page: Page, dollars: string) {
  await page.goto("/wallet/withdraw");
  await page.getByLabel("Amount to receive (dollars)").fill(dollars);
  await page.getByRole("button", { name: `Withdraw $${dollars}` }).click();
  const item = page.getByTestId("withdrawal").first();
  await expect(item).toContainText("Waiting for review");
  return item;
}

async function approve(admin: Page, player: SessionUser, dollars: string) {
  await admin.goto("/admin/withdrawals");
  await admin.getByLabel("Player", { exact: true }).fill(player.name);
  await admin.getByRole("button", { name: "Filter", exact: true }).click();
  await expect(admin.getByTestId("withdrawal-row")).toHaveCount(1);
  await expect(admin.getByTestId("withdrawal-row")).toContainText("Bank account added");
  await admin.getByRole("button", { name: `Approve ${player.name}'s withdrawal of $${dollars}` }).click();
  await expect(admin.getByText("1 approved.")).toBeVisible();
}

/** Both browsers start signed in by a session cookie (the sign-in form is tested in accounts.spec). */
const signedInNow = () => ({ authenticatedAt: new Date() });

test.describe("a withdrawal paid out", () => {
  test("a player withdraws 50.00, an admin approves, and the player sees it sent and arrive", async ({
    makeUser,
    database,
    sessionPage,
  }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    const player = await makeUser({ name: `Payee ${tag}` });
    const admin = await sessionPage(await makeUser({ role: "admin", name: `Cashier ${tag}` }), signedInNow());
    await fund(database, player.id, 100_00);
    const playerPage = await sessionPage(player, signedInNow());

    await addBankAccount(playerPage, "DE89 3704 0044 0532 0130 00");
    const item = await withdraw(playerPage, "50.00");
    expect(await walletBalances(database.db, player.id)).toEqual({ available: 49_00, held: 51_00, current: 100_00 });

    await approve(admin, player, "50.00");

    // The player's page follows without a reload: approved, sent (the hold leaves the wallet), arrived.
    await expect(item).toContainText(/On its way|Arrived/, { timeout: 20_000 });
    await expect(item).toContainText("Arrived", { timeout: 30_000 });
    const steps = item.getByRole("list", { name: "Progress" }).getByRole("listitem");
    await expect(steps.last()).toHaveText(/^Arrived \(done\)/);
    expect(await walletBalances(database.db, player.id)).toEqual({ available: 49_00, held: 0, current: 49_00 });
    await expect(playerPage.getByTestId("withdraw-available")).toHaveText("$49.00");
    await screenshots(playerPage, "withdraw-arrived", { schemes: ["light"] });

    // Each step was told in-app (and by email).
    const told = await database.sql<
      { title: string }[]
    >`select title from notifications where user_id = ${player.id} and dedupe_key like 'withdrawal:%' order by created_at`;
    expect(told.map((n) => n.title)).toEqual([
      "Withdrawal of $50.00 requested",
      "Your withdrawal of $50.00 was approved",
      "$50.00 is on its way to your bank",
      "$50.00 arrived at your bank",
    ]);
  });

  test("a bank account whose payouts fail: the money comes back with the bank's reason", async ({ makeUser, database, sessionPage }) => {
    const tag = crypto.randomUUID().slice(0, 6);
    const player = await makeUser({ name: `Returned ${tag}` });
    const admin = await sessionPage(await makeUser({ role: "admin", name: `Cashier ${tag}` }), signedInNow());
    await fund(database, player.id, 100_00);
    const playerPage = await sessionPage(player, signedInNow());

    await addBankAccount(playerPage, "DE62 3704 0044 0532 0130 01");
    const item = await withdraw(playerPage, "20.00");
    await approve(admin, player, "20.00");

    await expect(item).toContainText("Failed", { timeout: 30_000 });
    await expect(item).toContainText("The bank account could not be found.");
    await expect(playerPage.getByTestId("withdraw-available")).toHaveText("$100.00");
    expect(await walletBalances(database.db, player.id)).toEqual({ available: 100_00, held: 0, current: 100_00 });
    await screenshots(playerPage, "withdraw-failed", { schemes: ["light"] });
  });
});
