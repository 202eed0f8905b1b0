import { credit, platformAccount } from "@/server/ledger";
import { expect, signIn, test } from "./fixtures";
import { screenshots } from "./screenshots";

test("the card step of an entry fee names the event, splits the fee into wallet and card, counts the seat down and leads back", async ({
  page,
  makeUser,
  makeEvent,
  database,
}) => {
  const organizer = await makeUser({ role: "organizer" });
  const player = await makeUser();
  const name = `Card Step Cup ${crypto.randomUUID().slice(0, 6)}`;
  const event = await makeEvent(organizer.id, { capacity: 16, entryFee: 500, name });
  await credit(database.db, {
    userId: player.id,
    amount: 200,
    fromAccountId: await platformAccount(database.db, "card_clearing"),
    category: "topup",
    description: "Test funds",
    idempotencyKey: crypto.randomUUID(),
  });

  await signIn(page, player.email);
  await page.goto(`/events/${event.id}`);
  await page.getByRole("button", { name: "Continue to card payment" }).click();
  await expect(page).toHaveURL(/\/wallet\/pay\//);

  const context = page.getByRole("region", { name: "What you are paying for" });
  await expect(context.getByRole("link", { name })).toHaveAttribute("href", `/events/${event.id}`);
  await expect(context.getByRole("definition").nth(0)).toHaveText("$5.00");
  await expect(context.getByText("Held from your wallet", { exact: true })).toBeVisible();
  await expect(context.getByRole("definition").nth(1)).toHaveText("−$2.00");
  await expect(context.getByRole("definition").nth(2)).toHaveText("$3.00");
  const timer = context.getByRole("timer");
  await expect(timer).toContainText(/Your seat is held for 00:1[45]:\d\d \(1[45] minutes( \d+ seconds?)?\), until/);
  await expect(timer).toContainText("the $2.00 held from your wallet is released back to you");
  await expect(page.getByRole("button", { name: "Pay $3.00" })).toBeVisible();
  await expect(page.getByText("leaving keeps your seat until")).toBeVisible();
  await screenshots(page, "card-step-entry-fee");

  await page.getByRole("link", { name: "Back to the event" }).click();
  await expect(page).toHaveURL(new RegExp(`/events/${event.id}$`));
  await expect(page.getByText(/Your seat is held for \d+:\d\d while you pay \$3\.00 by card\./)).toBeVisible();
});
