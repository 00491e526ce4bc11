import { describe, expect, it, onTestFinished } from "vitest";
import {
  exchangeTumblrCode,
  readTumblrBlog,
  readTumblrRedirect,
  TumblrLinkError,
  tumblrAccountFields,
  tumblrAuthorizeUrl,
} from "@/lib/tumblr/oauth";
import { createTumblrStandin, STANDIN_TUMBLR_APP, serveTumblrStandin } from "../../support/tumblr-standin";

const REDIRECT = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";
const NOW = Date.UTC(2026, 8, 1, 9, 0);

async function linkingWorld() {
  const tumblr = createTumblrStandin({ now: () => NOW });
  const served = await serveTumblrStandin(tumblr);
  onTestFinished(() => served.close());
  tumblr.addUser({
    name: "acmebaker",
    blogs: [
      { name: "acme-sideblog", title: "Acme's crumbs" },
      { name: "acme-bakery", title: "Acme Bakery", primary: true },
    ],
  });
  tumblr.authorize = { mode: "allow" };
  const app = { key: STANDIN_TUMBLR_APP.key, secret: STANDIN_TUMBLR_APP.secret };
  /** The sign-in window: Tumblr's page, answered at once, and where it sends the browser. */
  const signInWindow = async (state = "s7a7e") => {
    const answer = await served.fetch(tumblrAuthorizeUrl({ key: app.key, redirectUri: REDIRECT, state }), {
      redirect: "manual",
    });
    return answer.headers.get("location") ?? "";
  };
  return { tumblr, fetch: served.fetch, app, signInWindow };
}

describe("linking a Tumblr blog", () => {
  it("asks Tumblr for posting, the user's blogs and a refresh token, and nothing more", () => {
    const url = new URL(tumblrAuthorizeUrl({ key: "k".repeat(50), redirectUri: REDIRECT, state: "xyz" }));
    expect(url.origin + url.pathname).toBe("https://www.tumblr.com/oauth2/authorize");
    expect(url.searchParams.get("scope")).toBe("basic write offline_access");
    expect(url.searchParams.get("state")).toBe("xyz");
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT);
  });

  it("links the primary blog with a sign-in that can be renewed", async () => {
    const world = await linkingWorld();
    const code = readTumblrRedirect(await world.signInWindow(), { redirectUri: REDIRECT, state: "s7a7e" });
    const signIn = await exchangeTumblrCode(
      world.fetch,
      { app: world.app, redirectUri: REDIRECT, code },
      NOW,
    );
    const blog = await readTumblrBlog(world.fetch, signIn.token);

    const fields = tumblrAccountFields(blog, signIn);
    expect(fields).toMatchObject({
      id: `tumblr:${blog.uuid}`,
      kind: "tumblr",
      name: "Acme Bakery",
      tokenExpiresAt: NOW + 2520 * 1000,
      home: { origin: "https://api.tumblr.com", handle: "acme-bakery", refreshToken: signIn.refreshToken },
    });
    // The secret went in the body of Tumblr's token call, never in a URL.
    const tokenCall = world.tumblr.requests().find((request) => request.path === "/v2/oauth2/token");
    expect(tokenCall?.query).toEqual({});
    expect(tokenCall?.fields.client_secret).toBe(world.app.secret);
  });

  it("links the blog named, and says which blogs there are when the name is none of them", async () => {
    const world = await linkingWorld();
    const code = readTumblrRedirect(await world.signInWindow(), { redirectUri: REDIRECT, state: "s7a7e" });
    const { token } = await exchangeTumblrCode(
      world.fetch,
      { app: world.app, redirectUri: REDIRECT, code },
      NOW,
    );
    expect((await readTumblrBlog(world.fetch, token, "@Acme-Sideblog.tumblr.com")).name).toBe(
      "acme-sideblog",
    );
    await expect(readTumblrBlog(world.fetch, token, "acme-cakes")).rejects.toThrow(
      "no blog named “acme-cakes” (its blogs: acme-sideblog, acme-bakery)",
    );
  });

  it("a code used once is refused the second time, and nothing is linked", async () => {
    const world = await linkingWorld();
    const code = readTumblrRedirect(await world.signInWindow(), { redirectUri: REDIRECT, state: "s7a7e" });
    await exchangeTumblrCode(world.fetch, { app: world.app, redirectUri: REDIRECT, code }, NOW);
    const again = exchangeTumblrCode(world.fetch, { app: world.app, redirectUri: REDIRECT, code }, NOW);
    await expect(again).rejects.toBeInstanceOf(TumblrLinkError);
    await expect(again).rejects.toMatchObject({ reason: "refused" });
  });

  it("a wrong secret is said as the app's key and secret to check", async () => {
    const world = await linkingWorld();
    const code = readTumblrRedirect(await world.signInWindow(), { redirectUri: REDIRECT, state: "s7a7e" });
    const wrong = { ...world.app, secret: "x".repeat(50) };
    await expect(
      exchangeTumblrCode(world.fetch, { app: wrong, redirectUri: REDIRECT, code }, NOW),
    ).rejects.toThrow("Check your Tumblr app's OAuth consumer key and secret");
  });

  it("refuses an answer that is not to its own request", async () => {
    const expected = { redirectUri: REDIRECT, state: "mine" };
    expect(() => readTumblrRedirect(`${REDIRECT}?error=access_denied&state=mine`, expected)).toThrow(
      "You declined Tumblr's request",
    );
    expect(() => readTumblrRedirect(`${REDIRECT}?code=abcdefgh123&state=theirs`, expected)).toThrow(
      "did not match this sign-in",
    );
    expect(() => readTumblrRedirect("https://evil.example/?code=abcdefgh123&state=mine", expected)).toThrow(
      "unexpected place",
    );
  });
});
