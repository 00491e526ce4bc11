import { describe, expect, it, vi } from "vitest";
import { getAccount, listAccounts } from "@/lib/db/accounts";
import { readAppCredentialsRecord } from "@/lib/db/app-credentials";
import { recentEvents } from "@/lib/db/events";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import { openDatabase } from "@/lib/db/open";
import type { JobRecord } from "@/lib/db/schema";
import { GraphError } from "@/lib/facebook/errors";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import type { SignInDeps } from "@/lib/facebook/oauth";
import { createAccountsHandlers, PROFILE_ID } from "@/lib/handlers/accounts";
import type { HandlerDeps } from "@/lib/handlers/deps";
import { DEFAULT_SETTINGS } from "@/lib/settings/schema";
import { loadSettings, updateSettings } from "@/lib/settings/store";
import { jobFor, linkPage, photoPost } from "../../support/fixtures";

const APP_ID = "987654321012345";
const SECRET = "0123456789abcdef0123456789abcdef";
const REDIRECT = "https://abcdefghijklmnop.chromiumapp.org/";
const USER_TOKEN = "EAAUserTokenShort1";
const LONG_TOKEN = "EAAUserTokenLong99";
const NOW = 1_780_000_000_000;
const SCOPES = ["pages_show_list", "pages_manage_posts", "pages_read_engagement", "publish_video"];

const PAGES = [
  { id: "1001", name: "Acme Bakery", access_token: "EAAPageToken1001", tasks: ["CREATE_CONTENT", "MANAGE"] },
  { id: "1002", name: "Acme Café", access_token: "EAAPageToken1002", tasks: ["CREATE_CONTENT"] },
  { id: "1003", name: "Acme Analytics", access_token: "EAAPageToken1003", tasks: ["ANALYZE"] },
];

/** A Graph that knows one user with three Pages; `overrides` replace an answer by path. */
function fakeGraph(overrides: Record<string, (request: GraphRequest) => unknown> = {}) {
  const calls: GraphRequest[] = [];
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      const override = overrides[request.path];
      if (override) return override(request);
      if (request.path === "/debug_token") {
        // A sign-in's user token, or a pasted Page token (which never expires), as Graph tells them.
        const user = [USER_TOKEN, LONG_TOKEN].includes(String(request.params?.input_token));
        return {
          data: {
            app_id: APP_ID,
            type: user ? "USER" : "PAGE",
            is_valid: true,
            scopes: SCOPES,
            user_id: "42",
            expires_at: user ? Math.floor(NOW / 1000) + 5400 : 0,
          },
        };
      }
      if (request.path === "/oauth/access_token") return { access_token: LONG_TOKEN, expires_in: 5_183_944 };
      if (request.path === "/me/accounts") return { data: PAGES, paging: { cursors: { after: "x" } } };
      if (request.path === "/me/permissions") return { data: granted(...SCOPES, "instagram_basic") };
      if (request.path === "/me") return { id: "1001", name: "Acme Bakery" };
      // A Page's linked Instagram account, read at link time: none here.
      if (/^\/\d+$/.test(request.path)) return { id: request.path.slice(1) };
      throw new Error(`unexpected ${request.path}`);
    },
  };
  return { client, calls };
}

/** `/me/permissions` entries, as Graph lists them. */
function granted(...permissions: string[]) {
  return permissions.map((permission) => ({ permission, status: "granted" }));
}

type Answer = (url: URL) => string | Promise<string>;
const grantedLogin: Answer = (url) =>
  `${REDIRECT}#access_token=${USER_TOKEN}&expires_in=5400&state=${url.searchParams.get("state")}`;

function fakeSignIn(answer: Answer = grantedLogin) {
  let stored: unknown;
  const deps: SignInDeps = {
    launchWebAuthFlow: async ({ url }) => answer(new URL(url)),
    redirectUrl: () => REDIRECT,
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
    pending: {
      load: async () => stored,
      save: async (value) => {
        stored = structuredClone(value);
      },
      clear: async () => {
        stored = undefined;
      },
    },
  };
  return { deps, pending: () => stored };
}

