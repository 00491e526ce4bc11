import { describe, expect, it, onTestFinished } from "vitest";
import { THREADS_ORIGIN } from "@/lib/threads/client";
import {
  exchangeThreadsCode,
  readThreadsProfile,
  readThreadsRedirect,
  refreshThreadsToken,
  THREADS_AUTHORIZE_URL,
  ThreadsLinkError,
  threadsAccountFields,
  threadsAuthorizeUrl,
} from "@/lib/threads/oauth";
import {
  createThreadsStandin,
  STANDIN_THREADS_APP,
  serveThreadsStandin,
} from "../../support/threads-standin";

const REDIRECT = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";
const USER_ID = "17841400123456789";
const DAY = 24 * 60 * 60_000;

async function linkingWorld() {
  const clock = { now: Date.UTC(2026, 8, 1, 9, 0) };
  const threads = createThreadsStandin({ now: () => clock.now });
  const served = await serveThreadsStandin(threads);
  onTestFinished(() => served.close());
  threads.addUser({
    id: USER_ID,
    username: "acme.bakery",
    name: "Acme Bakery",
    pictureUrl: "https://scontent.cdninstagram.com/v/t51.2885-19/acme_n.jpg",
  });
  /** What the browser's sign-in window does: opens the window, presses a button, ends at the redirect. */
  async function authorize(state: string, press: "allow" | "cancel"): Promise<string> {
    const url = threadsAuthorizeUrl({ appId: STANDIN_THREADS_APP.id, redirectUri: REDIRECT, state });
    const page = await (await served.fetch(url)).text();
    const button = page.match(new RegExp(`id="${press}" role="button" href="([^"]+)"`))?.[1];
    if (!button) throw new Error(`no ${press} button on the page`);
    const answer = await served.fetch(new URL(button.replaceAll("&#38;", "&"), url), { redirect: "manual" });
    return answer.headers.get("location") ?? "";
  }
  return { clock, threads, fetch: served.fetch, authorize };
}

