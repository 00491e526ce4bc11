/**
 * Screenshots from the real Chrome build on the offline stand-ins, for the README and for the stores:
 * the first-run page, the composer switch, the in-page status after a share, the popup, and the
 * options page (light and dark for the README). The store's copies are framed onto 1280×800 with a
 * caption line; the promo tile is drawn from HTML in the same browser.
 *
 *   npm run screenshots   (draws the icons, builds for Chrome, then writes docs/screenshots/*.png,
 *                          store/screenshots/*.png, store/promo-tile-440x280.png, and
 *                          store/privacy-policy.html, the packaged policy as one file to publish)
 */
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Locator, Page } from "playwright-core";
import { launchChromium } from "../tests/support/browsers";
import { playwrightDriver } from "../tests/support/driver";
import { linkPageByToken, openComposerAtCaption, SWITCH } from "../tests/support/flows";
import { BUILD_DIRS } from "../tests/support/harness";
import { startStandins } from "../tests/support/standins";
import {
  frameHtml,
  ICON_SVG,
  PROMO_TILE,
  promoTileHtml,
  publishablePolicy,
  SCREENSHOT,
  STORE_DIR,
  writePng,
} from "./store-assets";

const README_DIR = resolve("docs/screenshots");
const STORE_SHOTS = resolve(STORE_DIR, "screenshots");
const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGscreenshotpagetoken0123456789" };
// No emoji: Debian's chromium here has no emoji font, and a missing glyph would show as a box.
const CAPTION = "Fresh sourdough, out of the oven at 7 with @acme.baker\n#sourdough #bakery #breadlover";

/** Writes a README screenshot of `selector` (or the whole page), and returns its PNG. */
async function shoot(page: Page, name: string, selector?: string): Promise<Uint8Array> {
  const path = resolve(README_DIR, `${name}.png`);
  const png = selector
    ? await page.locator(selector).first().screenshot({ path })
    : await page.screenshot({ path, fullPage: true });
  console.log(`wrote ${path}`);
  return new Uint8Array(png);
}

/** Writes a README screenshot of the smallest box around `parts` (our status sits below the dialog). */
async function shootAround(page: Page, name: string, parts: Locator[]): Promise<Uint8Array> {
  const boxes = await Promise.all(parts.map((part) => part.boundingBox()));
  if (boxes.some((box) => box === null)) throw new Error(`${name}: something to shoot is not on the page`);
  const [x, y] = [Math.min(...boxes.map((b) => b?.x ?? 0)), Math.min(...boxes.map((b) => b?.y ?? 0))];
  const right = Math.max(...boxes.map((b) => (b?.x ?? 0) + (b?.width ?? 0)));
  const bottom = Math.max(...boxes.map((b) => (b?.y ?? 0) + (b?.height ?? 0)));
  const margin = 12;
  const clip = {
    x: x - margin,
    y: y - margin,
    width: right - x + 2 * margin,
    height: bottom - y + 2 * margin,
  };
  const path = resolve(README_DIR, `${name}.png`);
  const png = await page.screenshot({ path, clip });
  console.log(`wrote ${path}`);
  return new Uint8Array(png);
}

/** The store's copy: `surface` under `caption` on a 1280×800 canvas, drawn by `canvas`. */
async function storeShot(canvas: Page, name: string, surface: Uint8Array, caption: string) {
  await canvas.setContent(frameHtml(surface, caption));
  await writePng(
    resolve(STORE_SHOTS, `${name}.png`),
    new Uint8Array(await canvas.screenshot({ type: "png" })),
    {
      ...SCREENSHOT,
      opaque: true,
    },
  );
}

