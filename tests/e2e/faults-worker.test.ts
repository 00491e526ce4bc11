import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import {
  linkPageByToken,
  openComposerAtCaption,
  openNextComposerAtCaption,
  shareWithSwitch,
} from "../support/flows";
import { BROWSERS, type ExtensionBrowser, launchWithExtension } from "../support/harness";
import { type Standins, startStandins } from "../support/standins";

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" };
/** The feed post that publishes a photo (after its unpublished upload). */
const PUBLISH = /^\/v26\.0\/1001\/feed$/;

async function share(browser: ExtensionBrowser, caption: string): Promise<Driver> {
  const instagram = await browser.newPage();
  await openComposerAtCaption(instagram, caption);
  await shareWithSwitch(instagram, true);
  return instagram;
}

/** The share of `caption`, as the background tells one of our pages. */
async function jobOf(page: Driver, caption: string) {
  const reply = await page.evaluate<{ data: { message: string; state: string; error?: string }[] }>(
    `(globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: "jobs.list", payload: { limit: 20 } })`,
  );
  return reply.data.find((job) => job.message === caption);
}

async function stateOf(page: Driver, caption: string): Promise<string | undefined> {
  return (await jobOf(page, caption))?.state;
}

/** Any message wakes a stopped background; the popup lists the shares on open. */
async function wakeBackground(browser: ExtensionBrowser): Promise<Driver> {
  return browser.openExtensionPage("popup.html");
}

/**
 * Chrome stops an MV3 worker whenever it likes, mid-request included (CDP
 * `ServiceWorker.stopAllWorkers` does what Chrome does when idle). Whatever moment it dies at,
 * the share ends with exactly one post.
 */
describe("the worker stopped mid-share, in chromium", () => {
  let standins: Standins;
  let browser: ExtensionBrowser;
  const postsWith = (caption: string) => standins.graph.posts.filter((post) => post.message === caption);
  const photoPostsWith = (caption: string) =>
    standins.graph.requests.filter(
      (r) => r.method === "POST" && PUBLISH.test(r.path) && r.params.message === caption,
    );

  beforeAll(async () => {
    standins = await startStandins();
    standins.graph.addPage(PAGE);
    browser = await launchWithExtension("chromium", standins);
    await linkPageByToken(await browser.openExtensionPage("options.html"), PAGE.token, PAGE.name);
  });
  afterAll(async () => {
    await browser?.close();
    await standins?.stop();
  });

  it("after the claim, the POST never processed: after restart the Page is searched, and nothing is sent again yet", async () => {
    standins.graph.inject({ method: "POST", path: PUBLISH, hang: true });
    const caption = "Stopped after claim (chromium)";
    await share(browser, caption);
    await waitFor(() => photoPostsWith(caption).length === 1, "the POST left");
    await browser.stopBackground?.();
    const stoppedAt = standins.graph.requests.length;
    expect(postsWith(caption)).toHaveLength(0);

    // The request may still land at Facebook: the restarted worker looks, finds nothing, and waits
    // for Facebook's late listings (minutes) before it would send again.
    const popup = await wakeBackground(browser);
    await waitFor(
      async () =>
        (await jobOf(popup, caption))?.error?.startsWith(
          "Checking whether Facebook already has this post",
        ) === true,
      "the restarted worker looked for the post and is waiting to look again",
      60_000,
    );
    const since = standins.graph.requests.slice(stoppedAt);
    expect(
      since.filter((r) => r.method === "GET" && r.path.endsWith("/published_posts")).length,
    ).toBeGreaterThan(0);
    expect(since.filter((r) => r.method === "POST")).toEqual([]);
    expect((await jobOf(popup, caption))?.state).toBe("queued");
    expect(postsWith(caption)).toHaveLength(0);
  });

  it("after the POST left, before its answer was stored: found on the Page, not posted again", async () => {
    standins.graph.inject({ method: "POST", path: PUBLISH, delayMs: 3_000 });
    const caption = "Stopped in flight (chromium)";
    await share(browser, caption);
    await waitFor(() => photoPostsWith(caption).length === 1, "the POST left");
    await browser.stopBackground?.();
    // Facebook finishes the post while the worker is gone.
    await waitFor(() => postsWith(caption).length === 1, "the stand-in made the post", 30_000);

    const popup = await wakeBackground(browser);
    // This share's own state: the popup already lists the previous test's share as Shared.
    await waitFor(
      async () => (await stateOf(popup, caption)) === "shared",
      "the restarted worker found the post",
      60_000,
    );
    expect(postsWith(caption)).toHaveLength(1);
    expect(photoPostsWith(caption)).toHaveLength(1);
  });

  it("after the answer was stored: nothing more is sent after restart", async () => {
    const caption = "Stopped after answer (chromium)";
    const instagram = await share(browser, caption);
    await instagram.waitFor('[role="status"]', "Shared to Facebook", 60_000);
    await browser.stopBackground?.();
    const before = standins.graph.requests.length;

    const popup = await wakeBackground(browser);
    await popup.waitFor(".job", "Shared");
    // The restarted worker runs its queue at start, and once more for this new share: the share
    // reaching the Page proves the stored job had its chance to be (wrongly) sent again first.
    const control = "Shared after the restart (chromium)";
    await openNextComposerAtCaption(instagram, control);
    await shareWithSwitch(instagram, true);
    await waitFor(() => postsWith(control).length === 1, "the restarted worker posted the new share");
    expect(postsWith(caption)).toHaveLength(1);
    expect(
      standins.graph.requests
        .slice(before)
        // Publishing calls: every POST but a photo's unpublished upload.
        .filter((r) => r.method === "POST" && r.params.published !== "false")
        .map((r) => r.params.message),
    ).toEqual([control]);
  });
});

/** Jobs still queued when the browser quits go out when it starts again with the same profile. */
describe.each(BROWSERS)("the browser closed and reopened with jobs queued, in %s", (browserName) => {
  let standins: Standins;
  let profile: string;
  let browser: ExtensionBrowser | undefined;

  beforeAll(async () => {
    standins = await startStandins();
    standins.graph.addPage(PAGE);
    profile = await mkdtemp(join(tmpdir(), `alsoshare-restart-${browserName}-`));
  });
  afterAll(async () => {
    await browser?.close();
    await standins?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  it("finishes the queued share once, after the restart", async () => {
    browser = await launchWithExtension(browserName, standins, { userDataDir: profile });
    await linkPageByToken(await browser.openExtensionPage("options.html"), PAGE.token, PAGE.name);
    // Facebook asks to wait 20 s: the job is queued when the browser quits.
    standins.graph.inject({
      method: "POST",
      path: PUBLISH,
      error: { code: 32 },
      headers: { "retry-after": "20" },
    });
    const caption = `Queued over a restart (${browserName})`;
    await share(browser, caption);
    await waitFor(
      () => standins.graph.requests.some((r) => r.method === "POST" && r.params.message === caption),
      "the first attempt was refused",
    );
    await browser.close();
    browser = undefined;
    expect(standins.graph.posts.filter((post) => post.message === caption)).toHaveLength(0);

    browser = await launchWithExtension(browserName, standins, { userDataDir: profile });
    await waitFor(
      () => standins.graph.posts.some((post) => post.message === caption),
      "the queued share went out after the restart",
      90_000,
    );
    const popup = await browser.openExtensionPage("popup.html");
    await popup.waitFor(".job", "Shared", 30_000);
    expect(standins.graph.posts.filter((post) => post.message === caption)).toHaveLength(1);
  });
});