describe("linking a Threads profile", () => {
  it("opens Threads' Authorization Window asking to read and publish, with our state", () => {
    const url = new URL(
      threadsAuthorizeUrl({ appId: "990602627938098", redirectUri: REDIRECT, state: "s1" }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(THREADS_AUTHORIZE_URL);
    expect(THREADS_AUTHORIZE_URL).toBe("https://threads.com/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "990602627938098",
      redirect_uri: REDIRECT,
      scope: "threads_basic,threads_content_publish",
      response_type: "code",
      state: "s1",
    });
  });

  it("turns the code into a 60-day token for the exact profile id, the token never in a URL", async () => {
    const world = await linkingWorld();
    const redirected = await world.authorize("state-1", "allow");
    expect(redirected).toMatch(/#_$/);

    const code = readThreadsRedirect(redirected, { redirectUri: REDIRECT, state: "state-1" });
    const signIn = await exchangeThreadsCode(
      world.fetch,
      { appId: STANDIN_THREADS_APP.id, appSecret: STANDIN_THREADS_APP.secret, redirectUri: REDIRECT, code },
      world.clock.now,
    );
    const profile = await readThreadsProfile(world.fetch, signIn.token);

    expect(signIn).toEqual({
      userId: USER_ID,
      token: world.threads.tokens().find((t) => t.kind === "long")?.token,
      expiresAt: world.clock.now + 5_183_944_000,
    });
    expect(Number(USER_ID) > Number.MAX_SAFE_INTEGER).toBe(true);
    expect(threadsAccountFields(profile, signIn)).toEqual({
      id: `threads:${USER_ID}`,
      kind: "threads",
      name: "Acme Bakery",
      pictureUrl: "https://scontent.cdninstagram.com/v/t51.2885-19/acme_n.jpg",
      token: signIn.token,
      tokenExpiresAt: signIn.expiresAt,
      home: { origin: THREADS_ORIGIN, userId: USER_ID, handle: "@acme.bakery" },
    });
    const carrying = world.threads.requests().filter((request) => request.token);
    expect(carrying.length).toBeGreaterThan(0);
    expect(carrying.every((request) => request.tokenIn === "header")).toBe(true);
  });

  it("says nothing was linked when the user presses Cancel", async () => {
    const world = await linkingWorld();
    const redirected = await world.authorize("state-2", "cancel");
    expect(() => readThreadsRedirect(redirected, { redirectUri: REDIRECT, state: "state-2" })).toThrow(
      new ThreadsLinkError(
        "denied",
        "You declined Threads' request, so nothing was linked. Connect again and allow alsoshare to post to your profile.",
      ),
    );
  });

  it("ignores an answer to another sign-in, or from another place", async () => {
    const world = await linkingWorld();
    const redirected = await world.authorize("mine", "allow");
    expect(() => readThreadsRedirect(redirected, { redirectUri: REDIRECT, state: "someone-else" })).toThrow(
      expect.objectContaining({ reason: "state" }),
    );
    const elsewhere = redirected.replace(REDIRECT, "https://evil.example/");
    expect(() => readThreadsRedirect(elsewhere, { redirectUri: REDIRECT, state: "mine" })).toThrow(
      expect.objectContaining({ reason: "malformed" }),
    );
  });

  it("names the Threads app id and secret when Threads refuses them", async () => {
    const world = await linkingWorld();
    const code = readThreadsRedirect(await world.authorize("s", "allow"), {
      redirectUri: REDIRECT,
      state: "s",
    });
    const linking = exchangeThreadsCode(
      world.fetch,
      { appId: STANDIN_THREADS_APP.id, appSecret: "0".repeat(32), redirectUri: REDIRECT, code },
      world.clock.now,
    );
    await expect(linking).rejects.toMatchObject({
      reason: "refused",
      message:
        "Threads refused the sign-in (Error validating application. Invalid application ID.), so nothing was linked. Check the Threads app id and secret of your Meta app, then connect again.",
    });
  });

  it("takes a code once only", async () => {
    const world = await linkingWorld();
    const code = readThreadsRedirect(await world.authorize("s", "allow"), {
      redirectUri: REDIRECT,
      state: "s",
    });
    const request = {
      appId: STANDIN_THREADS_APP.id,
      appSecret: STANDIN_THREADS_APP.secret,
      redirectUri: REDIRECT,
      code,
    };
    await exchangeThreadsCode(world.fetch, request, world.clock.now);
    await expect(exchangeThreadsCode(world.fetch, request, world.clock.now)).rejects.toBeInstanceOf(
      ThreadsLinkError,
    );
  });
});

describe("renewing a Threads sign-in", () => {
  it("gives a token at least a day old another 60 days", async () => {
    const world = await linkingWorld();
    const token = world.threads.signIn(USER_ID);
    world.clock.now += 50 * DAY;
    const renewed = await refreshThreadsToken(world.fetch, token, world.clock.now);
    expect(renewed.token).not.toBe(token);
    expect(renewed.expiresAt).toBe(world.clock.now + 5_183_944_000);
    expect(world.threads.requests().at(-1)).toMatchObject({
      path: "/refresh_access_token",
      tokenIn: "header",
    });
  });

  it("cannot renew a token less than a day old", async () => {
    const world = await linkingWorld();
    const token = world.threads.signIn(USER_ID);
    await expect(refreshThreadsToken(world.fetch, token, world.clock.now)).rejects.toMatchObject({
      kind: "invalid",
    });
  });

  it("says the sign-in is dead when the token has expired", async () => {
    const world = await linkingWorld();
    const token = world.threads.signIn(USER_ID);
    world.clock.now += 61 * DAY;
    await expect(refreshThreadsToken(world.fetch, token, world.clock.now)).rejects.toMatchObject({
      kind: "auth",
      details: { code: 190 },
    });
  });
});
