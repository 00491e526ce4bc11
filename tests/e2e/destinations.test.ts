import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import { openComposerAtCaption, shareWithSwitch } from "../support/flows";
import { BROWSERS, type ExtensionBrowser, startWithLinkedPage, stopAll } from "../support/harness";
import type { Standins } from "../support/standins";
import { STANDIN_THREADS_APP } from "../support/threads-standin";
import { STANDIN_TUMBLR_APP } from "../support/tumblr-standin";

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" };
const BLUESKY = {
  did: "did:plc:acmebakery234567abcdefgh",
  handle: "acme.bsky.social",
  appPassword: "abcd-efgh-ijkl-mnop",
};
const THREADS_USER = "17841400123456789";
const TUMBLR_USER = "acmebaker";
/** The servers our options page asks the browser for when each account is linked. */
const SERVER_HOSTS = [
  "https://bsky.social/*",
  "https://*.bsky.network/*",
  "https://mastodon.example/*",
  "https://graph.threads.net/*",
  "https://api.tumblr.com/*",
];
const EVERYWHERE = "Shared to Facebook, Bluesky, Mastodon, Threads, and Tumblr";
const LONG = "Our sourdough takes two days: ".concat("flour, water, salt and time. ".repeat(14));

const graphemes = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].length;

describe.each(BROWSERS)(
  "sharing to Threads, Bluesky, Mastodon and Tumblr beside Facebook, in %s",
  (browserName) => {
    let standins: Standins;
    let browser: ExtensionBrowser;
    let options: Driver;

    const counts = (caption: string) => ({
      facebook: standins.graph.posts.filter((post) => post.message?.startsWith(caption.slice(0, 40))).length,
      threads: standins.threads.posts().filter((post) => post.text.startsWith(caption.slice(0, 40))).length,
      bluesky: standins.bluesky
        .posts()
        .filter((post) => String(post.record.text).startsWith(caption.slice(0, 40))).length,
      mastodon: standins.mastodon.statuses().filter((status) => status.text.startsWith(caption.slice(0, 40)))
        .length,
      tumblr: standins.tumblr
        .posts()
        .filter(
          (post) =>
            post.state === "published" &&
            post.content.some((block) =>
              String((block as { text?: string }).text).startsWith(caption.slice(0, 40)),
            ),
        ).length,
    });

    beforeAll(async () => {
      ({ standins, browser, options } = await startWithLinkedPage(browserName, PAGE));
      standins.threads.addUser({ id: THREADS_USER, username: "acme.bakery", name: "Acme Bakery" });
      standins.threads.authorize = { mode: "allow" };
      standins.bluesky.addAccount({ ...BLUESKY, displayName: "Acme Bakery" });
      standins.mastodon.addAccount({ username: "acme", displayName: "Acme Bakery" });
      standins.mastodon.settings.authorizeMode = "approve";
      standins.tumblr.addUser({
        name: TUMBLR_USER,
        blogs: [
          { name: "acme-crumbs", title: "Acme's crumbs" },
          { name: "acme-bakery", title: "Acme Bakery", primary: true },
        ],
      });
      standins.tumblr.authorize = { mode: "allow" };
      await browser.allowHosts(SERVER_HOSTS);
    });
    afterAll(() => stopAll({ standins, browser }));

    it("links an account on each service from the options page, each with its service named", async () => {
      await options.type('[name="bluesky-identifier"]', BLUESKY.handle);
      await options.type('[name="bluesky-app-password"]', BLUESKY.appPassword);
      await options.click("button", "Link Bluesky");
      await options.waitFor(".accounts li", "@acme.bsky.social on Bluesky");

      await options.type('[name="mastodon-server"]', "mastodon.example");
      await options.click("button", "Connect Mastodon");
      await options.waitFor(".accounts li", "@acme@mastodon.example on Mastodon");

      await options.type('[name="threads-app-id"]', STANDIN_THREADS_APP.id);
      await options.type('[name="threads-app-secret"]', STANDIN_THREADS_APP.secret);
      await options.click("button", "Save Threads app");
      await options.waitFor('[role="status"]', "Threads app saved");
      await options.click("button", "Connect Threads");
      await options.waitFor(".accounts li", "@acme.bakery on Threads");

      await options.type('[name="tumblr-app-id"]', STANDIN_TUMBLR_APP.key);
      await options.type('[name="tumblr-app-secret"]', STANDIN_TUMBLR_APP.secret);
      await options.click("button", "Save Tumblr app");
      await options.waitFor('[role="status"]', "Tumblr app saved");
      await options.click("button", "Connect Tumblr");
      await options.waitFor(".accounts li", "acme-bakery on Tumblr");
      // The app password is never kept: only the sign-in Bluesky gave for it.
      expect(
        await options.evaluate<string>(`document.querySelector('[name="bluesky-app-password"]').value`),
      ).toBe("");
    });

    it("one composer share reaches each service exactly once, Bluesky's text fitted to its 300", async () => {
      const caption = `${browserName} ${LONG}`;
      const instagram = await browser.newPage();
      await openComposerAtCaption(instagram, caption);
      await shareWithSwitch(instagram, true);

      await instagram.waitFor('[role="status"]', EVERYWHERE);
      expect(counts(caption)).toEqual({ facebook: 1, threads: 1, bluesky: 1, mastodon: 1, tumblr: 1 });
      const [skeet] = standins.bluesky
        .posts()
        .filter((post) => String(post.record.text).startsWith(browserName));
      const text = String(skeet?.record.text);
      expect(graphemes(text)).toBeLessThanOrEqual(300);
      expect(text).toMatch(/…\n\nSee it on Instagram: https:\/\/www\.instagram\.com\/p\/[\w-]+\/$/);
    });

    it("an answer lost on every service after the post was made gives no second post anywhere", async () => {
      standins.threads.inject({ method: "POST", path: /\/threads_publish$/, dropAfterCommit: true });
      standins.bluesky.inject({ path: /createRecord$/, dropAfterCommit: true });
      standins.mastodon.inject({ method: "POST", path: /^\/api\/v1\/statuses$/, dropAfterCommit: true });
      // Tumblr: the draft made but answered by its edge's 504, then the publish's answer lost.
      standins.tumblr.inject({
        method: "POST",
        path: /^\/v2\/blog\/[^/]+\/posts$/,
        status: 504,
        body: "<html><body><h1>504 Gateway Time-out</h1></body></html>",
        afterCommit: true,
      });
      standins.tumblr.inject({
        method: "PUT",
        path: /^\/v2\/blog\/[^/]+\/posts\/\d+$/,
        dropAfterCommit: true,
      });
      const draftsBefore = standins.tumblr
        .requests()
        .filter((r) => r.method === "POST" && /\/posts$/.test(r.path)).length;
      const caption = `Lost answers ${browserName}, the same loaves`;
      const instagram = await browser.newPage();
      await openComposerAtCaption(instagram, caption);
      await shareWithSwitch(instagram, true);

      // Each is found after its lost answer (browsers send a dropped request again by themselves,
      // which each service's own guard answers with the post already made), never made twice.
      await instagram.waitFor('[role="status"]', EVERYWHERE, 150_000);
      expect(counts(caption)).toEqual({ facebook: 1, threads: 1, bluesky: 1, mastodon: 1, tumblr: 1 });
      // Tumblr's draft was made once: the next attempt found it by the job's mark and published it.
      const drafted = standins.tumblr
        .requests()
        .filter((r) => r.method === "POST" && /\/posts$/.test(r.path));
      expect(drafted.length - draftsBefore).toBe(1);
      expect(standins.tumblr.posts().filter((post) => post.state === "draft")).toEqual([]);
    }, 180_000);

    it("sign-ins each service no longer accepts pause only their shares, each offering Sign in again", async () => {
      for (const { token } of standins.mastodon.tokens()) standins.mastodon.revoke(token);
      standins.threads.revoke(THREADS_USER);
      standins.bluesky.revoke(BLUESKY.appPassword);
      standins.bluesky.expireSessions();
      standins.tumblr.revoke(TUMBLR_USER);
      const caption = `Signed out ${browserName}`;
      const instagram = await browser.newPage();
      await openComposerAtCaption(instagram, caption);
      await shareWithSwitch(instagram, true);

      await instagram.waitFor('[role="status"]', "Needs sign-in");
      await waitFor(
        async () =>
          (await options.evaluate<number>(
            `[...document.querySelectorAll(".accounts li")].filter((li) => li.textContent.includes("Sign in again")).length`,
          )) === 4,
        "each signed-out account asks to be signed in again",
      );
      expect(counts(caption)).toEqual({ facebook: 1, threads: 0, bluesky: 0, mastodon: 0, tumblr: 0 });
    });
  },
);
