import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shortcodeFromPk } from "../../lib/instagram/shortcode";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import { askBackground, linkPageByToken, openComposerAtCaption, shareWithSwitch } from "../support/flows";
import { BROWSERS, type ExtensionBrowser, launchWithExtension, stopAll } from "../support/harness";
import { type Standins, startStandins } from "../support/standins";

/*
 * Posts made earlier on Instagram (on the phone: only Instagram's API knows them), listed in the
 * options page (and the newest few in the popup) from the API and shared from there to a chosen Page, once.
 */

const BAKERY = { id: "1001", name: "Acme Bakery", token: "EAAGpagepastposts0123456789abc" };
const CAFE = { id: "1002", name: "Acme Café", token: "EAAGcafepastposts0123456789abc" };
/** A Page whose token was granted without instagram_basic. */
const DELI = { id: "1003", name: "Acme Deli", token: "EAAGdelipastposts0123456789abc" };
const IG_USER = "17841400000000001";
/** More than the options list shows at first (12), so "Show older posts" has some to show. */
const POSTS = 15;
/** How many newest posts the options list shows at first, and how many the popup shows. */
const OPTIONS_POSTS = 12;
const POPUP_POSTS = 3;
/** The newest post: the one shared below. */
const PHONE_PK = "3141592653589793238";
const PHONE_CAPTION = "Rye from the phone #bakery";

