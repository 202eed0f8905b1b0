/**
 * `npx tsx scripts/make-icons.ts`: draws public/'s icons from app/icon.svg in Chromium (the one the
 * end-to-end tests use) and packs favicon.ico (16, 32 and 48 px PNGs, the ICO format browsers
 * read since Windows Vista). Run it after changing the logo; the output is committed.
 */
import { readFile, writeFile } from "node:fs/promises";
import { chromium, type Page } from "@playwright/test";

async function render(page: Page, svg: string, size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

function ico(images: Array<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size, entry);
    header.writeUInt8(size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

async function main() {
  const svg = await readFile("app/icon.svg", "utf8");
  // The maskable icon: the gradient to the edges and the mark inside the 80% safe circle.
  const maskable = svg
    .replace('rx="7"', 'rx="0"')
    .replace('<path d="M8 21c4-6 12-6 16-10"', '<path transform="translate(4.8 4.8) scale(0.7)" d="M8 21c4-6 12-6 16-10"');
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage();
  await writeFile("public/icon-192.png", await render(page, svg, 192));
  await writeFile("public/icon-512.png", await render(page, svg, 512));
  await writeFile("public/icon-maskable-512.png", await render(page, maskable, 512));
  await writeFile("public/apple-touch-icon.png", await render(page, maskable, 180));
  const small = [];
  for (const size of [16, 32, 48]) small.push({ size, png: await render(page, svg, size) });
  await writeFile("public/favicon.ico", ico(small));
  await browser.close();
  console.log("icons written to public/");
}

void main();
