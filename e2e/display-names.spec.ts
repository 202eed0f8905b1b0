import { expect, signIn, test } from "./fixtures";
import { screenshots } from "./screenshots";

const TAKEN = "That name is taken, or looks too much like one that is. Choose another.";
const tag = () => crypto.randomUUID().slice(0, 5);

test.describe("display names", () => {
  test("sign-up says next to the name field that a look-alike of an existing name is taken, before and at submit", async ({
    page,
    makeUser,
  }) => {
    const existing = await makeUser({ name: `Kestrel ${tag()}` });
    await page.goto("/sign-up");
    const name = page.getByLabel("Display name");
    // Cyrillic е for e, and upper case: the same name to a reader.
    await name.fill(existing.name.toUpperCase().replace("E", "Е"));
    await expect(page.locator("#name-error")).toHaveText(TAKEN);
    await expect(name).toHaveAttribute("aria-invalid", "true");
    await expect(name).toHaveAttribute("aria-describedby", "name-error");

    await page.getByLabel("Email").fill(`lookalike-${tag()}@example.test`);
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#name-error")).toHaveText(TAKEN);
    await expect(page).toHaveURL(/\/sign-up$/);
    await screenshots(page, "sign-up-name-taken", { viewports: ["desktop", "phone"], schemes: ["light"] });

    await name.fill(`${existing.name} the Second`);
    await expect(page.locator("#name-error")).toHaveCount(0);
    await expect(page.locator("#name-hint")).toContainText("That name is free.");
  });

  test("the server refuses a look-alike at submit even when the check before it did not run, and focuses the field", async ({
    page,
    makeUser,
  }) => {
    const existing = await makeUser({ name: `Vesper ${tag()}` });
    await page.route("**/api/trpc/account.nameAvailable**", (route) => route.abort());
    await page.goto("/sign-up");
    await page.getByLabel("Display name").fill(existing.name.replace(" ", "_").toLowerCase());
    await page.getByLabel("Email").fill(`lookalike-${tag()}@example.test`);
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#name-error")).toHaveText(TAKEN);
    await expect(page.getByLabel("Display name")).toBeFocused();
  });

  test("the profile form refuses someone else's name by look, and takes a variant of your own", async ({ page, makeUser }) => {
    const other = await makeUser({ name: `Onyx ${tag()}` });
    const user = await makeUser({ name: `Mako ${tag()}` });
    await signIn(page, user.email);
    await page.goto("/profile");
    const name = page.getByLabel("Display name");
    await name.fill(other.name.toUpperCase().replace("O", "0"));
    await expect(page.locator("#name-error")).toHaveText(TAKEN);
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.locator("#name-error")).toHaveText(TAKEN);

    await name.fill(user.name.toUpperCase());
    await expect(page.locator("#name-error")).toHaveCount(0);
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByText("Profile saved")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Display name")).toHaveValue(user.name.toUpperCase());
  });
});
