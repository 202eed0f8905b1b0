import type { Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { E2E_PORT } from "./config";
import { expect, signIn, signOut, TEST_PASSWORD, test } from "./fixtures";
import { screenshots } from "./screenshots";

/** The code an authenticator app would show `offsetSeconds` from now. */
function codeFor(secret: string, offsetSeconds = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + offsetSeconds * 1000 });
}

async function fillPassword(page: Page, email: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test.describe("two-factor sign-in", () => {
  // Each test walks through several sign-ins and takes screenshots.
  test.describe.configure({ timeout: 180_000 });

  test("turning on the authenticator app, then signing in with a code and with a recovery code", async ({ signedInPage, makeUser }) => {
    const user = await makeUser();
    const page = await signedInPage(user);
    await page.goto("/profile/security");
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Two-factor sign-in" }) });
    await expect(section.getByText("Your password is enough to sign in.")).toBeVisible();
    await screenshots(page, "security-two-factor-off", { viewports: ["desktop"], schemes: ["light"] });

    await section.getByRole("button", { name: "Set up authenticator app" }).click();
    await expect(section.getByRole("img", { name: "QR code for setting up your authenticator app" })).toBeVisible();
    const secret = ((await section.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
    const codeField = section.getByLabel("Enter the 6-digit code the app shows");
    await expect(codeField).toBeFocused();
    await screenshots(page, "security-two-factor-setup");

    await codeField.fill("000000" === codeFor(secret) ? "111111" : "000000");
    await section.getByRole("button", { name: "Turn on" }).click();
    await expect(page.locator("#totp-setup-code-error")).toContainText("not right");

    await codeField.fill(codeFor(secret));
    await section.getByRole("button", { name: "Turn on" }).click();
    const codesList = page.getByRole("list", { name: "Recovery codes" });
    // Read once the page has settled (the session renewal refreshes it).
    let recoveryCodes: string[] = [];
    await expect(async () => {
      recoveryCodes = await codesList.getByRole("listitem").allTextContents();
      expect(recoveryCodes).toHaveLength(10);
    }).toPass();
    await screenshots(page, "security-recovery-codes");
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect(section.getByText("10 recovery codes left.")).toBeVisible();
    await screenshots(page, "security-two-factor-on", { viewports: ["desktop"], schemes: ["light", "dark"] });

    // This session carried on (renewed); sign out and back in with the second factor.
    await signOut(page);
    await page.goto("/sign-in?callbackUrl=%2Fprofile%2Fsecurity");
    await fillPassword(page, user.email);
    const signInCode = page.getByLabel("Enter the 6-digit code from your authenticator app");
    await expect(signInCode).toBeFocused();
    await expect(signInCode).toHaveAttribute("autocomplete", "one-time-code");
    await expect(signInCode).toHaveAttribute("inputmode", "numeric");
    await screenshots(page, "sign-in-second-step", { viewports: ["desktop", "phone"], schemes: ["light"] });
    // The code that turned it on was for this step or the one before: the next step's code is new.
    await signInCode.fill(codeFor(secret, 30));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();
    await expect(page).toHaveURL(/\/profile\/security$/);

    await signOut(page);
    await page.goto("/sign-in");
    await fillPassword(page, user.email);
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    const recoveryField = page.getByLabel("Enter one of your recovery codes");
    await expect(recoveryField).toBeFocused();
    await recoveryField.fill("zzzzz-zzzzz");
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(page.locator("#code-error")).toHaveText("That recovery code is not right, or it was already used.");
    await recoveryField.fill(recoveryCodes[0]!.toUpperCase());
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();

    // The same recovery code does not work twice.
    await signOut(page);
    await page.goto("/sign-in");
    await fillPassword(page, user.email);
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Enter one of your recovery codes").fill(recoveryCodes[0]!);
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(page.locator("#code-error")).toHaveText("That recovery code is not right, or it was already used.");
  });

  test("an account without a second factor signs in with its password alone", async ({ guestPage, makeUser }) => {
    const user = await makeUser();
    const page = await guestPage();
    await signIn(page, user.email);
  });

  test("adding a passkey, then signing in with it without a password, and as the second step", async ({ guestPage, makeUser }) => {
    const user = await makeUser();
    const page = await guestPage();
    // WebAuthn needs a host name (an RP id is never an IP address): this test browses to localhost.
    const origin = `http://localhost:${E2E_PORT}`;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await page.goto(`${origin}/sign-in?callbackUrl=%2Fprofile%2Fsecurity`);
    await fillPassword(page, user.email);
    await expect(page).toHaveURL(`${origin}/profile/security`);
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Passkeys" }) });
    await expect(section.getByText("You have no passkeys yet.")).toBeVisible();
    await section.getByRole("button", { name: "Add a passkey" }).click();
    await section.getByLabel("Name this passkey").fill("Test laptop");
    await section.getByRole("button", { name: "Create passkey" }).click();
    await expect(section.getByText("Test laptop")).toBeVisible();
    await expect(section.getByText(/not used yet/)).toBeVisible();
    // A first second factor comes with recovery codes, shown once: losing the passkey cannot lock the account.
    await expect(section.getByRole("heading", { name: "Save your recovery codes" })).toBeVisible();
    await expect(section.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
    await section.getByRole("button", { name: "I have saved them" }).click();
    await expect(section.getByRole("heading", { name: "Save your recovery codes" })).toBeHidden();
    await screenshots(page, "security-passkeys", { viewports: ["desktop", "phone"], schemes: ["light"] });

    await section.getByRole("button", { name: "Rename Test laptop" }).click();
    await section.getByLabel("Passkey name").fill("Work laptop");
    await section.getByRole("button", { name: "Save" }).click();
    await expect(section.getByText("Work laptop")).toBeVisible();

    // Passwordless: the browser offers the passkey it holds for this site.
    await signOut(page);
    await page.goto(`${origin}/sign-in`);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();
    await page.goto(`${origin}/profile/security`);
    await expect(section.getByText(/last used/)).toBeVisible();

    // With a passkey on the account, the password alone is not enough.
    await signOut(page);
    await page.goto(`${origin}/sign-in`);
    await fillPassword(page, user.email);
    await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();

    // Removing it (the other sessions end; this one carries on).
    await page.goto(`${origin}/profile/security`);
    await section.getByRole("button", { name: "Remove Work laptop" }).click();
    await section.getByRole("button", { name: "Remove", exact: true }).click();
    await expect(section.getByText("You have no passkeys yet.")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("button", { name: /Account menu for/ })).toBeVisible();
  });
});
