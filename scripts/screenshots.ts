/**
 * Screenshots for the README, from the real Chrome build on the offline stand-ins: the composer
 * switch, the in-page status after a share, the popup, and the options page (light and dark).
 *
 *   npm run screenshots            (builds for Chrome, then writes docs/screenshots/*.png)
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../tests/support/browsers";
import { playwrightDriver } from "../tests/support/driver";
import { linkPageByToken, openComposerAtCaption, SWITCH } from "../tests/support/flows";
import { BUILD_DIRS } from "../tests/support/harness";
import { startStandins } from "../tests/support/standins";

const OUT = resolve("docs/screenshots");
const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGscreenshotpagetoken0123456789" };
const CAPTION = "Fresh sourdough, out of the oven at 7 🍞 with @acme.baker\n#sourdough #bakery #breadlover";

async function shoot(page: Page, name: string, selector?: string) {
  const path = resolve(OUT, `${name}.png`);
  if (selector) await page.locator(selector).first().screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  console.log(`wrote ${path}`);
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const standins = await startStandins();
  standins.graph.addPage(PAGE);
  const chromium = await launchChromium({ extensionDir: BUILD_DIRS.chromium, standins });
  try {
    const options = await chromium.openExtensionPage("options.html");
    await linkPageByToken(playwrightDriver(options), PAGE.token, PAGE.name);

    const instagramPage = await chromium.page();
    await instagramPage.setViewportSize({ width: 1100, height: 800 });
    const instagram = playwrightDriver(instagramPage);
    await openComposerAtCaption(instagram, CAPTION);
    if ((await instagram.attribute(SWITCH, "aria-checked")) !== "true") await instagram.click(SWITCH);
    await instagram.waitFor(`${SWITCH}[aria-checked="true"]`);
    await shoot(instagramPage, "composer-switch", "[role=dialog]");
    await instagram.click("[role=dialog] [role=button]", "Share");
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    await shoot(instagramPage, "composer-shared", "[role=dialog]");

    for (const scheme of ["light", "dark"] as const) {
      const suffix = scheme === "dark" ? "-dark" : "";
      const popup = await chromium.openExtensionPage("popup.html");
      await popup.emulateMedia({ colorScheme: scheme });
      await popup.setViewportSize({ width: 360, height: 560 });
      await playwrightDriver(popup).waitFor(".job", "Shared");
      await shoot(popup, `popup${suffix}`, "main");
      await popup.close();

      const page = await chromium.openExtensionPage("options.html");
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 900, height: 900 });
      await playwrightDriver(page).waitFor(".job", "Shared");
      await playwrightDriver(page).waitFor("#diag-report");
      await shoot(page, `options${suffix}`);
      await page.close();
    }
  } finally {
    await chromium.close();
    await standins.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
