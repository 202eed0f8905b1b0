import type { Page } from "@playwright/test";
import { sendMessage } from "@/server/chat/messages";
import { openDirect } from "@/server/chat/rooms";
import { expect, test } from "./fixtures";

/** Waits until the page follows the open room (or the room list's topic) live. */
async function expectLive(page: Page, selector = "[data-live]") {
  await expect(page.locator(selector).first()).toHaveAttribute("data-live", "live");
}

function uniqueName(base: string) {
  return `${base} ${crypto.randomUUID().slice(0, 6)}`;
}

test("two players chat live: unread badge, typing, seen and replies without a refresh", async ({ signedInPage, makeUser }) => {
  const alice = await makeUser({ name: uniqueName("Alice") });
  const bob = await makeUser({ name: uniqueName("Bob") });
  const [a, b] = await Promise.all([signedInPage(alice), signedInPage(bob)]);

  // Bob waits on /chat with nothing in it yet.
  await b.goto("/chat");
  await expect(b.getByText("No conversations yet…")).toBeVisible();
  await expectLive(b, "nav[data-live]");
  await expect(b.getByRole("link", { name: "Chat", exact: true })).toBeVisible();

  // Alice finds Bob through New message and opens their room.
  await a.goto("/chat");
  await a.getByRole("button", { name: "New message" }).click();
  await a.getByLabel("Player").fill(bob.name);
  await a.getByRole("button", { name: `Message ${bob.name}` }).click();
  await expect(a).toHaveURL(/\/chat\?room=[0-9a-f-]{36}$/);
  await expect(a.getByRole("heading", { name: bob.name })).toBeVisible();
  await expectLive(a, "[data-live]:has([role=log])");

  const first = "Hi Bob, ready for the semifinal?";
  const composerA = a.getByPlaceholder(`Message ${bob.name}`);
  await composerA.fill(first);
  await composerA.press("Enter");
  await expect(a.getByRole("log").getByText(first)).toBeVisible();
  await expect(composerA).toHaveValue("");

  // Bob's header badge and room list update without a refresh.
  await expect(b.getByRole("link", { name: "Chat, 1 unread" })).toBeVisible();
  const roomLink = b.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: new RegExp(alice.name) });
  await expect(roomLink).toContainText(first);
  await expect(roomLink).toContainText("1 unread");

  // Bob opens the room: Alice sees "Seen" under her message, and Bob's badge clears.
  await roomLink.click();
  await expect(b.getByRole("log").getByText(first)).toBeVisible();
  await expect(a.getByText("Seen", { exact: true })).toBeVisible();
  await expect(b.getByRole("link", { name: "Chat", exact: true })).toBeVisible();

  // Bob types: Alice sees it.
  await expectLive(b, "[data-live]:has([role=log])");
  const composerB = b.getByPlaceholder(`Message ${alice.name}`);
  await composerB.fill("Ready when you are");
  await expect(a.getByText(`${bob.name} is typing…`)).toBeVisible();

  // Bob's reply appears on Alice's page live, and the typing notice goes away.
  await composerB.press("Enter");
  await expect(a.getByRole("log").getByText("Ready when you are")).toBeVisible();
  await expect(a.getByText(`${bob.name} is typing…`)).toBeHidden();
});

test("links in messages are safe links, other schemes stay text, and drafts survive a reload", async ({
  signedInPage,
  makeUser,
  database,
}) => {
  const alice = await makeUser({ name: uniqueName("Alice") });
  const bob = await makeUser({ name: uniqueName("Bob") });
  const { roomId } = await openDirect(database.db, bob, { userId: alice.id });
  const body = "Rules: https://example.com/rules?round=2. Not a link: javascript:alert(1) <b>bold</b>";
  await sendMessage(database.db, bob, { roomId, body, clientId: crypto.randomUUID() });

  const a = await signedInPage(alice);
  await a.goto(`/chat?room=${roomId}`);
  const message = a.getByRole("log").locator("p", { hasText: "Rules:" });
  await expect(message).toHaveText(body);
  const links = message.getByRole("link");
  await expect(links).toHaveCount(1);
  await expect(links).toHaveText("https://example.com/rules?round=2");
  await expect(links).toHaveAttribute("href", "https://example.com/rules?round=2");
  await expect(links).toHaveAttribute("target", "_blank");
  await expect(links).toHaveAttribute("rel", "noopener noreferrer nofollow ugc");
  await expect(message.locator("b")).toHaveCount(0);

  // An unsent draft survives a reload.
  const composer = a.getByPlaceholder(`Message ${bob.name}`);
  await composer.fill("half-written reply");
  await a.reload();
  await expect(a.getByPlaceholder(`Message ${bob.name}`)).toHaveValue("half-written reply");
});

