import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import { askBackground } from "../support/flows";
import { PAGE_SCOPES } from "../support/graph-standin";
import { BROWSERS, type ExtensionBrowser, launchWithExtension } from "../support/harness";
import { type Standins, startStandins } from "../support/standins";

/*
 * The linking wizard on the production build: each way linking goes wrong is told apart, in
 * plain words, by checks against the Graph stand-in — a wrong App ID, a permission the user
 * declined, a Page the user's role may not post to, a user token pasted for a Page token — and
 * its share preview posts nothing.
 */

const BAKERY = { id: "1001", name: "Acme Bakery", token: "EAAGpagetokenBakery0123456789" };
/** A Page token made without publish_video (nor instagram_basic). */
const CAFE = {
  id: "1002",
  name: "Acme Café",
  token: "EAAGpagetokenCafe0123456789ab",
  scopes: ["pages_show_list", "pages_manage_posts", "pages_read_engagement"],
};
/** The user may analyse this Page, not post to it. */
const ANALYTICS = {
  id: "1003",
  name: "Acme Analytics",
  token: "EAAGpagetokenAnalytics012345",
  tasks: ["ANALYZE"],
};
const DANA = { id: "42", name: "Dana Baker", pageIds: [BAKERY.id, CAFE.id, ANALYTICS.id] };

type Account = { id: string; name: string };

