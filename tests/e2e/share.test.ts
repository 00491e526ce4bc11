import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import { openComposerAtCaption, shareWithSwitch } from "../support/flows";
import { BROWSERS, type ExtensionBrowser, startWithLinkedPage, stopAll } from "../support/harness";
import type { Standins } from "../support/standins";

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" };

describe.each(BROWSERS)("sharing a photo to a Page, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    ({ standins, browser } = await startWithLinkedPage(browserName, PAGE));
  });
  afterAll(() => stopAll({ standins, browser }));
  beforeEach(() => {
    standins.graph.clearFaults();
  });

  it("links the Page after checking the token with Facebook", () => {
    expect(standins.graph.requests.filter((request) => request.path === "/v26.0/me")).toHaveLength(1);
  });

  it("switch on: Instagram's post reaches the Page exactly once, with its caption and CDN URL", async () => {
    const caption = `Fresh sourdough today 🍞 ${browserName}\nSee you at 7!`;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);

    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    const posts = standins.graph.posts.filter((post) => post.message === caption);
    expect(posts).toHaveLength(1);
    const published = standins.instagram.posts.at(-1)?.response as {
      media: { image_versions2: { candidates: { url: string }[] } };
    };
    expect(posts[0]).toMatchObject({
      pageId: PAGE.id,
      url: published.media.image_versions2.candidates[0]?.url,
    });
    expect(await instagram.attribute('[role="status"] a', "href")).toBe(
      `https://www.facebook.com/${posts[0]?.id}`,
    );
  });

  it("switch off: the post stays on Instagram only", async () => {
    const caption = `Only on Instagram ${browserName}`;
    const before = standins.graph.requests.length;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, false);

    // Instagram's own share went through; give ours every chance to (wrongly) post.
    expect(standins.instagram.configures.at(-1)?.caption).toBe(caption);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(standins.graph.requests.slice(before).filter((request) => request.method === "POST")).toHaveLength(
      0,
    );
    expect(await instagram.texts('[role="status"]')).toEqual([]);
  });

  it("shows the share in the popup as Shared", async () => {
    const popup = await browser.openExtensionPage("popup.html");
    await popup.waitFor(".job", "Shared");
    await waitFor(async () => (await popup.texts(".job")).length >= 1, "popup lists the share");
  });
});
