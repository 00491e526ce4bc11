import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/browsers";
import type { Driver } from "../support/driver";
import { linkPageByToken, openComposerAtCaption, shareWithSwitch } from "../support/flows";
import { BROWSERS, type ExtensionBrowser, launchWithExtension } from "../support/harness";
import { type Standins, startStandins } from "../support/standins";

const BAKERY = { id: "1001", name: "Acme Bakery", token: "EAAGpagetokenBakery0123456789" };
const CAFE = { id: "1002", name: "Acme Café", token: "EAAGpagetokenCafe0123456789ab" };
const ANALYTICS = {
  id: "1003",
  name: "Acme Analytics",
  token: "EAAGpagetokenAnalytics012345",
  tasks: ["ANALYZE"],
};

/** Asks the background from one of our pages, as the options page itself does. */
function ask<T>(page: Driver, type: string): Promise<T> {
  return page.evaluate<T>(
    `(globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: ${JSON.stringify(type)}, payload: {} })`,
  );
}

type Reply<T> = { ok: boolean; data: T };
type Account = { id: string; name: string; status: string; token?: string };
type Job = { id: string; state: string; targetId: string; message: string };

const accountRow = (id: string) => `.accounts li[data-account-id="${id}"]`;

describe.each(BROWSERS)("linking accounts with Facebook Login, in %s", (browserName) => {
  let standins: Standins;
  let browser: ExtensionBrowser;
  let options: Driver;

  beforeAll(async () => {
    standins = await startStandins();
    for (const page of [BAKERY, CAFE, ANALYTICS]) standins.graph.addPage(page);
    standins.graph.addUser({
      id: "42",
      name: "Dana Baker",
      token: standins.facebook.oauth.token,
      pageIds: [BAKERY.id, CAFE.id, ANALYTICS.id],
    });
    browser = await launchWithExtension(browserName, standins);
    options = await browser.openExtensionPage("options.html");
    await options.waitFor("label", "App ID");
    await options.type("#app-id", standins.graph.app.id);
    await options.click("button", "Save app");
    await options.waitFor('[role="status"]', "Meta app saved");
  });
  afterAll(async () => {
    await browser?.close();
    await standins?.stop();
  });

  /** A Page linked through Facebook Login (a pasted token has no sign-in to renew). */
  async function ensureLinkedByLogin(page: typeof BAKERY) {
    if ((await options.texts(`${accountRow(page.id)} button`)).includes("Sign in again")) return;
    standins.facebook.oauth.mode = "grant";
    await options.click("button", "Connect Facebook");
    await options.waitFor(".page-picker label", page.name);
    await options.click(`.page-picker input[value="${page.id}"]`);
    await options.click("button", "Link selected Pages");
    await options.waitFor(`${accountRow(page.id)} button`, "Sign in again");
  }
  /** The share of `caption` to one target, as our pages see it. */
  const shareOf = async (page: Driver, targetId: string, caption: string) => {
    const jobs = (
      await page.evaluate<Reply<Job[]>>(
        `(globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: "jobs.list", payload: { limit: 20 } })`,
      )
    ).data;
    return jobs.find((job) => job.targetId === targetId && job.message === caption);
  };
  const linkedIds = async () =>
    (await ask<Reply<Account[]>>(options, "accounts.list")).data.map((account) => account.id).sort();
  /** What a test needs linked, whichever tests ran before it: pasted tokens, the quickest way. */
  async function ensureLinked(...pages: (typeof BAKERY)[]) {
    for (const page of pages) {
      if (!(await linkedIds()).includes(page.id)) await linkPageByToken(options, page.token, page.name);
    }
  }

  it("shows this browser's own OAuth redirect URL to paste into the Meta app", async () => {
    const [redirectUrl] = await options.texts("#redirect-url");
    expect(redirectUrl).toMatch(
      browserName === "chromium"
        ? /^https:\/\/[a-p]{32}\.chromiumapp\.org\/$/
        : /^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/$/,
    );
  });

  it("a declined login ends in a plain sentence, and nothing is stored", async () => {
    standins.facebook.oauth.mode = "deny";
    await options.click("button", "Connect Facebook");
    await options.waitFor("#sign-in-report", "You declined Facebook's request, so nothing was linked.");
    expect(await options.texts(".page-picker")).toEqual([]);
    expect((await ask<Reply<Account[]>>(options, "accounts.list")).data).toEqual([]);
    expect(standins.graph.requests.filter((request) => request.path.endsWith("/me/accounts"))).toEqual([]);
    expect(standins.facebook.oauthRequests).toHaveLength(1);
  });

  it("a login that grants too few permissions names the missing ones, and nothing is stored", async () => {
    standins.facebook.oauth.mode = "grant";
    const user = standins.graph.users[0];
    if (!user) throw new Error("no stand-in user");
    standins.graph.addUser({ ...user, scopes: ["pages_show_list"] });
    try {
      await options.click("button", "Connect Facebook");
      for (const scope of ["pages_manage_posts", "pages_read_engagement", "publish_video"]) {
        await options.waitFor(`#sign-in-report li[data-scope="${scope}"]`, "not granted");
      }
      await options.waitFor("#sign-in-report", "Posting cannot work without the permissions above");
      expect(await options.texts(".page-picker")).toEqual([]);
      expect((await ask<Reply<Account[]>>(options, "accounts.list")).data).toEqual([]);
    } finally {
      standins.graph.addUser(user);
    }
  });

  it("connect → pick two Pages → both are listed, each with its own token", async () => {
    standins.facebook.oauth.mode = "grant";
    await options.click("button", "Connect Facebook");
    await options.waitFor(".page-picker label", ANALYTICS.name);
    // The Page the user may not post to is offered, but cannot be picked.
    expect(await options.attribute(`.page-picker input[value="${ANALYTICS.id}"]`, "disabled")).not.toBeNull();
    await options.click(`.page-picker input[value="${BAKERY.id}"]`);
    await options.click(`.page-picker input[value="${CAFE.id}"]`);
    await options.click("button", "Link selected Pages");
    await options.waitFor(accountRow(BAKERY.id), BAKERY.name);
    await options.waitFor(accountRow(CAFE.id), CAFE.name);

    const login = standins.facebook.oauthRequests.at(-1);
    const [redirectUrl] = await options.texts("#redirect-url");
    expect(login?.path).toBe("/v26.0/dialog/oauth");
    expect(login?.params).toMatchObject({
      client_id: standins.graph.app.id,
      response_type: "token",
      redirect_uri: redirectUrl,
      scope: "pages_show_list,pages_manage_posts,pages_read_engagement,publish_video,instagram_basic",
    });
    expect(login?.params.state).toMatch(/^[0-9a-f]{32}$/);

    const accounts = (await ask<Reply<Account[]>>(options, "accounts.list")).data;
    expect(accounts.map((account) => account.name).sort()).toEqual([BAKERY.name, CAFE.name].sort());
    // Our own pages see names and health, never a token.
    expect(JSON.stringify(accounts)).not.toMatch(/EAA/);
    // No App Secret: the Page tokens live as long as the sign-in, and the list says so.
    await options.waitFor(accountRow(BAKERY.id), "Expires today");
  });

  it("every Facebook Login asks with a state of its own", async () => {
    standins.facebook.oauth.mode = "deny";
    const states = [];
    for (let round = 0; round < 2; round++) {
      const before = standins.facebook.oauthRequests.length;
      await options.click("button", "Connect Facebook");
      await waitFor(
        () => standins.facebook.oauthRequests.length > before,
        "Facebook's login dialog was opened",
      );
      await options.waitFor("#sign-in-report", "You declined Facebook's request");
      states.push(standins.facebook.oauthRequests.at(-1)?.params.state);
    }
    standins.facebook.oauth.mode = "grant";
    expect(states[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(states[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(states[1]).not.toBe(states[0]);
  });

  it("a token Facebook refuses (190) → Needs sign-in → Sign in again → the paused share goes out once", async () => {
    standins.facebook.oauth.mode = "grant";
    await ensureLinked(BAKERY, CAFE);
    const caption = `Sourdough for the weekend ${browserName}`;
    standins.graph.inject({ method: "POST", path: /\/1001\/photos$/, error: { code: 190, subcode: 460 } });
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);

    const bakeryPosts = () =>
      standins.graph.posts.filter((post) => post.pageId === BAKERY.id && post.message === caption);
    const jobOf = (page: Driver, targetId: string) => shareOf(page, targetId, caption);
    await waitFor(
      async () => (await jobOf(options, BAKERY.id))?.state === "needs-signin",
      "the job waits for sign-in",
    );
    await waitFor(
      async () => (await jobOf(options, CAFE.id))?.state === "shared",
      "the other Page got its post",
    );
    expect(bakeryPosts()).toHaveLength(0);

    const fresh = await browser.openExtensionPage("options.html");
    await fresh.waitFor(accountRow(BAKERY.id), "Needs sign-in");
    await fresh.click(`${accountRow(BAKERY.id)} button`, "Sign in again");
    await fresh.waitFor('[role="status"]', `Signed in again to ${BAKERY.name}`);
    await waitFor(
      async () => (await jobOf(fresh, BAKERY.id))?.state === "shared",
      "the paused share went out",
    );
    await fresh.waitFor(accountRow(BAKERY.id), "Expires today");
    expect(bakeryPosts()).toHaveLength(1);
    expect(standins.graph.posts.filter((post) => post.message === caption)).toHaveLength(2);
  });

  it("with the App Secret saved, signing in again makes the Page's link last: OK, no expiry", async () => {
    await ensureLinkedByLogin(BAKERY);
    const secret = standins.graph.app.secret;
    await options.type("#app-secret", secret);
    await options.click("button", "Save app");
    await options.waitFor("p.muted", "An App Secret is saved on this computer only");
    expect(await options.evaluate<string>(`document.querySelector("#app-secret").value`)).toBe("");
    await options.click(`${accountRow(BAKERY.id)} button`, "Sign in again");
    await options.waitFor('[role="status"]', `Signed in again to ${BAKERY.name}`);
    await options.waitFor(`${accountRow(BAKERY.id)} .health`, "OK");
    const exchange = standins.graph.requests.find((request) => request.path === "/v26.0/oauth/access_token");
    expect(exchange?.params).toMatchObject({
      grant_type: "fb_exchange_token",
      client_id: standins.graph.app.id,
    });
    expect(JSON.stringify(await ask<Reply<unknown>>(options, "accounts.app"))).not.toContain(secret);
  });

  it("links the profile with honest words: a link to the post, in Facebook's share dialog", async () => {
    await ensureLinked(BAKERY, CAFE);
    const before = await linkedIds();
    expect(before).not.toContain("profile");
    await options.click("button", "Link my Facebook profile");
    await options.waitFor(accountRow("profile"), "Opens Facebook’s share dialog with a link to your post");
    expect(await linkedIds()).toEqual([...before, "profile"].sort());
  });

  it("unlinking asks about waiting shares, cancels them by default, and drops the account", async () => {
    await ensureLinked(BAKERY, CAFE);
    // A share waiting for the café: Facebook asked to wait ten minutes.
    const caption = `Waiting for the café ${browserName}`;
    standins.graph.inject({
      method: "POST",
      path: /\/1002\/feed$/,
      error: { code: 32 },
      headers: { "retry-after": "600" },
    });
    const instagram = await browser.newPage();
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);
    await waitFor(
      () =>
        standins.graph.requests.some((r) => r.path === "/v26.0/1002/feed" && r.params.message === caption),
      "Facebook refused the first try",
    );
    await waitFor(
      async () => (await shareOf(options, CAFE.id, caption))?.state === "queued",
      "the share waits for the café",
    );

    const before = await linkedIds();
    await options.click(`${accountRow(CAFE.id)} button`, "Unlink");
    await options.waitFor(".unlink-confirm", `Unlink ${CAFE.name}?`);
    expect(
      await options.evaluate<boolean>(`document.querySelector('.unlink-confirm input[type=radio]').checked`),
    ).toBe(true);
    await options.click(".unlink-confirm button", "Unlink");
    await waitFor(
      async () => (await options.texts(accountRow(CAFE.id))).length === 0,
      "the Page left the list",
    );
    expect(await linkedIds()).toEqual(before.filter((id) => id !== CAFE.id));
    expect((await shareOf(options, CAFE.id, caption))?.state).toBe("cancelled");
  });
});
