import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import { askBackground } from "../support/flows";
import {
  BROWSERS,
  type ExtensionBrowser,
  launchWithExtension,
  startWithLinkedPage,
  stopAll,
} from "../support/harness";
import { seedShares } from "../support/seed-shares";
import type { Standins } from "../support/standins";

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagesexport0123456789abcdef" };
const SHARE_COUNT = 10_000;

/** Chooses a file in the options page's import field, the way a file picker would hand it over. */
const chooseImportFile = (options: Driver, text: string) =>
  options.evaluate<boolean>(
    `(() => {
      const input = document.querySelector("#privacy-import");
      const files = new DataTransfer();
      files.items.add(new File([${JSON.stringify(text)}], "alsoshare.json", { type: "application/json" }));
      input.files = files.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    })()`,
  );

/** Everything an import could touch, as the background answers it. */
const storedData = async (page: Driver) => ({
  settings: await askBackground(page, "settings.get"),
  accounts: await askBackground(page, "accounts.list"),
});

/** Presses the options page's export button and answers the file it hands to the browser. */
async function exportFile(options: Driver): Promise<string> {
  // Caught as it is made: the blob given to URL.createObjectURL for the download.
  await options.evaluate(
    `(() => {
      if (!globalThis.exportedBlobs) {
        globalThis.exportedBlobs = [];
        const make = URL.createObjectURL;
        URL.createObjectURL = (blob) => { globalThis.exportedBlobs.push(blob); return make.call(URL, blob); };
      }
      return true;
    })()`,
  );
  const count = () => options.evaluate<number>("globalThis.exportedBlobs.length");
  const before = await count();
  await options.click("button", "Export settings and accounts");
  await waitFor(async () => (await count()) > before, "the export file was made");
  return options.evaluate<string>("globalThis.exportedBlobs.at(-1).text()");
}

