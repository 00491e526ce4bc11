import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import {
  askBackground,
  openComposerAtCaption,
  openNextComposerAtCaption,
  SWITCH,
  shareWithSwitch,
} from "../support/flows";
import { BROWSERS, type ExtensionBrowser, startWithLinkedPage, stopAll } from "../support/harness";
import type { Standins } from "../support/standins";

const PANEL = `document.querySelector("alsoshare-panel").shadowRoot`;
const PANEL_TEXT = `${PANEL}.querySelector("textarea").value`;
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
  describe("with the hashtags moved to the first comment", () => {
    let options: Driver;
    beforeAll(async () => {
      // Chosen on the options page, where the preview shows the comment before anything is shared.
      options = await browser.openExtensionPage("options.html");
      await options.waitFor("#caption-hashtags");
      await options.evaluate(
        `(() => { const select = document.querySelector("#caption-hashtags"); select.value = "comment"; select.dispatchEvent(new Event("change", { bubbles: true })); return true; })()`,
      );
      await options.waitFor(
        "#caption-comment",
        "#sourdough #bakery #breadlover #goldenhour #baking #morning",
      );
    });
    afterAll(() => askBackground(options, "settings.update", { patch: { caption: { hashtags: "keep" } } }));

    const commentsOn = (postId: string | undefined) =>
      standins.graph.comments.filter((comment) => comment.postId === postId);

    it("the post goes without its hashtags, and one comment holds them", async () => {
      const instagram = await browser.newPage();
      await openComposerAtCaption(instagram, `Rye today ${browserName} #rye #bread`);
      await instagram.click(SWITCH);
      // The panel shows the text without the hashtags, and the comment that will hold them.
      await instagram.waitFor(".hint", "First comment: #rye #bread");
      expect(await instagram.evaluate<string>(PANEL_TEXT)).toBe(`Rye today ${browserName}`);
      await shareWithSwitch(instagram, true);
      await instagram.waitFor('[role="status"]', "Shared to Facebook");

      const posts = standins.graph.posts.filter((post) => post.message === `Rye today ${browserName}`);
      expect(posts).toHaveLength(1);
      expect(commentsOn(posts[0]?.id)).toEqual([
        expect.objectContaining({ fromId: PAGE.id, message: "#rye #bread" }),
      ]);
    });

    it("the comment is made but its answer is lost: it is found on the post, never made twice", async () => {
      standins.graph.inject({ method: "POST", path: /\/comments$/, cutAfterHeaders: true });
      const instagram = await browser.newPage();
      await openComposerAtCaption(instagram, `Spelt today ${browserName} #spelt`);
      await shareWithSwitch(instagram, true);
      await instagram.waitFor('[role="status"]', "Shared to Facebook", 90_000);

      const posts = standins.graph.posts.filter((post) => post.message === `Spelt today ${browserName}`);
      expect(posts).toHaveLength(1);
      expect(commentsOn(posts[0]?.id).map((comment) => comment.message)).toEqual(["#spelt"]);
      // It was looked for on the post, not sent again.
      const commentCalls = standins.graph.requests.filter((request) =>
        request.path.endsWith(`/${posts[0]?.id}/comments`),
      );
      expect(commentCalls.map((request) => request.method)).toEqual(["POST", "GET"]);
    });
  });
  it("a share for later: Facebook holds it for the chosen time, the page and popup say when, and Cancel deletes it there", async () => {
    const caption = `Tomorrow's rye ${browserName}`;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await instagram.click(SWITCH);
    // "At a time…", chosen with the keyboard as a user would; the picker proposes the next quarter hour after an hour.
    await instagram.evaluate(`${PANEL}.querySelector("select").focus()`);
    await instagram.press("ArrowDown");
    await instagram.waitFor('input[type="datetime-local"]');
    const chosen = await instagram.evaluate<number>(
      `new Date(${PANEL}.querySelector('input[type="datetime-local"]').value).getTime()`,
    );
    expect(chosen).toBeGreaterThan(Date.now() + 59 * 60_000);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Scheduled on Facebook for");

    const [post] = standins.graph.posts.filter((p) => p.message === caption);
    expect(post?.scheduledFor).toBe(Math.floor(chosen / 1000));
    const requestsBefore = standins.graph.requests.length;

    const popup = await browser.openExtensionPage("popup.html");
    const row = `[...document.querySelectorAll(".job")].find((row) => row.querySelector('a[href="https://www.facebook.com/${post?.id}"]'))`;
    await waitFor(
      async () =>
        (await popup.evaluate<string | null>(`${row}?.querySelector(".state")?.textContent ?? null`)) ===
        "Scheduled",
      "the popup shows the share as scheduled",
    );
    await popup.evaluate(`${row}.querySelector("button").focus()`);
    await popup.press("Enter");
    await waitFor(
      async () => standins.graph.posts.every((p) => p.message !== caption),
      "the scheduled post was deleted on Facebook",
    );
    expect(standins.graph.requests.slice(requestsBefore).map((r) => r.method)).toContain("DELETE");
    await popup.waitFor(".job .state", "Cancelled");
  });
});