async function main() {
  await mkdir(README_DIR, { recursive: true });
  await mkdir(STORE_SHOTS, { recursive: true });
  const built = (path: string) => readFileSync(resolve(BUILD_DIRS.chromium, `.${path}`), "utf8");
  const policy = resolve(STORE_DIR, "privacy-policy.html");
  await writeFile(policy, publishablePolicy(built("/privacy.html"), built));
  console.log(`wrote ${policy}`);

  const standins = await startStandins();
  standins.graph.addPage(PAGE);
  const chromium = await launchChromium({ extensionDir: BUILD_DIRS.chromium, standins });
  try {
    const canvas = await chromium.page();
    await canvas.setViewportSize(SCREENSHOT);

    // The install opened the first-run page; the user allows reading there, as anyone would.
    const welcome = await chromium.openExtensionPage("welcome.html");
    await welcome.setViewportSize({ width: 760, height: 400 });
    await playwrightDriver(welcome).waitFor("button", "Allow and continue");
    const firstRun = new Uint8Array(await welcome.screenshot({ fullPage: true }));
    await storeShot(canvas, "1-first-run", firstRun, "Nothing is read on Instagram until you allow it");
    await playwrightDriver(welcome).click("button", "Allow and continue");
    await playwrightDriver(welcome).waitFor(".consent .ok-text");
    await welcome.close();

    const options = await chromium.openExtensionPage("options.html");
    await linkPageByToken(playwrightDriver(options), PAGE.token, PAGE.name);

    const instagramPage = await chromium.page();
    await instagramPage.setViewportSize({ width: 1100, height: 800 });
    const instagram = playwrightDriver(instagramPage);
    await openComposerAtCaption(instagram, CAPTION);
    if ((await instagram.attribute(SWITCH, "aria-checked")) !== "true") await instagram.click(SWITCH);
    await instagram.waitFor(`${SWITCH}[aria-checked="true"]`);
    const composer = await shoot(instagramPage, "composer-switch", "[role=dialog]");
    await storeShot(
      canvas,
      "2-composer-switch",
      composer,
      "A switch in Instagram’s composer: also share to Facebook",
    );
    await instagram.click("[role=dialog] [role=button]", "Share");
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    const shared = await shootAround(instagramPage, "composer-shared", [
      instagramPage.locator("[role=dialog]").first(),
      instagramPage.locator('[role="status"]', { hasText: "Shared to Facebook" }).first(),
    ]);
    await storeShot(
      canvas,
      "3-composer-shared",
      shared,
      "Press Share: the post goes to your Facebook Page too",
    );

    for (const scheme of ["light", "dark"] as const) {
      const suffix = scheme === "dark" ? "-dark" : "";
      const popup = await chromium.openExtensionPage("popup.html");
      await popup.emulateMedia({ colorScheme: scheme });
      await popup.setViewportSize({ width: 360, height: 560 });
      await playwrightDriver(popup).waitFor(".job", "Shared");
      const popupShot = await shoot(popup, `popup${suffix}`, "main");
      if (scheme === "light") {
        await storeShot(
          canvas,
          "4-popup",
          popupShot,
          "The popup: your Pages, auto-share, and each share’s state",
        );
      }
      await popup.close();

      const page = await chromium.openExtensionPage("options.html");
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 900, height: 900 });
      await playwrightDriver(page).waitFor(".job", "Shared");
      await playwrightDriver(page).waitFor("#diag-report");
      await shoot(page, `options${suffix}`);
      if (scheme === "light") {
        // The whole page is too tall for the frame: the store gets its top, where linking is.
        await page.setViewportSize({ width: 1060, height: 620 });
        await page.evaluate("window.scrollTo(0, 0)");
        const top = new Uint8Array(await page.screenshot());
        await storeShot(canvas, "5-options", top, "Link your Pages; everything stays in your browser");
      }
      await page.close();
    }

    await canvas.setViewportSize(PROMO_TILE);
    await canvas.setContent(promoTileHtml(await readFile(resolve(ICON_SVG), "utf8")));
    await writePng(
      resolve(STORE_DIR, "promo-tile-440x280.png"),
      new Uint8Array(await canvas.screenshot({ type: "png" })),
      {
        ...PROMO_TILE,
        opaque: true,
      },
    );
  } finally {
    await chromium.close();
    await standins.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