const instagramLinks = (page: Driver) =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll(".job a[href^='https://www.instagram.com/']")].map((link) => link.getAttribute("href"))`,
  );

describe.each(BROWSERS)("the popup and the options page, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;
  let options: Driver;

  beforeAll(async () => {
    ({ standins, browser, options } = await startWithLinkedPage(browserName, PAGE));
  });
  afterAll(() => stopAll({ standins, browser }));

  it("a broken import file shows what is wrong and changes nothing", async () => {
    const before = await storedData(options);

    await chooseImportFile(options, '{"format": "alsoshare-export", "version": 1, ');
    await options.waitFor('[role="alert"].import-outcome', "not valid JSON");

    const wrongType = JSON.stringify({
      format: "alsoshare-export",
      version: 1,
      exportedAt: "2026-08-01T00:00:00.000Z",
      settings: { ...(before.settings as object), autoShare: { photo: "yes" } },
      accounts: [],
    });
    await chooseImportFile(options, wrongType);
    await options.waitFor('[role="alert"].import-outcome', "settings.autoShare.photo must be a boolean");

    await chooseImportFile(options, '{"format": "alsoshare-export", "version": 99}');
    await options.waitFor('[role="alert"].import-outcome', "version of alsoshare this one does not know");

    expect(await storedData(options)).toEqual(before);
    expect(await options.texts(".accounts li")).toEqual([expect.stringContaining(PAGE.name)]);
  });

  it("export, then import in a fresh profile, brings back the same settings (without the token)", async () => {
    // Change a few things through the page itself.
    await options.click("label.check", "Reels");
    await options.waitFor(".notice", "Saved.");
    await options.evaluate(
      `(() => { const select = document.querySelector("#caption-hashtags"); select.value = "end"; select.dispatchEvent(new Event("change", { bubbles: true })); return true; })()`,
    );
    await waitFor(
      async () =>
        (await askBackground<{ caption: { hashtags: string } }>(options, "settings.get")).caption.hashtags ===
        "end",
      "the caption rule was saved",
    );
    const exported = await storedData(options);
    expect(exported.settings).toMatchObject({ autoShare: { reel: true }, caption: { hashtags: "end" } });

    const file = await exportFile(options);
    await options.waitFor("#privacy p", "Saved alsoshare-");
    expect(file).not.toContain(PAGE.token);
    expect(JSON.parse(file)).toMatchObject({ format: "alsoshare-export", version: 1 });

    const fresh = await launchWithExtension(browserName, standins);
    try {
      const freshOptions = await fresh.openExtensionPage("options.html");
      await freshOptions.waitFor("label", "Page access token");
      expect(await askBackground(freshOptions, "accounts.list")).toEqual([]);

      await chooseImportFile(freshOptions, file);
      await freshOptions.waitFor(
        '[role="status"].import-outcome',
        "Imported your settings. Accounts added: 1.",
      );
      const imported = await storedData(freshOptions);
      // Consent is each browser's own answer: an import neither brings nor replaces it.
      const withoutConsent = (settings: unknown) => ({ ...(settings as object), consent: undefined });
      expect(withoutConsent(imported.settings)).toEqual(withoutConsent(exported.settings));
      // The Page came without its token: it is listed and waits for a new sign-in.
      expect(imported.accounts).toEqual([
        expect.objectContaining({ id: PAGE.id, name: PAGE.name, status: "needs-signin" }),
      ]);
      await freshOptions.waitFor(".accounts li", PAGE.name);

      const freshPopup = await fresh.openExtensionPage("popup.html");
      await freshPopup.waitFor("#popup-signin", "Sign in again");
    } finally {
      await fresh.close();
    }
  });

  it("an export with access tokens included holds the Page's token; one without does not", async () => {
    const tokenBox = `(() => [...document.querySelectorAll("label.check")].find((label) => label.textContent.trim() === "Include access tokens").querySelector("input").checked)()`;
    expect(await options.evaluate<boolean>(tokenBox)).toBe(false);
    const without = JSON.parse(await exportFile(options));
    expect(without.accounts).toEqual([expect.objectContaining({ id: PAGE.id })]);
    expect(without.accounts[0]).not.toHaveProperty("token");

    await options.click("label.check", "Include access tokens");
    await options.waitFor("#privacy p", "Anyone who has this file can post to your Pages");
    try {
      const withTokens = JSON.parse(await exportFile(options));
      expect(withTokens.accounts).toEqual([expect.objectContaining({ id: PAGE.id, token: PAGE.token })]);
    } finally {
      await options.click("label.check", "Include access tokens");
    }
    expect(await options.evaluate<boolean>(tokenBox)).toBe(false);
  });

  it(`with ${SHARE_COUNT.toLocaleString("en")} shares stored, the popup shows the newest ones and pages the rest`, async () => {
    const base = Date.now() - SHARE_COUNT - 60_000;
    expect(await seedShares(options, { page: PAGE, count: SHARE_COUNT, base })).toBe(SHARE_COUNT);

    const popup = await browser.openExtensionPage("popup.html");
    await popup.waitFor(".job", "Acme Bakery");
    const newest = (i: number) => `https://www.instagram.com/p/Seed${String(i).padStart(6, "0")}/`;
    await waitFor(
      async () => (await instagramLinks(popup)).length === 10,
      "the popup shows one page of shares",
    );
    expect(await instagramLinks(popup)).toEqual(
      Array.from({ length: 10 }, (_, k) => newest(SHARE_COUNT - 1 - k)),
    );
    // The same rows, read from the store by the popup itself while its code loaded (popup-read.js):
    // what it paints while a stopped background starts.
    const readItself =
      "window.alsoshareStoredPopup.then((stored) => stored.jobs.map((job) => job.permalink))";
    expect(await popup.evaluate<string[]>(readItself)).toEqual(await instagramLinks(popup));
    // Share 9999 is cancelled (9999 % 5 = 4), 9998 failed, 9997 shared: each says so in words.
    expect((await popup.texts(".job .state")).slice(0, 3)).toEqual(["Cancelled", "Failed", "Shared"]);

    await popup.click("button", "Show more");
    await waitFor(async () => (await instagramLinks(popup)).length === 20, "Show more adds the next page");
    expect((await instagramLinks(popup))[19]).toBe(newest(SHARE_COUNT - 20));
  });
});
