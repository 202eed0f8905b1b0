/**
 * The deployable build: the standalone server (`output: "standalone"`, what the Dockerfile's image
 * runs) started on its own against the test database, on loopback, and stopped by its process id.
 */
import { startStandaloneServer } from "./standalone-server";
import { expect, test } from "./fixtures";

test("the standalone server starts on its own, reports healthy and serves a page", async () => {
  test.setTimeout(120_000);
  const { base, health, output, stop } = await startStandaloneServer();
  try {
    expect(health?.status, output()).toBe(200);
    expect(((await health!.json()) as { status: string }).status).toBe("ok");

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Driftwood");
    // The static assets and public/ were copied in beside it.
    const css = (await (await fetch(`${base}/`)).text()).match(/\/_next\/static\/[^"]+\.css/)?.[0];
    expect((await fetch(`${base}${css}`)).status).toBe(200);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(200);
  } finally {
    await stop();
  }
});