test("after a player blocks another, the blocked player is told they can't message them", async ({ signedInPage, makeUser, database }) => {
  const alice = await makeUser({ name: uniqueName("Alice") });
  const bob = await makeUser({ name: uniqueName("Bob") });
  const { roomId } = await openDirect(database.db, bob, { userId: alice.id });
  await sendMessage(database.db, bob, { roomId, body: "gg", clientId: crypto.randomUUID() });

  const [a, b] = await Promise.all([signedInPage(alice), signedInPage(bob)]);
  await Promise.all([a.goto(`/chat?room=${roomId}`), b.goto(`/chat?room=${roomId}`)]);
  await expect(b.getByPlaceholder(`Message ${alice.name}`)).toBeVisible();

  await a.getByRole("button", { name: "More actions for this conversation" }).click();
  await a.getByRole("menuitem", { name: `Block ${bob.name}` }).click();
  const dialog = a.getByRole("dialog", { name: `Block ${bob.name}?` });
  await dialog.getByRole("button", { name: "Block", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(a.getByText("You blocked this player. Unblock to send messages.")).toBeVisible();

  // Bob's page was loaded before the block: his send is refused with the reason.
  const composerB = b.getByPlaceholder(`Message ${alice.name}`);
  await composerB.fill("rematch?");
  await composerB.press("Enter");
  await expect(b.getByText("You can't message this player.").first()).toBeVisible();
  await expect(b.getByRole("log").getByText("rematch?")).toBeHidden();
});

test("a reported message reaches the admins' queue, and deleting it there hides it in the room", async ({
  signedInPage,
  makeUser,
  database,
}) => {
  const alice = await makeUser({ name: uniqueName("Alice") });
  const bob = await makeUser({ name: uniqueName("Bob") });
  const admin = await makeUser({ role: "admin", name: uniqueName("Admin") });
  const { roomId } = await openDirect(database.db, bob, { userId: alice.id });
  const body = `Buy cheap coins at spam.example ${crypto.randomUUID().slice(0, 6)}`;
  await sendMessage(database.db, bob, { roomId, body, clientId: crypto.randomUUID() });

  const a = await signedInPage(alice);
  await a.goto(`/chat?room=${roomId}`);
  await expect(a.getByRole("log").getByText(body)).toBeVisible();
  await a.getByRole("button", { name: new RegExp(`^Actions for message from ${bob.name}`) }).click();
  await a.getByRole("menuitem", { name: "Report" }).click();
  const dialog = a.getByRole("dialog", { name: "Report message" });
  await dialog.getByLabel("Spam or advertising").check();
  await dialog.getByRole("button", { name: /report/i }).click();
  await expect(dialog).toBeHidden();

  const moderator = await signedInPage(admin);
  await moderator.goto("/admin/chat-reports");
  const report = moderator.getByRole("listitem").filter({ hasText: body });
  await expect(report).toContainText(`reported by ${alice.name}`);
  await report.getByRole("button", { name: "Delete message" }).click();
  await expect(moderator.getByText("Message deleted; 1 report closed.")).toBeVisible();
  await expect(moderator.getByRole("listitem").filter({ hasText: body })).toHaveCount(0);

  // Alice's open room shows the deletion live.
  await expect(a.getByRole("log").getByText(body)).toBeHidden();
  await expect(a.getByRole("log").getByText("Message deleted")).toBeVisible();
});