function setup(options: { graph?: ReturnType<typeof fakeGraph>; answer?: Answer; now?: () => number } = {}) {
  const graph = options.graph ?? fakeGraph();
  const signIn = fakeSignIn(options.answer);
  const changed: JobRecord[] = [];
  const kick = vi.fn(async () => undefined);
  const deps: HandlerDeps = {
    graph: graph.client,
    queue: { kick, networkBack: async () => undefined, limitsOf: () => undefined },
    now: options.now ?? (() => NOW),
    onJobChanged: (job) => changed.push(job),
    onAccountsChanged: () => undefined,
    onSettingsChanged: () => undefined,
    onDataReplaced: () => undefined,
  };
  const handlers = createAccountsHandlers(deps, signIn.deps);
  const call = <K extends keyof typeof handlers>(type: K, payload: Parameters<(typeof handlers)[K]>[0]) =>
    (handlers[type] as (payload: unknown, sender: object) => ReturnType<(typeof handlers)[K]>)(payload, {});
  return { handlers, call, graph, signIn, kick, changed };
}

/** Every record of every store: equal snapshots mean nothing was written. */
async function snapshot() {
  const db = await openDatabase();
  const stores = ["accounts", "settings", "jobs", "events"] as const;
  return Object.fromEntries(await Promise.all(stores.map(async (store) => [store, await db.getAll(store)])));
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

describe("connecting Facebook and picking Pages", () => {
  it("links the two picked Pages with their own tokens and the sign-in's expiry", async () => {
    const { call, signIn, graph } = setup();
    await call("accounts.setApp", { appId: APP_ID });
    const connection = await call("accounts.connect", {});
    expect(connection.pages).toEqual([
      { id: "1001", name: "Acme Bakery", pictureUrl: undefined, canPost: true, linked: false },
      { id: "1002", name: "Acme Café", pictureUrl: undefined, canPost: true, linked: false },
      { id: "1003", name: "Acme Analytics", pictureUrl: undefined, canPost: false, linked: false },
    ]);
    // No token in what the options page gets.
    expect(JSON.stringify(connection)).not.toMatch(/EAA/);

    const linked = await call("accounts.linkPages", {
      connectionId: connection.connectionId,
      pageIds: ["1001", "1002"],
    });
    expect(linked.map((account) => account.name)).toEqual(["Acme Bakery", "Acme Café"]);
    expect(await getAccount("1002")).toMatchObject({
      token: "EAAPageToken1002",
      status: "ok",
      tokenExpiresAt: NOW + 5400_000,
    });
    expect(signIn.pending()).toBeUndefined();
    // Without a secret, the sign-in is checked with its own token and never exchanged; each Page's
    // Instagram account is read with that Page's token.
    expect(graph.calls.map((request) => request.path)).toEqual([
      "/debug_token",
      "/me/accounts",
      "/1001",
      "/1002",
    ]);
    expect(graph.calls[3]).toMatchObject({ token: "EAAPageToken1002" });
    expect(graph.calls[0]).toMatchObject({ token: USER_TOKEN, params: { input_token: USER_TOKEN } });
  });

  it("with an App Secret, exchanges the sign-in for a long-lived one, so Page tokens do not expire", async () => {
    const { call, graph } = setup();
    await call("accounts.setApp", { appId: APP_ID, appSecret: SECRET });
    const connection = await call("accounts.connect", {});
    await call("accounts.linkPages", { connectionId: connection.connectionId, pageIds: ["1001"] });

    const exchange = graph.calls.find((request) => request.path === "/oauth/access_token");
    expect(exchange?.params).toMatchObject({
      grant_type: "fb_exchange_token",
      client_id: APP_ID,
      client_secret: SECRET,
      fb_exchange_token: USER_TOKEN,
    });
    expect(graph.calls.find((request) => request.path === "/me/accounts")?.token).toBe(LONG_TOKEN);
    expect(graph.calls.find((request) => request.path === "/debug_token")?.token).toBe(`${APP_ID}|${SECRET}`);
    const account = await getAccount("1001");
    expect(account?.tokenExpiresAt).toBeUndefined();
  });

  it("logs link and re-link without any token in the log", async () => {
    const { call } = setup();
    await call("accounts.setApp", { appId: APP_ID });
    for (let round = 0; round < 2; round++) {
      const { connectionId } = await call("accounts.connect", {});
      await call("accounts.linkPages", { connectionId, pageIds: ["1001"] });
    }
    const events = await recentEvents(10);
    expect(events.map((event) => [event.type, event.message])).toEqual([
      ["relinked", "Signed in again to the Page Acme Bakery."],
      ["linked", "Linked the Page Acme Bakery."],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/EAA/);
  });
});

describe("every failed sign-in ends in a sentence and an unchanged database", () => {
  const cases: [string, Parameters<typeof setup>[0], RegExp][] = [
    [
      "the user declined",
      {
        answer: (url) =>
          `${REDIRECT}?error=access_denied&error_reason=user_denied&state=${url.searchParams.get("state")}#_=_`,
      },
      /^You declined Facebook's request, so nothing was linked\./,
    ],
    [
      "the sign-in window was closed",
      { answer: () => Promise.reject(new Error("The user did not approve access.")) },
      /^Facebook sign-in was closed before it finished/,
    ],
    [
      "the state is not ours",
      { answer: () => `${REDIRECT}#access_token=${USER_TOKEN}&expires_in=5400&state=forged` },
      /did not match this sign-in/,
    ],
    [
      "a permission was not granted",
      {
        graph: fakeGraph({
          "/debug_token": () => ({ data: { app_id: APP_ID, is_valid: true, scopes: ["pages_show_list"] } }),
        }),
      },
      /^Facebook did not grant pages_manage_posts, pages_read_engagement, publish_video, .*\(.*publish_video to share reels\)/,
    ],
    [
      "the token is for another app",
      {
        graph: fakeGraph({
          "/debug_token": () => ({ data: { app_id: "111111", is_valid: true, scopes: SCOPES } }),
        }),
      },
      /different Meta app/,
    ],
    [
      "Facebook cannot be reached for the Pages",
      {
        graph: fakeGraph({
          "/me/accounts": () => {
            throw new GraphError("transient", "Could not reach Facebook (network error).", {
              outcomeUnknown: true,
            });
          },
        }),
      },
      /^Could not reach Facebook to list your Pages\. Check your connection/,
    ],
  ];

  it.each(cases)("%s", async (_name, options, expected) => {
    const { call, signIn } = setup(options);
    await call("accounts.setApp", { appId: APP_ID });
    const before = await snapshot();
    expect(await rejection(call("accounts.connect", {}))).toMatch(expected);
    expect(await snapshot()).toEqual(before);
    expect(signIn.pending()).toBeUndefined();
  });

  it("a wrong App Secret is named as the cause", async () => {
    const graph = fakeGraph({
      "/oauth/access_token": () => {
        throw new GraphError("transient", "Error validating client secret.", { code: 1, status: 400 });
      },
    });
    const { call } = setup({ graph });
    await call("accounts.setApp", { appId: APP_ID, appSecret: SECRET });
    const before = await snapshot();
    expect(await rejection(call("accounts.connect", {}))).toMatch(/^Facebook did not accept the App Secret/);
    expect(await snapshot()).toEqual(before);
  });

  it("without an App ID, says to enter one first and opens no window", async () => {
    const opened = vi.fn(grantedLogin);
    const { call } = setup({ answer: opened });
    expect(await rejection(call("accounts.connect", {}))).toMatch(/Enter your Meta app's App ID/);
    expect(opened).not.toHaveBeenCalled();
  });

  it("a pick that includes a Page the user may not post to links none of them", async () => {
    const { call } = setup();
    await call("accounts.setApp", { appId: APP_ID });
    const { connectionId } = await call("accounts.connect", {});
    expect(await rejection(call("accounts.linkPages", { connectionId, pageIds: ["1001", "1003"] }))).toMatch(
      /Your role on Acme Analytics does not allow posting/,
    );
    expect(await listAccounts()).toEqual([]);
  });

  it("a pick made after the sign-in went stale asks to connect again", async () => {
    let now = NOW;
    const { call } = setup({ now: () => now });
    await call("accounts.setApp", { appId: APP_ID });
    const { connectionId } = await call("accounts.connect", {});
    now += 16 * 60_000;
    expect(await rejection(call("accounts.linkPages", { connectionId, pageIds: ["1001"] }))).toMatch(
      /sign-in has expired\. Connect again/,
    );
    expect(await listAccounts()).toEqual([]);
  });
});

describe("the app credentials", () => {
  it("never sends the secret back; keeps it when omitted, removes it on null", async () => {
    const { call } = setup();
    const saved = await call("accounts.setApp", { appId: APP_ID, appSecret: SECRET });
    expect(saved).toEqual({ appId: APP_ID, hasSecret: true, redirectUrl: REDIRECT });
    expect(JSON.stringify(await call("accounts.app", {}))).not.toContain(SECRET);
    expect(await call("accounts.setApp", { appId: APP_ID })).toMatchObject({ hasSecret: true });
    expect(await call("accounts.setApp", { appId: APP_ID, appSecret: null })).toMatchObject({
      hasSecret: false,
    });
    expect(await readAppCredentialsRecord()).toEqual({ appId: APP_ID });
  });

  it("are kept apart from the settings record", async () => {
    const { call } = setup();
    await updateSettings(DEFAULT_SETTINGS);
    await call("accounts.setApp", { appId: APP_ID, appSecret: SECRET });
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
  });
});

describe("token health and re-linking", () => {
  it("signing in again sends the paused shares, looking first only for one whose earlier request may be out", async () => {
    const page = await linkPage({ status: "needs-signin", token: "EAAOldDeadToken1" });
    const maybeOut = photoPost("3141592653589793238");
    const refused = photoPost("2718281828459045235");
    await addJobsOnce([
      // Its request went unanswered before the sign-in died: it may be on the Page.
      { ...jobFor(maybeOut, page, NOW - 1000), state: "needs-signin", attempts: 1, needsReconcile: true },
      // Facebook answered 190: a definite no, nothing to look for.
      { ...jobFor(refused, page, NOW - 1000), state: "needs-signin", attempts: 1 },
    ]);
    const { call, kick, changed } = setup();
    await call("accounts.setApp", { appId: APP_ID });
    const { connectionId, pages } = await call("accounts.connect", {});
    expect(pages.find((choice) => choice.id === page.id)?.linked).toBe(true);
    await call("accounts.linkPages", { connectionId, pageIds: [page.id] });

    expect(await getAccount(page.id)).toMatchObject({ status: "ok", token: "EAAPageToken1001" });
    expect(await getJob(`${maybeOut.pk}:${page.id}`)).toMatchObject({
      state: "queued",
      nextAttemptAt: NOW,
      needsReconcile: true,
    });
    const direct = await getJob(`${refused.pk}:${page.id}`);
    expect(direct).toMatchObject({ state: "queued", nextAttemptAt: NOW });
    expect(direct?.needsReconcile).toBeFalsy();
    expect(changed.map((job) => job.state)).toEqual(["queued", "queued"]);
    expect(kick).toHaveBeenCalledTimes(1);
  });

  it("a Page that is fine is re-linked without waking the queue", async () => {
    await linkPage();
    const { call, kick } = setup();
    await call("accounts.linkToken", { token: "EAAPageToken1001" });
    expect(await getAccount("1001")).toMatchObject({ status: "ok", token: "EAAPageToken1001" });
    expect(kick).not.toHaveBeenCalled();
  });
});

describe("unlinking", () => {
  it("removes the account and its token at once and, when told to, cancels its waiting shares", async () => {
    const page = await linkPage();
    const other = await linkPage({ id: "1002", name: "Acme Café" });
    const post = photoPost();
    await addJobsOnce([jobFor(post, page, NOW), jobFor(post, other, NOW)]);
    const { call } = setup();
    await call("accounts.unlink", { id: page.id, queuedJobs: "cancel" });

    expect(await getAccount(page.id)).toBeUndefined();
    expect((await getJob(`${post.pk}:${page.id}`))?.state).toBe("cancelled");
    expect((await getJob(`${post.pk}:${other.id}`))?.state).toBe("queued");
    expect((await recentEvents(1))[0]?.message).toBe("Unlinked Acme Bakery. 1 waiting share(s) cancelled.");
  });

  it("kept shares wait, and go out when the Page is linked again", async () => {
    const page = await linkPage();
    const post = photoPost();
    await addJobsOnce([jobFor(post, page, NOW)]);
    const { call, kick } = setup();
    await call("accounts.unlink", { id: page.id, queuedJobs: "keep" });
    expect(await getJob(`${post.pk}:${page.id}`)).toMatchObject({
      state: "needs-signin",
      lastError: { message: "Acme Bakery was unlinked. Link it again to send this share." },
    });

    await call("accounts.linkToken", { token: "EAAPageToken1001" });
    expect((await getJob(`${post.pk}:${page.id}`))?.state).toBe("queued");
    expect(kick).toHaveBeenCalled();
  });

  it("unlinking the last account turns automatic sharing off and forgets it as a default target", async () => {
    const page = await linkPage();
    await updateSettings({
      ...DEFAULT_SETTINGS,
      autoShare: { ...DEFAULT_SETTINGS.autoShare, photo: true, reel: true },
      defaultTargets: [page.id],
      lastTargets: [page.id],
    });
    const { call } = setup();
    await call("accounts.linkProfile", {});
    await call("accounts.unlink", { id: page.id, queuedJobs: "cancel" });
    // The profile is still linked: auto-share stays.
    expect((await loadSettings()).autoShare.photo).toBe(true);

    await call("accounts.unlink", { id: PROFILE_ID, queuedJobs: "cancel" });
    const settings = await loadSettings();
    expect(Object.values(settings.autoShare).some(Boolean)).toBe(false);
    expect(settings.defaultTargets).toEqual([]);
    expect(settings.lastTargets).toEqual([]);
  });

  it("an account that is not linked is answered plainly", async () => {
    const { call } = setup();
    expect(await rejection(call("accounts.unlink", { id: "4040", queuedJobs: "cancel" }))).toBe(
      "That account is not linked.",
    );
  });
});

describe("the profile (share-dialog route)", () => {
  it("links without a token, once, and says honestly that only a link is shared", async () => {
    const { call } = setup();
    const first = await call("accounts.linkProfile", {});
    const again = await call("accounts.linkProfile", {});
    expect(first).toEqual(again);
    expect(first).toMatchObject({ id: PROFILE_ID, kind: "profile", status: "ok" });
    expect((await getAccount(PROFILE_ID))?.token).toBeUndefined();
    const events = await recentEvents(10);
    expect(events).toHaveLength(1);
    expect(events[0]?.message).toMatch(/open Facebook's share dialog with a link to your post/);
  });
});

describe("the Instagram account a Page is linked to", () => {
  it("is read with the Page's token when it is linked, and shown with the Page", async () => {
    const graph = fakeGraph({
      "/1001": () => ({
        id: "1001",
        instagram_business_account: { id: "17841400000000001", username: "acme.bakery" },
      }),
    });
    const { call } = setup({ graph });
    const linked = await call("accounts.linkToken", { token: "EAAPageToken1001" });
    expect(linked.instagram).toEqual({ state: "linked", id: "17841400000000001", username: "acme.bakery" });
    expect((await getAccount("1001"))?.instagram).toMatchObject({ username: "acme.bakery" });
  });

  it("says the sign-in lacks the permission when Facebook answers code 10, and links the Page all the same", async () => {
    const graph = fakeGraph({
      "/1001": () => {
        throw new GraphError("permission", "(#10) Application does not have permission for this action");
      },
    });
    const { call } = setup({ graph });
    const linked = await call("accounts.linkToken", { token: "EAAPageToken1001" });
    expect(linked).toMatchObject({
      name: "Acme Bakery",
      status: "ok",
      instagram: { state: "no-permission" },
    });
  });

  it("links the Page and logs why when the answer is garbled", async () => {
    const graph = fakeGraph({ "/1001": () => ({ id: "1001", instagram_business_account: "yes" }) });
    const { call } = setup({ graph });
    const linked = await call("accounts.linkToken", { token: "EAAPageToken1001" });
    expect(linked.instagram).toBeUndefined();
    expect((await recentEvents(5)).map((event) => event.message)).toContain(
      "Acme Bakery: could not read which Instagram account it is linked to (Facebook's answer to “which Instagram account is linked” was not in the expected shape.).",
    );
  });
});

describe("the wizard's test sign-in", () => {
  const scopesOf = (report: { permissions: { scope: string; state: string }[] }) =>
    report.permissions.map((check) => `${check.scope}:${check.state}`);

  it("with everything granted, reports it, names the Page one may not post to, and holds the Pages to pick", async () => {
    const { call, graph, signIn } = setup();
    await call("accounts.setApp", { appId: APP_ID });
    const report = await call("accounts.checkSignIn", {});
    if (report.outcome !== "checked") throw new Error(report.outcome);
    expect(scopesOf(report)).toEqual([
      "pages_show_list:granted",
      "pages_manage_posts:granted",
      "pages_read_engagement:granted",
      "publish_video:granted",
      "instagram_basic:granted",
    ]);
    expect(report.pages?.map((page) => [page.name, page.canPost, page.canCreateContent])).toEqual([
      ["Acme Bakery", true, true],
      ["Acme Café", true, true],
      ["Acme Analytics", false, false],
    ]);
    expect(JSON.stringify(report)).not.toMatch(/EAA/);
    expect(graph.calls.find((request) => request.path === "/me/permissions")?.token).toBe(USER_TOKEN);
    // The same hold as "Connect Facebook": the picked Pages link from it.
    expect(report.connectionId).toMatch(/^[0-9a-f]{32}$/);
    expect(signIn.pending()).toBeDefined();
    const linked = await call("accounts.linkPages", {
      connectionId: report.connectionId ?? "",
      pageIds: ["1001"],
    });
    expect(linked.map((account) => account.name)).toEqual(["Acme Bakery"]);
  });

  it("a declined pages_manage_posts is named, the Pages are still listed, and nothing is held or stored", async () => {
    const graph = fakeGraph({
      "/me/permissions": () => ({
        data: [
          ...granted("public_profile", "pages_show_list", "pages_read_engagement", "publish_video"),
          { permission: "pages_manage_posts", status: "declined" },
          { permission: "instagram_basic", status: "declined" },
        ],
      }),
    });
    const { call, signIn } = setup({ graph });
    await call("accounts.setApp", { appId: APP_ID });
    const before = await snapshot();
    const report = await call("accounts.checkSignIn", {});
    if (report.outcome !== "checked") throw new Error(report.outcome);
    expect(report.permissions.filter((check) => check.state !== "granted")).toEqual([
      { scope: "pages_manage_posts", state: "declined", required: true, blocks: "posting" },
      { scope: "instagram_basic", state: "declined", required: false, blocks: "past-posts" },
    ]);
    expect(report.pages?.filter((page) => !page.canCreateContent).map((page) => page.name)).toEqual([
      "Acme Analytics",
    ]);
    expect(report.connectionId).toBeUndefined();
    expect(signIn.pending()).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it("without pages_show_list, says the Pages cannot be listed and does not ask for them", async () => {
    const graph = fakeGraph({ "/me/permissions": () => ({ data: granted("pages_manage_posts") }) });
    const { call } = setup({ graph });
    await call("accounts.setApp", { appId: APP_ID });
    const report = await call("accounts.checkSignIn", {});
    expect(report).toMatchObject({ outcome: "checked" });
    expect(report.outcome === "checked" && report.pages).toBeUndefined();
    expect(graph.calls.map((request) => request.path)).toEqual(["/debug_token", "/me/permissions"]);
  });

  it("a sign-in made for another Meta app names that app, and reads nothing more", async () => {
    const graph = fakeGraph({
      "/debug_token": () => ({
        data: { app_id: "111111111111111", type: "USER", is_valid: true, scopes: SCOPES },
      }),
    });
    const { call } = setup({ graph });
    await call("accounts.setApp", { appId: APP_ID });
    expect(await call("accounts.checkSignIn", {})).toEqual({
      outcome: "other-app",
      appId: "111111111111111",
    });
    expect(graph.calls.map((request) => request.path)).toEqual(["/debug_token"]);
  });

  it("a closed sign-in window is a finding with its reason, not a failure, and stores nothing", async () => {
    const { call } = setup({ answer: () => Promise.reject(new Error("The user did not approve access.")) });
    await call("accounts.setApp", { appId: APP_ID });
    const before = await snapshot();
    expect(await call("accounts.checkSignIn", {})).toMatchObject({
      outcome: "failed",
      reason: "cancelled",
      message: expect.stringMatching(/^Facebook sign-in was closed before it finished/),
    });
    expect(await snapshot()).toEqual(before);
  });

  it("an App ID and App Secret that do not belong together are named as the cause", async () => {
    const graph = fakeGraph({
      "/debug_token": () => {
        throw new GraphError("auth", "Invalid OAuth access token signature.", { code: 190, status: 400 });
      },
    });
    const { call } = setup({ graph });
    await call("accounts.setApp", { appId: "111111111111111", appSecret: SECRET });
    expect(await rejection(call("accounts.checkSignIn", {}))).toMatch(
      /^Facebook did not accept this App ID together with the App Secret saved here\./,
    );
  });

  it("a garbled permissions answer ends in a sentence that says so", async () => {
    const graph = fakeGraph({ "/me/permissions": () => ({ data: [{ permission: 42 }] }) });
    const { call } = setup({ graph });
    await call("accounts.setApp", { appId: APP_ID });
    expect(await rejection(call("accounts.checkSignIn", {}))).toBe(
      "Facebook could not read the permissions you granted (Facebook's answer to the permissions you granted was not in the expected shape.). Connect again.",
    );
  });
});

describe("checking a pasted token", () => {
  it("a Page token: which Page, its permissions, never expiring; asked with the token itself", async () => {
    const { call, graph } = setup();
    expect(await call("accounts.checkToken", { token: "EAAPageToken1001" })).toMatchObject({
      kind: "page",
      pageId: "1001",
      pageName: "Acme Bakery",
      permissions: [
        { scope: "pages_manage_posts", state: "granted" },
        { scope: "pages_read_engagement", state: "granted" },
        { scope: "publish_video", state: "granted" },
        { scope: "instagram_basic", state: "missing" },
      ],
    });
    expect(graph.calls[0]).toMatchObject({
      path: "/debug_token",
      token: "EAAPageToken1001",
      params: { input_token: "EAAPageToken1001" },
    });
    expect(await listAccounts()).toEqual([]);
  });

  it("a user token is told apart, and linking it is refused in plain words", async () => {
    const graph = fakeGraph({ "/me": () => ({ id: "42", name: "Dana Baker" }) });
    const { call } = setup({ graph });
    expect(await call("accounts.checkToken", { token: USER_TOKEN })).toEqual({
      kind: "user",
      name: "Dana Baker",
    });
    expect(await rejection(call("accounts.linkToken", { token: USER_TOKEN }))).toMatch(
      /^This is a user access token, not a Page token, so nothing was linked\./,
    );
    expect(await listAccounts()).toEqual([]);
  });

  it("a token Facebook refuses is refused, and links nothing", async () => {
    const graph = fakeGraph({
      "/debug_token": () => {
        throw new GraphError("auth", "Invalid OAuth access token - Cannot parse access token", {
          code: 190,
          status: 400,
        });
      },
    });
    const { call } = setup({ graph });
    expect(await call("accounts.checkToken", { token: "EAAGarbledToken42" })).toEqual({ kind: "refused" });
    expect(await rejection(call("accounts.linkToken", { token: "EAAGarbledToken42" }))).toMatch(
      /Facebook does not accept this token/,
    );
  });

  it("a Page token that expires is linked with its expiry", async () => {
    const graph = fakeGraph({
      "/debug_token": () => ({
        data: { type: "PAGE", is_valid: true, scopes: SCOPES, expires_at: Math.floor(NOW / 1000) + 3600 },
      }),
    });
    const { call } = setup({ graph });
    const account = await call("accounts.linkToken", { token: "EAAPageToken1001" });
    expect(account.tokenExpiresAt).toBe(Math.floor(NOW / 1000) * 1000 + 3_600_000);
  });
});
