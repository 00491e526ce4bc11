import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import {
  linkPageByToken,
  openComposerAtCaption,
  SWITCH,
  shareWithSwitch,
  typeCaptionInComposer,
} from "../support/flows";
import { BROWSERS, type ExtensionBrowser, launchWithExtension } from "../support/harness";
import { type Standins, startStandins } from "../support/standins";

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" };

describe.each(BROWSERS)("first run and consent, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;
  let welcome: Driver;
  let options: Driver;

  beforeAll(async () => {
    standins = await startStandins();
    standins.graph.addPage(PAGE);
    browser = await launchWithExtension(browserName, standins, { consent: false });
  });
  afterAll(async () => {
    await browser?.close();
    await standins?.stop();
  });

  const postedWith = (caption: string) => standins.graph.posts.filter((post) => post.message === caption);

  /**
   * Instagram's composer up to the caption step, then Instagram's own Share, with auto-share for
   * photos on: were our switch there, this post would be shared.
   */
  async function publishWithoutSwitch(caption: string) {
    const instagram = await browser.newPage();
    await instagram.goto("https://www.instagram.com/");
    await typeCaptionInComposer(instagram, caption);
    // Our panel mounts as the step appears; give it more than that time to show up.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await instagram.texts(SWITCH)).toEqual([]);
    const asked = standins.instagram.infoRequests.length;
    await instagram.click("[role=dialog] [role=button]", "Share");
    await instagram.waitFor("[role=dialog] [role=heading]", " shared");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // Nothing read: no post was confirmed with Instagram, and nothing reached Facebook.
    expect(standins.instagram.infoRequests.length).toBe(asked);
    expect(postedWith(caption)).toEqual([]);
  }

  it("opens the first-run page on install, saying what is read and asking first", async () => {
    welcome = await browser.firstRunPage();
    await welcome.waitFor("h1", "Welcome to alsoshare");
    await welcome.waitFor("h2", "What alsoshare reads on instagram.com");
    await welcome.waitFor("button", "Allow and continue");
    expect(await welcome.texts("button")).toEqual(["Allow and continue", "Not now"]);
    expect(await welcome.attribute('a[href="/privacy.html"]', "href")).toBe("/privacy.html");
  });

  it("before consent: no switch in the composer, and nothing read or shared, even with auto-share on", async () => {
    options = await browser.openExtensionPage("options.html");
    await linkPageByToken(options, PAGE.token, PAGE.name);
    await options.click("#sharing label", "Photos");
    await options.waitFor('[role="status"]', "Saved");
    await publishWithoutSwitch(`Before consent (${browserName})`);
  });

  it("after “Allow and continue”: the switch is there and the post is shared", async () => {
    await welcome.click("button", "Allow and continue");
    await welcome.waitFor('[role="status"]', "You allowed it on");
    const caption = `After consent (${browserName})`;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    expect(postedWith(caption)).toHaveLength(1);
  });

  it("after withdrawing consent in the options: no switch again, nothing read or shared", async () => {
    // The options page heard of the consent given on the first-run page, without a reload.
    await options.click("#privacy button", "Withdraw consent");
    await options.waitFor("#privacy button", "Allow and continue");
    await waitFor(
      async () => (await options.texts("#privacy [role=status]")).some((text) => text.startsWith("Nothing")),
      "the withdrawal was saved",
    );
    await publishWithoutSwitch(`After withdrawal (${browserName})`);
    // The popup says why, and where to allow it again.
    const popup = await browser.openExtensionPage("popup.html");
    await popup.waitFor("#popup-consent", "alsoshare is not reading Instagram");
    await popup.waitFor("button", "Allow in the options");
  });
});