describe.each(BROWSERS)("the linking wizard, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;
  let options: Driver;

  beforeAll(async () => {
    standins = await startStandins();
    for (const page of [BAKERY, CAFE, ANALYTICS]) standins.graph.addPage(page);
    standins.graph.addUser({ ...DANA, token: standins.facebook.oauth.token });
    browser = await launchWithExtension(browserName, standins);
    options = await browser.openExtensionPage("options.html");
    await options.waitFor("label", "App ID");
  });
  afterAll(async () => {
    await browser?.close();
    await standins?.stop();
  });

  /** Empties a field the way the user would see it, then types `text` key by key. */
  async function retype(selector: string, text: string) {
    await options.evaluate(
      `(() => {
        const field = document.querySelector(${JSON.stringify(selector)});
        field.value = "";
        field.dispatchEvent(new Event("input", { bubbles: true }));
      })()`,
    );
    await options.type(selector, text);
  }
  async function saveAppId(appId: string) {
    await retype("#app-id", appId);
    await options.click("button", "Save app");
    await waitFor(
      async () => (await askBackground<{ appId?: string }>(options, "accounts.app")).appId === appId,
      "the App ID was saved",
    );
    await options.waitFor("button:not([disabled])", "Connect Facebook");
  }
  const saveDisabled = () =>
    options.evaluate<boolean>(
      `[...document.querySelectorAll("button")].find((button) => button.textContent.trim() === "Save app").disabled`,
    );
  const linked = () => askBackground<Account[]>(options, "accounts.list");
  const graphPosts = () => standins.graph.requests.filter((request) => request.method === "POST");

  it("tells a wrong App ID in plain words: not digits, the App Secret, or a sign-in for another app", async () => {
    await retype("#app-id", "my-app-123");
    await options.waitFor("#app-id-check", "An App ID is only digits (0–9).");
    expect(await options.attribute("#app-id", "aria-invalid")).toBe("true");
    expect(await saveDisabled()).toBe(true);

    await retype("#app-id", standins.graph.app.secret);
    await options.waitFor("#app-id-check", "This looks like the App Secret, not the App ID.");

    // Well formed, but not the app the user set up: the test sign-in finds it out.
    await saveAppId("111111111111111");
    await options.click("button", "Connect Facebook");
    await options.waitFor(
      "#sign-in-report",
      `Facebook signed you in to another Meta app (App ID ${standins.graph.app.id}), not the App ID saved here (111111111111111).`,
    );
    expect(await options.texts(".page-picker")).toEqual([]);

    // With the App Secret saved, the wrong App ID and the secret do not make an app token Facebook takes.
    await options.type("#app-secret", standins.graph.app.secret);
    await options.click("button", "Save app");
    await waitFor(
      async () => (await askBackground<{ hasSecret: boolean }>(options, "accounts.app")).hasSecret,
      "the App Secret was saved",
    );
    await options.click("button", "Connect Facebook");
    await options.waitFor(
      '[role="status"]',
      "Facebook did not accept this App ID together with the App Secret saved here.",
    );
    expect(await linked()).toEqual([]);
  });

  it("a sign-in whose user declined pages_manage_posts names it and what it blocks, and links nothing", async () => {
    await saveAppId(standins.graph.app.id);
    standins.graph.addUser({
      ...DANA,
      token: standins.facebook.oauth.token,
      scopes: PAGE_SCOPES.filter((scope) => scope !== "pages_manage_posts"),
      declined: ["pages_manage_posts"],
    });
    try {
      await options.click("button", "Connect Facebook");
      const row = '#sign-in-report li[data-scope="pages_manage_posts"]';
      await options.waitFor(row, "declined at sign-in");
      await options.waitFor(row, "Without it, alsoshare cannot post to your Pages.");
      await options.waitFor("#sign-in-report", "Posting cannot work without the permissions above");
      // The Pages are named all the same, the one Dana may not post to among them.
      await options.waitFor("#sign-in-report", "You cannot post to Acme Analytics");
      expect(await options.texts(".page-picker")).toEqual([]);
      expect(await linked()).toEqual([]);
      const asked = standins.graph.requests.filter((request) => request.path === "/v26.0/me/permissions");
      expect(asked.at(-1)?.token).toBe(standins.facebook.oauth.token);
    } finally {
      standins.graph.addUser({ ...DANA, token: standins.facebook.oauth.token });
    }
  });

  it("with every permission granted, names the Page without CREATE_CONTENT and offers the others to pick", async () => {
    await options.click("button", "Connect Facebook");
    await options.waitFor("#sign-in-report", "Facebook granted every permission posting needs.");
    await options.waitFor(
      `#sign-in-report li[data-page-id="${ANALYTICS.id}"]`,
      `You cannot post to ${ANALYTICS.name}: your role on it does not include creating content (Facebook’s CREATE_CONTENT task).`,
    );
    expect(await options.texts("#sign-in-report li[data-page-id]")).toHaveLength(1);
    await options.waitFor(".page-picker label", ANALYTICS.name);
    expect(await options.attribute(`.page-picker input[value="${ANALYTICS.id}"]`, "disabled")).not.toBeNull();
    expect(await options.attribute(`.page-picker input[value="${BAKERY.id}"]`, "disabled")).toBeNull();
    await options.click("button", "Cancel");
  });

  it("tells a pasted user token from a Page token, and does not link it", async () => {
    await retype("#page-token", standins.facebook.oauth.token);
    await options.click("button", "Check token");
    await options.waitFor(
      "#token-report",
      `This is a user access token (for ${DANA.name}), not a Page token, so it cannot post as a Page.`,
    );
    await options.click("button", "Link");
    await options.waitFor(
      '[role="status"]',
      "This is a user access token, not a Page token, so nothing was linked.",
    );
    expect(await linked()).toEqual([]);
  });

  it("the background itself refuses to link a user token as a Page, whoever asks", async () => {
    const refusal = await askBackground(options, "accounts.linkToken", {
      token: standins.facebook.oauth.token,
    }).then(
      () => "linked",
      (error: Error) => error.message,
    );
    expect(refusal).toMatch(/This is a user access token, not a Page token, so nothing was linked\./);
    expect(await linked()).toEqual([]);
  });

  it("shows a pasted Page token's Page, permissions and expiry, and what a missing permission blocks", async () => {
    await retype("#page-token", CAFE.token);
    await options.click("button", "Check token");
    await options.waitFor("#token-report", `A Page access token for ${CAFE.name}.`);
    await options.waitFor("#token-report", "It does not expire");
    await options.waitFor('#token-report li[data-scope="pages_manage_posts"]', "granted");
    await options.waitFor('#token-report li[data-scope="publish_video"]', "not granted");
    await options.waitFor(
      '#token-report li[data-scope="publish_video"]',
      "Without it, reels and videos cannot be shared.",
    );
    await options.waitFor("#token-report", "Shares to this Page will fail without the permissions above");
  });

  it("previews a share through the caption rules on the chosen Page, and posts nothing", async () => {
    await askBackground(options, "settings.update", {
      patch: { caption: { hashtags: "drop", mentions: "link" } },
    });
    await retype("#page-token", BAKERY.token);
    await options.click("button", "Link");
    await options.waitFor(".accounts li", BAKERY.name);
    await options.waitFor("#share-preview-page", BAKERY.name);
    await options.waitFor("#share-preview-text", "thanks to instagram.com/acme.baker");
    expect(await options.texts("#share-preview-text")).toEqual([
      "Fresh sourdough this morning 🍞 thanks to instagram.com/acme.baker",
    ]);
    await retype("#preview-caption", "Rye bread, warm #rye #bakery");
    await options.waitFor("#share-preview-text", "Rye bread, warm");
    expect(await options.texts("#share-preview-text")).toEqual(["Rye bread, warm"]);
    await options.waitFor("#share-preview-label", `Preview of a post on ${BAKERY.name} — nothing is posted`);
    // Every test here ran against Facebook's stand-in, and none of them made it post anything.
    expect(graphPosts()).toEqual([]);
    expect(standins.graph.posts).toEqual([]);
  });
});
