import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import { openComposerAtCaption, openNextComposerAtCaption, shareWithSwitch } from "../support/flows";
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
    standins.instagram.clearFaults();
    standins.instagram.infoLagMs = 0;
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
    expect(standins.instagram.configures.at(-1)?.caption).toBe(caption);

    // A second post from the same page, switch on: the page's script hands posts over in the order
    // Instagram published them, so once this one reached the Page, the first had its chance too.
    const control = `Control post after the private one ${browserName}`;
    await openNextComposerAtCaption(instagram, control);
    expect(await instagram.texts('[role="status"]')).toEqual([]);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    // Publishing calls: every POST but a photo's unpublished upload.
    const posts = standins.graph.requests
      .slice(before)
      .filter((request) => request.method === "POST" && request.params.published !== "false");
    expect(posts.map((request) => request.params.message)).toEqual([control]);
  });

  it("lists the share in the popup as Shared, with its Facebook post", async () => {
    const caption = `Listed in the popup ${browserName}`;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    const [post] = standins.graph.posts.filter((p) => p.message === caption);
    if (!post) throw new Error(`no Facebook post for "${caption}"`);

    const popup = await browser.openExtensionPage("popup.html");
    const stateOfRow = `[...document.querySelectorAll(".job")].find((row) =>
      row.querySelector('a[href="https://www.facebook.com/${post.id}"]'))?.querySelector(".state")?.textContent ?? null`;
    await waitFor(
      async () => (await popup.evaluate<string | null>(stateOfRow)) !== null,
      "the popup lists the share",
    );
    expect(await popup.evaluate<string | null>(stateOfRow)).toBe("Shared");
  });

  it("a post Instagram makes readable only seconds later is confirmed and shared once", async () => {
    standins.instagram.infoLagMs = 2_500;
    const caption = `Readable late ${browserName}`;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    expect(standins.graph.posts.filter((post) => post.message === caption)).toHaveLength(1);
    // It was looked for while Instagram still said it did not know it.
    expect(standins.instagram.infoRequests.some((request) => request.status === 400)).toBe(true);
  });

  it("Instagram cannot be asked about the post: the page says so, and Retry shares it once it answers", async () => {
    const caption = `Confirmed on the second try ${browserName}`;
    standins.instagram.inject({ path: /\/info\/$/, status: 503, body: { status: "fail" }, times: 100 });
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Instagram did not answer when alsoshare checked this post");
    expect(standins.graph.posts.filter((post) => post.message === caption)).toHaveLength(0);
    standins.instagram.clearFaults();
    await instagram.click('[role="status"] button', "Retry");
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    expect(standins.graph.posts.filter((post) => post.message === caption)).toHaveLength(1);
  });

  it("Instagram publishes where alsoshare cannot see it: the page says the post was not shared", async () => {
    const before = standins.graph.posts.length;
    const instagram = await browser.newPage();
    await openComposerAtCaption(
      instagram,
      `Published out of sight ${browserName}`,
      "https://www.instagram.com/?publish=moved",
    );
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "alsoshare did not see Instagram publish this post");
    expect(standins.instagram.posts.at(-1)?.caption).toBe(`Published out of sight ${browserName}`);
    expect(standins.graph.posts).toHaveLength(before);
  });
});
