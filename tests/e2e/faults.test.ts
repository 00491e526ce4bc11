import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Driver } from "../support/driver";
import { linkPageByToken, openComposerAtCaption, shareWithSwitch } from "../support/flows";
import { BROWSERS, type ExtensionBrowser, startWithLinkedPage, stopAll } from "../support/harness";
import type { Standins } from "../support/standins";

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" };
/** A photo's upload (unpublished, invisible), then the feed post that publishes it. */
const PHOTOS = /^\/v26\.0\/1001\/photos$/;
const PUBLISH = /^\/v26\.0\/1001\/feed$/;
const STATUS = '[role="status"]';

/**
 * Facebook misbehaves in every way the Graph stand-in can fake; each share must end with the right
 * number of posts on the Page (never two) and a status line that says what happened.
 */
describe.each(BROWSERS)("Graph faults, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;
  let serial = 0;

  beforeAll(async () => {
    ({ standins, browser } = await startWithLinkedPage(browserName, PAGE));
  });
  afterAll(() => stopAll({ standins, browser }));
  beforeEach(() => {
    standins.graph.clearFaults();
  });

  /** Shares a fresh post through Instagram's composer with the switch on; answers its caption. */
  async function share(what: string, kind = "photo"): Promise<{ caption: string; instagram: Driver }> {
    serial += 1;
    const caption = `${what} #${serial} (${browserName})`;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption, `https://www.instagram.com/?kind=${kind}`);
    await shareWithSwitch(instagram, true);
    return { caption, instagram };
  }

  const postsWith = (caption: string) => standins.graph.posts.filter((post) => post.message === caption);
  /** The calls that publish a photo post. */
  const photoPosts = () => standins.graph.requests.filter((r) => r.method === "POST" && PUBLISH.test(r.path));
  /** Searches of the Page for an earlier post (the reconcile), counted from the start of the file. */
  const lookups = () => standins.graph.requests.filter((r) => r.path.endsWith("/published_posts")).length;

  it("a 5xx after Facebook made the post, listed only later: found on a later look, never posted twice", async () => {
    // Facebook lists the new post 30 s late; the first look comes seconds after the 5xx.
    standins.graph.listingDelayMs = 30_000;
    try {
      standins.graph.inject({
        method: "POST",
        path: PUBLISH,
        status: 503,
        error: { code: 2 },
        afterCommit: true,
      });
      const before = lookups();
      const { caption, instagram } = await share("5xx after the post");
      await instagram.waitFor(STATUS, "Shared to Facebook", 150_000);
      expect(postsWith(caption)).toHaveLength(1);
      expect(photoPosts().filter((r) => r.params.message === caption)).toHaveLength(1);
      // A look that came too early found nothing, and nothing was sent again: a later look found it.
      expect(lookups() - before).toBeGreaterThanOrEqual(2);
    } finally {
      standins.graph.listingDelayMs = 0;
    }
  });

  it("a reel reaches the Page through Facebook's Reels route, by URL, and is Shared only once Facebook has published it", async () => {
    standins.graph.reelProcessingMs = 8_000;
    try {
      const { caption, instagram } = await share("A reel", "reel");
      await instagram.waitFor(STATUS, "Shared to Facebook", 120_000);
      const reel = standins.graph.reels.find((item) => item.description === caption);
      expect(reel?.file).toMatchObject({ via: "url" });
      expect(reel?.file?.url).toMatch(/^https:\/\/scontent\.cdninstagram\.com\//);
      // Shared only after Facebook's processing: the reel's post exists, and it is the only one.
      expect(
        standins.graph.posts.filter((post) => post.message === caption).map((post) => post.kind),
      ).toEqual(["reel"]);
      expect(
        standins.graph.requests.some((r) => r.path.endsWith("/1001/videos") && r.method === "POST"),
      ).toBe(false);
      const status = standins.graph.requests.filter(
        (r) => r.method === "GET" && r.path === `/v26.0/${reel?.id}`,
      );
      expect(status.length).toBeGreaterThan(0);
    } finally {
      standins.graph.reelProcessingMs = 0;
    }
  });

  it("rate limits 4, 17, 32 and 613 with usage headers: waits as told, then one post", async () => {
    const usage = JSON.stringify({ call_count: 100, total_cputime: 12, total_time: 18 });
    const buc = JSON.stringify({
      [PAGE.id]: [{ type: "pages", call_count: 100, estimated_time_to_regain_access: 0 }],
    });
    for (const code of [4, 17, 32, 613]) {
      standins.graph.inject({
        method: "POST",
        path: PUBLISH,
        error: { code },
        headers: { "retry-after": "1", "x-app-usage": usage, "x-business-use-case-usage": buc },
      });
    }
    const before = photoPosts().length;
    const { caption, instagram } = await share("Rate limited");
    await instagram.waitFor(STATUS, "Shared to Facebook", 60_000);
    expect(postsWith(caption)).toHaveLength(1);
    const attempts = photoPosts().slice(before);
    expect(attempts).toHaveLength(5);
    // Each retry waited at least the second Facebook asked for.
    for (let i = 1; i < attempts.length; i++) {
      expect((attempts[i]?.time ?? 0) - (attempts[i - 1]?.time ?? 0)).toBeGreaterThanOrEqual(950);
    }
  });

  it("100 invalid parameter: no post, Failed with Facebook's own words", async () => {
    standins.graph.inject({
      method: "POST",
      path: PUBLISH,
      error: { code: 100, userMsg: "The photo could not be used." },
    });
    const { caption, instagram } = await share("Invalid");
    await instagram.waitFor(STATUS, "Facebook refused this post: The photo could not be used.", 60_000);
    expect(postsWith(caption)).toHaveLength(0);
    expect((await instagram.texts(`${STATUS} button`)).join(" ")).toContain("Retry");
  });

  it("190 expired token: waits in Needs sign-in, and re-linking the Page shares it once", async () => {
    standins.graph.inject({ method: "POST", path: PHOTOS, error: { code: 190, subcode: 463 } });
    const { caption, instagram } = await share("Expired token");
    await instagram.waitFor(STATUS, "Needs sign-in", 60_000);
    expect(postsWith(caption)).toHaveLength(0);

    const options = await browser.openExtensionPage("options.html");
    await linkPageByToken(options, PAGE.token, PAGE.name);
    await instagram.waitFor(STATUS, "Shared to Facebook", 60_000);
    expect(postsWith(caption)).toHaveLength(1);
  });

  it("Facebook cannot fetch the CDN URL (324): the bytes are uploaded instead, one post", async () => {
    standins.graph.inject({ method: "POST", path: PHOTOS, error: { code: 324 } });
    const { caption, instagram } = await share("Unreachable media");
    await instagram.waitFor(STATUS, "Shared to Facebook", 60_000);
    expect(postsWith(caption)).toHaveLength(1);
    // The post's photo is the one uploaded as bytes.
    const photo = standins.graph.photos.find((p) => p.id === postsWith(caption)[0]?.mediaIds[0]);
    expect(photo).toMatchObject({ via: "source" });
    expect(photo?.bytes).toBeGreaterThan(0);
  });

  it("the post is made but the answer is lost: found on the Page, not posted again", async () => {
    standins.graph.inject({ method: "POST", path: PUBLISH, cutAfterHeaders: true });
    const before = lookups();
    const { caption, instagram } = await share("Answer lost");
    await instagram.waitFor(STATUS, "Shared to Facebook", 90_000);
    expect(postsWith(caption)).toHaveLength(1);
    expect(photoPosts().filter((r) => r.params.message === caption)).toHaveLength(1);
    // This share's own search of the Page found it (earlier tests searched too).
    expect(lookups()).toBeGreaterThan(before);
  });

  it("the network goes as the answer comes, and stays gone for the next looks: found once it is back, one post", async () => {
    standins.graph.inject({ method: "POST", path: PUBLISH, cutAfterHeaders: true });
    // Three times, so that the browser's own silent retry of a reset connection fails too.
    standins.graph.inject({ method: "GET", path: /\/published_posts$/, networkDown: true, times: 3 });
    const before = lookups();
    const { caption, instagram } = await share("Network down");
    await instagram.waitFor(STATUS, "Shared to Facebook", 120_000);
    expect(postsWith(caption)).toHaveLength(1);
    expect(photoPosts().filter((r) => r.params.message === caption)).toHaveLength(1);
    // Searches that hit no network were tried again, never taken for "not there".
    expect(lookups() - before).toBeGreaterThanOrEqual(2);
  });

  it("an answer slower than the client timeout: the late post is found, not repeated", async () => {
    // The stand-in makes the post after 17 s; the extension gives up at 15 s.
    standins.graph.inject({ method: "POST", path: PUBLISH, delayMs: 17_000 });
    const { caption, instagram } = await share("Slow answer");
    await instagram.waitFor(STATUS, "Shared to Facebook", 100_000);
    expect(postsWith(caption)).toHaveLength(1);
    expect(photoPosts().filter((r) => r.params.message === caption)).toHaveLength(1);
  });
});
