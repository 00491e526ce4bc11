import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import { openComposerAtCaption, openNextComposerAtCaption, SWITCH, shareWithSwitch } from "../support/flows";
import { BROWSERS, type ExtensionBrowser, startWithLinkedPage, stopAll } from "../support/harness";
import type { Standins } from "../support/standins";

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" };
const HOSTILE = "https://www.instagram.com/?hostile=1";

type HostileEntry = { action: string; before?: string; after?: string };

const hostileLog = (page: Driver) => page.evaluate<HostileEntry[]>("window.__hostileLog ?? []");

/** Everything the page can read of our UI: light DOM and every open shadow root, as HTML. */
const READABLE_BY_PAGE = `(() => {
  const roots = [document];
  let html = "";
  for (let index = 0; index < roots.length; index++) {
    const root = roots[index];
    html += root === document ? document.documentElement.outerHTML : root.innerHTML;
    for (const element of root.querySelectorAll("*")) if (element.shadowRoot) roots.push(element.shadowRoot);
  }
  return html;
})()`;

/** Publishing calls since `before`: every POST but a photo's unpublished upload. */
const postsSince = (standins: Standins, before: number) =>
  standins.graph.requests
    .slice(before)
    .filter((request) => request.method === "POST" && request.params.published !== "false");

describe.each(BROWSERS)("a hostile Instagram page, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    ({ standins, browser } = await startWithLinkedPage(browserName, PAGE));
  });
  afterAll(() => stopAll({ standins, browser }));

  it("forges configure messages and clicks our switch: the switch stays off and nothing is posted", async () => {
    const caption = `Hostile page, switch untouched ${browserName}`;
    const before = standins.graph.requests.length;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption, HOSTILE);

    // The page really attacked our switch (synthetic click, keydown) before we look at it.
    await waitFor(
      async () => (await hostileLog(instagram)).some((entry) => entry.action === "click-switch"),
      "the hostile page clicked the switch",
    );
    const log = await hostileLog(instagram);
    expect(log.filter((entry) => entry.action === "forge").length).toBeGreaterThan(10);
    expect(
      log.filter((entry) => entry.action === "click-switch").every((entry) => entry.after === "false"),
    ).toBe(true);
    expect(await instagram.attribute(SWITCH, "aria-checked")).toBe("false");

    await instagram.click("[role=dialog] [role=button]", "Share");
    await instagram.waitFor("[role=dialog] [role=heading]", "Post shared");
    expect(standins.instagram.configures.at(-1)?.caption).toBe(caption);

    // A second post from the same page, switch on by a real click: the page's script hands posts
    // over in the order Instagram published them, so once this one reached the Page, a wrong share
    // of the first would have too.
    const control = `Hostile page, control post ${browserName}`;
    await openNextComposerAtCaption(instagram, control);
    expect(await instagram.texts('[role="status"]')).toEqual([]);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    expect(postsSince(standins, before).map((request) => request.params.message)).toEqual([control]);
  });

  it("with the switch on by a real click, shares the real post once and never the page's forgery", async () => {
    const caption = `Hostile page, switch on ${browserName}`;
    const before = standins.graph.requests.length;
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption, HOSTILE);
    await shareWithSwitch(instagram, true);

    await instagram.waitFor('[role="status"]', "Shared to Facebook");
    const posts = postsSince(standins, before);
    expect(posts).toHaveLength(1);
    expect(standins.graph.posts.filter((post) => post.message === caption)).toHaveLength(1);
    expect(standins.graph.posts.some((post) => /forged by the page/.test(post.message ?? ""))).toBe(false);

    // What reached the page (the status line, drawn from the background's share.update) holds no token.
    const readable = await instagram.evaluate<string>(READABLE_BY_PAGE);
    expect(readable).toContain("Shared to Facebook");
    expect(readable).not.toContain(PAGE.token);
    expect(readable).not.toMatch(/access_token|EAAG[A-Za-z0-9]{10,}/);
  });
});
