import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import { BROWSERS, type ExtensionBrowser, startWithLinkedPage, stopAll } from "../support/harness";
import { FOREIGN_POST, OLD_OWN_POST } from "../support/instagram-standin";
import type { Standins } from "../support/standins";

/*
 * "Share to Facebook" on the user's own post pages (`/p/<code>/`): offered only on a post Instagram
 * confirms is theirs, shared once with Instagram's own caption, and shown as shared afterwards.
 */

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagepostpage0123456789abcd" };
const OWN_URL = `https://www.instagram.com/p/${OLD_OWN_POST.code}/`;
/** Our buttons live in a shadow root: the driver looks into it, a descendant selector would not. */
const BUTTON = "button.pill";
/** Instagram's caption of the seeded post; the page shows another one, which must not be used. */
const INSTAGRAM_CAPTION = "An old post";

describe.each(BROWSERS)("the inline button on a post page, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;
  const pagePosts = () => standins.graph.posts.filter((post) => post.pageId === PAGE.id);
  const askedInstagram = (pk: string) =>
    waitFor(
      () => standins.instagram.infoRequests.some((request) => request.pk === pk && request.status === 200),
      `media/info asked about ${pk}`,
    );

  beforeAll(async () => {
    ({ standins, browser } = await startWithLinkedPage(browserName, PAGE));
  });
  afterAll(() => stopAll({ standins, browser }));

  it("appears on the user's own post opened from the feed, without a reload", async () => {
    const instagram = await browser.newPage();
    await instagram.goto("https://www.instagram.com/");
    await instagram.click(`a[href="/p/${OLD_OWN_POST.code}/"]`);
    await instagram.waitFor(BUTTON, "Share to Facebook");
    expect(await instagram.evaluate<string>("location.pathname")).toBe(`/p/${OLD_OWN_POST.code}/`);
  });

  it("does not appear on another account's post, and nothing is shared", async () => {
    const instagram = await browser.newPage();
    await instagram.goto(`https://www.instagram.com/p/${FOREIGN_POST.code}/`);
    await askedInstagram(FOREIGN_POST.pk);
    // Instagram said whose it is; give the answer time to reach the page's button, were it to come.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await instagram.texts(BUTTON)).toEqual([]);
    expect(standins.graph.posts).toEqual([]);
  });

  it("shares the user's own post to the chosen Page once, with Instagram's caption", async () => {
    const instagram = await browser.newPage();
    await instagram.goto(OWN_URL);
    await instagram.click(BUTTON, "Share to Facebook");
    await instagram.waitFor("textarea");
    await instagram.click(BUTTON, "Share");
    await instagram.waitFor('[role="status"]', "Shared to Facebook", 60_000);
    const posts = pagePosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.message).toContain(INSTAGRAM_CAPTION);
    expect(posts[0]?.message).not.toContain("as the page shows it");
    expect(await instagram.attribute('[role="status"] a', "href")).toBe(
      `https://www.facebook.com/${posts[0]?.id}`,
    );
  });

  it("shows a shared post as shared on a second visit, with no second offer or post", async () => {
    const instagram = await browser.newPage();
    await instagram.goto(OWN_URL);
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    expect(await instagram.texts(BUTTON)).toEqual([]);
    expect(pagePosts()).toHaveLength(1);
  });
});
