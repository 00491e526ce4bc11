import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Driver } from "../support/driver";
import { linkPageByToken, openComposerAtCaption, shareWithSwitch } from "../support/flows";
import { BROWSERS, type ExtensionBrowser, startWithLinkedPage, stopAll } from "../support/harness";
import type { Standins } from "../support/standins";

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" };
const PHOTOS = /^\/v26\.0\/1001\/photos$/;
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
  async function share(what: string): Promise<{ caption: string; instagram: Driver }> {
    serial += 1;
    const caption = `${what} #${serial} (${browserName})`;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);
    return { caption, instagram };
  }

  const postsWith = (caption: string) => standins.graph.posts.filter((post) => post.message === caption);
  const photoPosts = () => standins.graph.requests.filter((r) => r.method === "POST" && PHOTOS.test(r.path));
  /** Searches of the Page for an earlier post (the reconcile), counted from the start of the file. */
  const lookups = () => standins.graph.requests.filter((r) => r.path.endsWith("/published_posts")).length;

  it("5xx twice, then OK: one post", async () => {
    standins.graph.inject({ method: "POST", path: PHOTOS, status: 503, error: { code: 2 }, times: 2 });
    const { caption, instagram } = await share("Two 5xx");
    await instagram.waitFor(STATUS, "Shared to Facebook", 60_000);
    expect(postsWith(caption)).toHaveLength(1);
  });

  it("rate limits 4, 17, 32 and 613 with usage headers: waits as told, then one post", async () => {
    const usage = JSON.stringify({ call_count: 100, total_cputime: 12, total_time: 18 });
    const buc = JSON.stringify({
      [PAGE.id]: [{ type: "pages", call_count: 100, estimated_time_to_regain_access: 0 }],
    });
    for (const code of [4, 17, 32, 613]) {
      standins.graph.inject({
        method: "POST",
        path: PHOTOS,
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
      path: PHOTOS,
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
    const photo = standins.graph.photos.find((p) => p.message === caption);
    expect(photo).toMatchObject({ via: "source" });
    expect(photo?.bytes).toBeGreaterThan(0);
  });

  it("the post is made but the answer is lost: found on the Page, not posted again", async () => {
    standins.graph.inject({ method: "POST", path: PHOTOS, cutAfterHeaders: true });
    const before = lookups();
    const { caption, instagram } = await share("Answer lost");
    await instagram.waitFor(STATUS, "Shared to Facebook", 90_000);
    expect(postsWith(caption)).toHaveLength(1);
    expect(photoPosts().filter((r) => r.params.message === caption)).toHaveLength(1);
    // This share's own search of the Page found it (earlier tests searched too).
    expect(lookups()).toBeGreaterThan(before);
  });

  it("the network is gone, then back: one post", async () => {
    // Three times, so that the browser's own silent retry of a reset connection fails too.
    standins.graph.inject({ path: /^\/v26\.0\//, networkDown: true, times: 3 });
    const before = lookups();
    const { caption, instagram } = await share("Network down");
    await instagram.waitFor(STATUS, "Shared to Facebook", 90_000);
    expect(postsWith(caption)).toHaveLength(1);
    // The outcome was unknown, so the Page was searched before the photo went again.
    expect(lookups()).toBeGreaterThan(before);
  });

  it("an answer slower than the client timeout: the late post is found, not repeated", async () => {
    // The stand-in makes the post after 17 s; the extension gives up at 15 s.
    standins.graph.inject({ method: "POST", path: PHOTOS, delayMs: 17_000 });
    const { caption, instagram } = await share("Slow answer");
    await instagram.waitFor(STATUS, "Shared to Facebook", 100_000);
    expect(postsWith(caption)).toHaveLength(1);
    expect(photoPosts().filter((r) => r.params.message === caption)).toHaveLength(1);
  });
});
