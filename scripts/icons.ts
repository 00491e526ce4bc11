/**
 * The extension's icons, public/icon/{16,32,48,128}.png: assets/icon.svg drawn by Chromium (Debian's
 * chromium, as the tests use) and kept as its PNG screenshot, transparency and all. Run before the
 * build (`npm run screenshots` does), so the build packs what the SVG says; the PNGs are committed,
 * so a build needs no browser.
 */
import { mkdir, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { chromium } from "playwright-core";
import { ICON_DIR, ICON_SIZES, ICON_SVG, renderIcon, writePng } from "./store-assets";

async function main() {
  const svg = await readFile(resolve(ICON_SVG), "utf8");
  await mkdir(resolve(ICON_DIR), { recursive: true });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const largest = Math.max(...ICON_SIZES);
    const page = await browser.newPage({
      viewport: { width: largest, height: largest },
      deviceScaleFactor: 1,
    });
    for (const size of ICON_SIZES) {
      await writePng(resolve(ICON_DIR, `${size}.png`), await renderIcon(page, svg, size), {
        width: size,
        height: size,
      });
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