describe.each(BROWSERS)("sharing a past Instagram post, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;
  let options: Driver;
  let igMediaId: string;
  /** The newest of the older posts: shared from the popup, and by nothing before. */
  let olderId: string;
  const post = () => `#instagram-posts .past-post[data-ig-media-id="${igMediaId}"]`;
  const bakeryPosts = () => standins.graph.posts.filter((item) => item.pageId === BAKERY.id);

  beforeAll(async () => {
    standins = await startStandins();
    standins.graph.addPage(BAKERY);
    standins.graph.addPage(CAFE);
    standins.graph.addPage({
      ...DELI,
      scopes: ["pages_show_list", "pages_manage_posts", "pages_read_engagement"],
    });
    standins.graph.addInstagramAccount({ id: IG_USER, username: "acme.bakery", pageId: BAKERY.id });
    // Fewer posts per answer than the list shows: the extension follows Graph's cursor.
    standins.graph.instagramPageSize = 5;
    for (let index = POSTS - 1; index >= 1; index--) {
      const added = standins.graph.addInstagramMedia(IG_USER, {
        pk: String(BigInt(PHONE_PK) - BigInt(index)),
        type: index % 3 === 0 ? "CAROUSEL_ALBUM" : "IMAGE",
        caption: `Older post ${index}`,
      });
      if (index === 1) olderId = added.id;
    }
    igMediaId = standins.graph.addInstagramMedia(IG_USER, {
      pk: PHONE_PK,
      type: "IMAGE",
      caption: PHONE_CAPTION,
    }).id;
    browser = await launchWithExtension(browserName, standins);
    options = await browser.openExtensionPage("options.html");
    for (const page of [BAKERY, CAFE, DELI]) await linkPageByToken(options, page.token, page.name);
  });
  afterAll(() => stopAll({ standins, browser }));

  it("shows which Instagram account each Page is linked to, none, or a missing permission", async () => {
    await options.waitFor(`.accounts [data-account-id="${BAKERY.id}"]`, "Instagram: @acme.bakery");
    await options.waitFor(`.accounts [data-account-id="${CAFE.id}"]`, "No Instagram account linked");
    await options.waitFor(
      `.accounts [data-account-id="${DELI.id}"]`,
      "Instagram: permission not granted (instagram_basic)",
    );
  });

  it("lists the account's newest posts, across Graph's pages, with the API's own picture", async () => {
    await options.waitFor(post(), PHONE_CAPTION);
    await waitFor(
      async () => (await options.texts("#instagram-posts .past-post")).length === OPTIONS_POSTS,
      "the newest posts listed",
    );
    expect(await options.attribute(`${post()} img`, "src")).toBe(
      `https://scontent.cdninstagram.com/v/t51.29350-15/${PHONE_PK}_n.jpg`,
    );
    expect(await options.attribute(`${post()} a`, "href")).toBe(
      `https://www.instagram.com/p/${shortcodeFromPk(PHONE_PK)}/`,
    );
  });

  it("shares a post made on the phone to the chosen Page once, with the Facebook text chosen", async () => {
    await options.click(`${post()} button`, "Share to Facebook");
    await options.waitFor(`${post()} form.share-past textarea`);
    // Only the Bakery: the two other Pages are unticked.
    await options.click(`${post()} form label.check`, CAFE.name);
    await options.click(`${post()} form label.check`, DELI.name);
    await options.click(`${post()} form button`, "Share");
    await options.waitFor(`${post()} .past-share .state`, "Shared", 60_000);
    expect(bakeryPosts()).toEqual([expect.objectContaining({ kind: "photo", message: PHONE_CAPTION })]);
    expect(standins.graph.posts.filter((item) => item.pageId !== BAKERY.id)).toEqual([]);
    // Facebook fetched the file from Instagram's CDN itself: the URL the API gave.
    expect(standins.graph.mediaFetches).toEqual([
      expect.objectContaining({
        url: `https://scontent.cdninstagram.com/v/t51.29350-15/${PHONE_PK}_n.jpg`,
        found: true,
      }),
    ]);
  });

  it("shows it as shared, with its Facebook link, and sharing it again sends nothing", async () => {
    const fresh = await browser.openExtensionPage("options.html");
    await fresh.waitFor(`${post()} .past-share`, BAKERY.name);
    await fresh.waitFor(`${post()} .past-share .state`, "Shared");
    expect(await fresh.attribute(`${post()} .past-share a`, "href")).toMatch(
      /^https:\/\/www\.facebook\.com\//,
    );
    // The choice offers only the Pages this post has not gone to.
    await fresh.click(`${post()} button`, "Share to Facebook");
    await fresh.waitFor(`${post()} form.share-past`);
    expect(await fresh.texts(`${post()} form label.check`)).toEqual([CAFE.name, DELI.name]);

    const requestsBefore = standins.graph.requests.filter((request) => request.method === "POST").length;
    const jobs = await askBackground<{ id: string; state: string }[]>(fresh, "instagram.sharePast", {
      instagramId: IG_USER,
      igMediaId,
      pageIds: [BAKERY.id],
      message: "Again",
    });
    expect(jobs).toEqual([expect.objectContaining({ id: `${PHONE_PK}:${BAKERY.id}`, state: "shared" })]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(standins.graph.requests.filter((request) => request.method === "POST")).toHaveLength(
      requestsBefore,
    );
    expect(bakeryPosts()).toHaveLength(1);
  });
  it("shows older posts beyond the first ones, down to the account's oldest", async () => {
    expect(await options.texts("#instagram-posts .past-post")).toHaveLength(OPTIONS_POSTS);
    await options.click("#instagram-posts button.more", "Show older posts");
    await options.waitFor("#instagram-posts .past-post", `Older post ${POSTS - 1}`);
    expect(await options.texts("#instagram-posts .past-post")).toHaveLength(POSTS);
    // Instagram has none older: nothing more to ask for.
    expect(await options.texts("#instagram-posts button.more")).toEqual([]);
  });

  it("the popup lists the newest posts, the phone post as shared, and shares another to the chosen Page once", async () => {
    const popup = await browser.openExtensionPage("popup.html");
    const older = `.popup .past-post[data-ig-media-id="${olderId}"]`;
    const phone = `.popup .past-post[data-ig-media-id="${igMediaId}"]`;
    await popup.click("#popup-instagram button", "Recent Instagram posts");
    await popup.waitFor(phone, PHONE_CAPTION);
    await popup.waitFor(`${phone} .past-share .state`, "Shared");
    expect(await popup.attribute(`${phone} .past-share a`, "href")).toMatch(
      /^https:\/\/www\.facebook\.com\//,
    );
    expect(await popup.texts(".popup .past-post")).toHaveLength(POPUP_POSTS);

    await popup.click(`${older} button`, "Share to Facebook");
    await popup.waitFor(`${older} form.share-past textarea`);
    // Only the Café: the two other Pages are unticked.
    await popup.click(`${older} form label.check`, BAKERY.name);
    await popup.click(`${older} form label.check`, DELI.name);
    await popup.click(`${older} form button`, "Share");
    await popup.waitFor(`${older} .past-share .state`, "Shared", 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(standins.graph.posts.filter((item) => item.message === "Older post 1")).toEqual([
      expect.objectContaining({ pageId: CAFE.id, kind: "photo" }),
    ]);
  });

  it("with posts made anywhere on: each new phone post reaches the Page once, the backlog and a post shared otherwise never", async () => {
    const lookedAt = async () =>
      (await askBackground<{ newPosts?: { lastCheckedAt?: number } }>(options, "popup.state", { limit: 1 }))
        .newPosts?.lastCheckedAt;
    // A page of its own in front: Firefox slows the timers of the tabs behind (the popup's, the others').
    options = await browser.openExtensionPage("options.html");
    // Photos on: the first look only records where Instagram's list stands.
    await options.click("fieldset.new-posts label.check", "Photos");
    await waitFor(async () => (await lookedAt()) !== undefined, "the first look");
    const postsBefore = standins.graph.posts.length;

    const fresh = { pk: String(BigInt(PHONE_PK) + 10n), caption: "Baguettes from the phone #bakery" };
    standins.graph.addInstagramMedia(IG_USER, { pk: fresh.pk, type: "IMAGE", caption: fresh.caption });
    // One more, shared from the list to the Café before the watch sees it: it is that share's alone.
    const listed = { pk: String(BigInt(PHONE_PK) + 11n), caption: "Shared from the list #bakery" };
    const listedId = standins.graph.addInstagramMedia(IG_USER, {
      pk: listed.pk,
      type: "IMAGE",
      caption: listed.caption,
    }).id;
    await askBackground(options, "instagram.sharePast", {
      instagramId: IG_USER,
      igMediaId: listedId,
      pageIds: [CAFE.id],
      message: listed.caption,
    });

    await options.click("fieldset.new-posts button", "Look now");
    await waitFor(
      async () => bakeryPosts().some((item) => item.message === fresh.caption),
      "the new phone post reached the Bakery",
      60_000,
    );
    await options.click("fieldset.new-posts button", "Look now");
    await options.waitFor("fieldset.new-posts [role=status]", "Looked for new Instagram posts");
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(bakeryPosts().filter((item) => item.message === fresh.caption)).toHaveLength(1);
    expect(bakeryPosts().filter((item) => item.message === listed.caption)).toEqual([]);
    // The phone post and the Café's share: nothing from before the first look.
    expect(
      standins.graph.posts
        .slice(postsBefore)
        .map((item) => [item.pageId, item.message])
        .sort(),
    ).toEqual(
      [
        [BAKERY.id, fresh.caption],
        [CAFE.id, listed.caption],
      ].sort(),
    );
    const popup = await browser.openExtensionPage("popup.html");
    await popup.waitFor("#popup-new-posts", "Looked for new Instagram posts");
  });
  it("a post shared from the composer is not shared again when Instagram's API lists it", async () => {
    const caption = `From the composer ${browserName} #bakery`;
    // The composer proposes the Café alone (the last choice): the watch would pick the Bakery.
    await askBackground(options, "settings.update", { patch: { lastTargets: [CAFE.id] } });
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    expect(
      standins.graph.posts.filter((item) => item.message === caption).map((item) => item.pageId),
    ).toEqual([CAFE.id]);
    const postsBefore = standins.graph.posts.length;

    // The same post, as Instagram's API lists it at the next look (made on the web, listed like any).
    const published = standins.instagram.posts.at(-1)?.response as { media: { pk: string | number } };
    standins.graph.addInstagramMedia(IG_USER, { pk: String(published.media.pk), type: "IMAGE", caption });
    options = await browser.openExtensionPage("options.html");
    await options.click("fieldset.new-posts button", "Look now");
    await options.waitFor("fieldset.new-posts [role=status]", "Looked for new Instagram posts");
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    // The user chose the Café for this post: the watch does not add the Bakery.
    expect(standins.graph.posts.slice(postsBefore)).toEqual([]);
  });
});
