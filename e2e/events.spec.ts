import type { Page } from "@playwright/test";
import { credit, platformAccount, walletBalances } from "@/server/ledger";
import { expect, signIn, test } from "./fixtures";
import { screenshots } from "./screenshots";

async function fillCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Name on card").fill("Test Player");
}

test.describe("events and registration", () => {
  test("an organizer creates and publishes an event; players find it", async ({ page, makeUser }) => {
    const organizer = await makeUser({ role: "organizer" });
    await signIn(page, organizer.email);
    await page.goto("/organizer/events/new");
    const name = `Friday Cup ${crypto.randomUUID().slice(0, 6)}`;
    await page.getByLabel("Event name").fill(name);
    await page.getByLabel("Game").selectOption({ label: "Rocket League" });
    await page.getByLabel("Entry fee (USD)").fill("5.00");
    await page.getByLabel("Payout split (%)").fill("50/30/10");
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page.getByText("The payout split must add up to 100%.")).toBeVisible();
    await page.getByLabel("Payout split (%)").fill("50/30/20");
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("button", { name: "Publish" })).toHaveCount(0);

    await page.goto(`/events?q=${encodeURIComponent(name)}`);
    await expect(page.getByRole("link", { name: new RegExp(name) })).toBeVisible();
  });

  test("a player pays part by wallet and part by card; a refresh on the card step charges once", async ({
    page,
    makeUser,
    makeEvent,
    database,
  }) => {
    const organizer = await makeUser({ role: "organizer" });
    const player = await makeUser();
    const event = await makeEvent(organizer.id, { capacity: 16, entryFee: 2_000 });
    await credit(database.db, {
      userId: player.id,
      amount: 500,
      fromAccountId: await platformAccount(database.db, "card_clearing"),
      category: "topup",
      description: "Test funds",
      idempotencyKey: crypto.randomUUID(),
    });

    await signIn(page, player.email);
    await page.goto(`/events/${event!.id}`);
    await expect(page.getByLabel("Pay from your wallet (USD)")).toHaveValue("5.00");
    await expect(page.getByText("Wallet $5.00 + card $15.00")).toBeVisible();
    await page.getByRole("button", { name: "Continue to card payment" }).click();
    await expect(page).toHaveURL(/\/wallet\/pay\//);
    expect(await walletBalances(database.db, player.id)).toEqual({ available: 0, held: 500, current: 500 });

    const cardStep = page.url();

    // Back to the event: the seat is held and "continue" leads to the same payment, not a new one.
    await page.goto(`/events/${event!.id}`);
    await expect(page.getByText(/Your seat is held for \d+:\d\d while you pay \$15\.00 by card\./)).toBeVisible();
    await page.getByRole("link", { name: "Continue to card payment" }).click();
    await expect(page).toHaveURL(cardStep);
    await page.reload();
    const pending = await database.sql`select id from registrations where event_id = ${event!.id} and user_id = ${player.id}`;
    expect(pending).toHaveLength(1);
    await fillCard(page, "4242 4242 4242 4242");
    await page.getByRole("button", { name: "Pay $15.00" }).click();
    await expect(page).toHaveURL(new RegExp(`/events/${event!.id}`));
    await expect(page.getByText(/You're registered \(paid \$20\.00\)/)).toBeVisible({ timeout: 20_000 });
    const charges = await database.sql`select count(*)::int as n from payments where user_id = ${player.id}`;
    expect(charges[0]?.n).toBe(1);
    expect(await walletBalances(database.db, player.id)).toEqual({ available: 0, held: 0, current: 0 });

    // Withdrawing before registration closes: each part goes back to where it came from, and the
    // entry and the wallet history say where.
    await page.getByRole("button", { name: "Withdraw" }).click();
    await expect(page.getByText("You will get back $20.00 of $20.00, to where it came from (wallet and card).")).toBeVisible();
    await page.getByRole("button", { name: "Yes, withdraw" }).click();
    await expect(
      page.getByText(/You withdrew from this event\. Refunded \$5\.00 to your wallet and \$15\.00 to card •••• 4242/),
    ).toBeVisible({ timeout: 20_000 });
    expect(await walletBalances(database.db, player.id)).toEqual({ available: 500, held: 0, current: 500 });
    await page.goto("/wallet");
    const history = page.getByRole("table", { name: /Wallet transactions/ });
    await expect(history.getByText(/^Refunded \$15\.00 to card •••• 4242/)).toBeVisible();
    await expect(history.getByText(`Entry fee: ${event!.name}`, { exact: true })).toBeVisible();
    await screenshots(page, "wallet-card-refund", { viewports: "current", schemes: ["light"] });
  });

  test("a captain invites a member who accepts, and the team registers", async ({ browser, page, makeUser, makeEvent }) => {
    const organizer = await makeUser({ role: "organizer" });
    const captain = await makeUser({ name: `Cap ${crypto.randomUUID().slice(0, 5)}` });
    const mate = await makeUser({ name: `Mate ${crypto.randomUUID().slice(0, 5)}` });
    const event = await makeEvent(organizer.id, { format: "round_robin", participantType: "team", teamSize: 2, entryFee: 0 });

    await signIn(page, captain.email);
    await page.goto("/teams");
    const teamName = `Duo ${crypto.randomUUID().slice(0, 6)}`;
    await page.getByLabel("Team name").fill(teamName);
    await page.getByLabel("Tag").fill("DUO");
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).toHaveURL(/\/teams\/[0-9a-f-]{36}/);
    await page.getByLabel("Display name or game handle").fill(mate.name);
    await page.getByRole("button", { name: "Send invite" }).click();
    await expect(page.getByText(`Invite sent to ${mate.name}.`)).toBeVisible();

    const mateContext = await browser.newContext();
    const matePage = await mateContext.newPage();
    await signIn(matePage, mate.email);
    await matePage.goto("/teams");
    await matePage.getByRole("button", { name: "Accept" }).click();
    await expect(matePage.getByText(`You joined ${teamName}.`)).toBeVisible();
    await mateContext.close();

    await page.goto(`/events/${event!.id}`);
    await page.getByLabel("Team").selectOption({ index: 1 });
    await expect(page.getByLabel("Team")).toContainText(teamName);
    await page.getByRole("button", { name: "Register" }).click();
    await expect(page.getByText("You're registered.")).toBeVisible();
  });
});
